//! bosun renders Kubernetes manifests from charts and per-environment values, offline.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`chart`]: load a chart (Chart.yaml, values.yaml, templates, CRDs, `file://` dependencies).
//! 2. [`values`]: layer values — chart defaults, the environment's files, `-f` files, `--set*`
//!    flags ([`set_values`]) — remembering where each leaf came from.
//! 3. [`render`]: render every template with the [`engine`] (minijinja, set up for YAML), the
//!    variables of [`context`], the [`files`] object and the [`functions`] named after Helm's.
//! 4. [`manifest`]: split and parse the rendered text into documents, sort them in install order.
//! 5. [`output`]: write one YAML stream, a JSON List, or one file per template.
//!
//! YAML is read and written only through [`yaml`]; every failure is an [`error::Error`] that
//! knows how to print itself with the file, line and a snippet.

pub mod chart;
pub mod cli;
pub mod color;
mod commands;
pub mod context;
pub mod crd;
pub mod diff;
pub mod engine;
pub mod error;
pub mod files;
pub mod functions;
#[doc(hidden)]
pub mod fuzz;
pub mod init;
pub mod lint;
pub mod manifest;
pub mod names;
pub mod output;
pub mod paths;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod secret;
pub mod set_values;
pub mod state;
pub mod validate;
pub mod values;
pub mod yaml;
