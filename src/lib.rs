//! bosun renders Kubernetes manifests from charts and per-environment values, offline.
//!
//! The pipeline, one module per stage, each stage's entry in its module:
//!
//! 1. [`chart`]: load a chart (Chart.yaml, values.yaml, templates, CRDs, its subcharts under
//!    `charts/` or at `file://` paths, the service [`library`] built into the binary).
//!    [`dependency`] fetches dependencies from repositories into `charts/` beforehand, on demand.
//! 2. [`values`]: layer values (chart defaults, the environment's files, `-f` files, `--set*`
//!    flags in the order given), remembering where each leaf came from.
//! 3. [`render`]: render every template through the [`render::engine`] seam (minijinja,
//!    `render/jinja/`, or Helm's Go templates, `render/gotpl/`), then split and parse the text
//!    into documents ([`manifest`]), judging each against its schema while its tree is at hand
//!    ([`validate`]), and sort them in install order.
//! 4. [`validate`], [`lint`], [`diff`]: verdicts per document, a reviewer's findings, and the
//!    changes since the last recorded render, all on the same in-memory documents. Where a
//!    finding's field came from (template line, values line) is found afterwards, by rendering
//!    its template again with line tracking ([`render::trace`]).
//! 5. [`output`]: write one YAML stream, a JSON List, or one file per template; the record for
//!    `bosun diff` is written with Secret values sealed.
//!
//! [`diff`] says, before the text, what each change will do (consequences: fields that will
//! not apply, pods restarted, data at risk, noise grouped). [`repository`] runs the pipeline
//! for every release of a repository (`--all`, `bosun.yaml`, `--changed-since`), in parallel,
//! and groups what each says.
//!
//! [`pipeline::render`] runs stages 1–3 for a plain [`pipeline::Request`] and returns plain data
//! (documents, verdicts, merged values with their origins, the record's path); the command line
//! ([`cli`]) and the benchmark both call it. Every failure is an [`error::Error`] that prints
//! itself with the file, line and a snippet.

pub mod chart;
pub mod cli;
mod commands;
pub mod dependency;
mod diagnostics;
pub mod diff;
pub mod error;
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub mod fuzz;
mod init;
pub mod kube_version;
pub mod library;
pub mod lint;
pub mod manifest;
mod names;
pub mod output;
mod paths;
pub mod pipeline;
pub mod render;
pub mod repository;
pub mod resource;
mod secret;
mod state;
mod unchanged;
pub mod validate;
pub mod values;
mod yaml;
