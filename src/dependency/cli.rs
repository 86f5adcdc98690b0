//! The `bosun dep`, `bosun package` and `bosun push` command lines and what they print.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Options;
use super::repositories::Credentials;
use crate::error::Error;
use crate::paths::shown;

// How to reach repositories and registries, shared by the commands that do (a plain comment:
// as a doc comment it would become `bosun push`'s about line, see `src/cli/mod.rs`).
#[derive(Debug, Args)]
pub struct ReachFlags {
    /// Talk to OCI registries over plain HTTP, without TLS (a registry on 127.0.0.1).
    #[arg(long)]
    pub plain_http: bool,
    /// Helm's repositories file, for `@NAME` repositories and their credentials
    /// [default: $HELM_REPOSITORY_CONFIG, else helm/repositories.yaml in the config folder]
    #[arg(long, value_name = "FILE")]
    pub repository_config: Option<PathBuf>,
    /// The download cache [default: bosun/ in the user's cache folder]
    #[arg(long, value_name = "DIR", env = "BOSUN_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// User name for OCI registries that ask for one; the password is read from
    /// BOSUN_REGISTRY_PASSWORD only, never from a flag.
    #[arg(long, value_name = "NAME", env = "BOSUN_REGISTRY_USERNAME")]
    pub username: Option<String>,
}

impl ReachFlags {
    fn options(&self, offline: bool) -> Options {
        let password = std::env::var("BOSUN_REGISTRY_PASSWORD").unwrap_or_default();
        Options {
            offline,
            plain_http: self.plain_http,
            repository_config: self.repository_config.clone(),
            cache_dir: self.cache_dir.clone(),
            credentials: self.username.as_ref().map(|username| Credentials {
                username: username.clone(),
                password,
            }),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum DepCommand {
    /// Resolve each dependency's version range against its repository, fetch the charts into
    /// charts/, and write Chart.lock (as `helm dependency update`).
    Update {
        /// The chart folder.
        chart: PathBuf,
        #[command(flatten)]
        reach: ReachFlags,
    },
    /// Fetch exactly what Chart.lock says, verifying digests; nothing to do when charts/
    /// already matches (as `helm dependency build`).
    Build {
        /// The chart folder.
        chart: PathBuf,
        /// Use only the download cache; fail when something is missing from it.
        #[arg(long)]
        offline: bool,
        #[command(flatten)]
        reach: ReachFlags,
    },
    /// List each dependency, its version and whether charts/ has it.
    List {
        /// The chart folder.
        chart: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct PackageArgs {
    /// The chart folder.
    pub chart: PathBuf,
    /// Where to write NAME-VERSION.tgz.
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub destination: PathBuf,
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// A chart archive made by `bosun package` (or `helm package`).
    pub archive: PathBuf,
    /// Where to push: oci://HOST/PATH; the chart lands at PATH/NAME:VERSION.
    pub remote: String,
    #[command(flatten)]
    pub reach: ReachFlags,
}

pub fn dep(command: &DepCommand) -> Result<i32, Error> {
    match command {
        DepCommand::Update { chart, reach } => {
            let lock = super::update(chart, &reach.options(false))?;
            for dep in &lock.dependencies {
                eprintln!(
                    "{} {} from {}",
                    dep.name,
                    dep.version,
                    display_repo(&dep.repository)
                );
            }
            eprintln!("wrote {}", shown(&chart.join("Chart.lock")));
            Ok(0)
        }
        DepCommand::Build {
            chart,
            offline,
            reach,
        } => {
            let fetched = super::build(chart, &reach.options(*offline))?;
            if fetched.is_empty() {
                eprintln!(
                    "charts/ already matches {}",
                    shown(&chart.join("Chart.lock"))
                );
            }
            for name in fetched {
                eprintln!("fetched {}", shown(&chart.join("charts").join(name)));
            }
            Ok(0)
        }
        DepCommand::List { chart } => {
            let mut out = String::from("NAME\tVERSION\tREPOSITORY\tSTATUS\n");
            for line in super::list(chart)? {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\n",
                    line.name,
                    line.version,
                    display_repo(&line.repository),
                    line.status
                ));
            }
            crate::commands::print(&out)?;
            Ok(0)
        }
    }
}

fn display_repo(repository: &str) -> &str {
    if repository.is_empty() {
        "charts/"
    } else {
        repository
    }
}

pub fn package(args: &PackageArgs) -> Result<i32, Error> {
    let path = super::package(&args.chart, &args.destination)?;
    eprintln!("wrote {}", shown(&path));
    Ok(0)
}

pub fn push(args: &PushArgs) -> Result<i32, Error> {
    let (reference, digest) = super::push(&args.archive, &args.remote, &args.reach.options(false))?;
    eprintln!("pushed {reference}\ndigest {digest}");
    Ok(0)
}
