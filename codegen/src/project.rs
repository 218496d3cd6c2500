//! What the command-line tools do, as library functions: `openapi-rustgen` (the installable CLI)
//! and `cargo xtask` (this repository's commands) both call these, so their behaviour and their
//! messages are one.
//!
//! - [`generate_configs`] generates the crate of each project file in memory (formatted with
//!   the toolchain's `rustfmt`), all of them before anything is written: a failing spec leaves
//!   every output as it was. [`write()`] then writes them, [`check`] compares them with what is
//!   on disk (for CI).
//! - [`loose_specs`] and [`loose_options`]: a crate from spec files named on the command line,
//!   with the version-folder convention (`<service>/<api-version>.yaml` is a version of
//!   `service`).
//! - [`api_diff`]: what changed between two specs, for callers.
//!
//! ```no_run
//! use std::path::Path;
//! let root = Path::new(".");
//! let configs = codegen::project::read_configs(root, &["codegen.toml"])?;
//! let projects = codegen::project::generate_configs(configs)?;
//! match codegen::project::check(root, &projects)? {
//!     codegen::project::Freshness::Fresh { files } => println!("up to date ({files} files)"),
//!     codegen::project::Freshness::Stale(stale) => eprintln!("{stale}"),
//! }
//! # Ok::<(), codegen::project::Failure>(())
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::emit::tags::TagFeatures;
use crate::model::Selection;
use crate::write::WriteReport;
use crate::{CrateOptions, Diagnostic, Errors, Output, Spec};

/// A command that could not be carried out. Its text is the whole message, each line starting
/// with `error: ` and naming the file (and line and JSON pointer) where the problem is written.
#[derive(Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl fmt::Debug for Failure {
    /// The message itself, so a build script's `.unwrap()` prints it as it reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

impl From<Errors> for Failure {
    fn from(errors: Errors) -> Self {
        Self(errors.to_string())
    }
}

impl From<Diagnostic> for Failure {
    fn from(diagnostic: Diagnostic) -> Self {
        Errors(vec![diagnostic]).into()
    }
}

/// A project file's crate, generated in memory.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project file.
    pub config: Config,
    /// The crate's files and the warnings found on the way.
    pub output: Output,
    /// `false` when the project asked for `rustfmt` and it could not be run (see [`polish`]).
    pub rustfmt: bool,
}

impl Project {
    /// Where the crate goes, relative to the project root.
    pub fn out(&self) -> PathBuf {
        self.config.out()
    }
}

/// Reads project files, paths relative to `root`.
pub fn read_configs(root: &Path, paths: &[impl AsRef<Path>]) -> Result<Vec<Config>, Failure> {
    paths
        .iter()
        .map(|path| Config::read_in(root, path).map_err(Failure::from))
        .collect()
}

/// Generates the crate of every project file, in memory: all of them or none.
pub fn generate_configs(configs: Vec<Config>) -> Result<Vec<Project>, Failure> {
    configs.into_iter().map(generate_config).collect()
}

/// Generates the crate of one project file, in memory, formatted as `cargo fmt` leaves it.
pub fn generate_config(config: Config) -> Result<Project, Failure> {
    let specs = config.specs()?;
    let options = config.options();
    let mut output = crate::generate(&specs, &options)?;
    let rustfmt = polish(&mut output, &options);
    Ok(Project {
        config,
        output,
        rustfmt,
    })
}

/// Formats with the toolchain's `rustfmt` (`$RUSTFMT` or `rustfmt` on the `PATH`) when the
/// options ask for it ([`CrateOptions::rustfmt`]), so the files are as `cargo fmt` leaves them.
/// `false` when it was asked for and could not be run: the files are then as the generator
/// formatted them, correct but not what `cargo fmt` would leave.
pub fn polish(output: &mut Output, options: &CrateOptions) -> bool {
    !options.rustfmt || crate::format::rustfmt_all(&mut output.files)
}

/// The warning to show when [`polish`] could not run `rustfmt`.
pub const RUSTFMT_MISSING: &str =
    "warning: rustfmt could not be run; the output is formatted by prettyplease alone";

/// What [`write()`] did to one crate.
#[derive(Debug)]
pub struct Written {
    /// The crate's folder, relative to the project root.
    pub out: PathBuf,
    /// The files written, removed and left as they were.
    pub report: WriteReport,
}

impl fmt::Display for Written {
    /// One line per file written or removed, then a summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let out = self.out.display();
        for p in &self.report.written {
            writeln!(f, "wrote {out}/{}", p.display())?;
        }
        for p in &self.report.removed {
            writeln!(f, "removed {out}/{}", p.display())?;
        }
        write!(
            f,
            "{out}: {} written, {} removed, {} unchanged",
            self.report.written.len(),
            self.report.removed.len(),
            self.report.unchanged
        )
    }
}

/// Writes every project's crate under `root`: only files whose content changed, each atomically;
/// generated files the generator no longer makes are removed.
pub fn write(root: &Path, projects: &[Project]) -> Result<Vec<Written>, Failure> {
    projects
        .iter()
        .map(|project| {
            let out = project.out();
            let report = crate::write::write_tree(&root.join(&out), &project.output.files)
                .map_err(|e| Failure(format!("error: writing {}: {e}", out.display())))?;
            Ok(Written { out, report })
        })
        .collect()
}

/// Whether the crates on disk are what the projects generate now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// They are: `files` files compared.
    Fresh {
        /// How many files were compared.
        files: usize,
    },
    /// They are not.
    Stale(Stale),
}

/// Stale generated files, by path relative to the project root (changed, missing, or left over
/// from an earlier generation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale(pub Vec<PathBuf>);

impl fmt::Display for Stale {
    /// The message both `cargo xtask codegen --check` and `openapi-rustgen check` print.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error: generated code is stale; regenerate it from its project file and commit the result:"
        )?;
        for path in &self.0 {
            write!(f, "\n  {}", path.display())?;
        }
        Ok(())
    }
}

impl fmt::Display for Freshness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fresh { files } => write!(f, "generated code is up to date ({files} files)"),
            Self::Stale(stale) => stale.fmt(f),
        }
    }
}

/// Compares every project's crate with what is on disk under `root`; writes nothing.
pub fn check(root: &Path, projects: &[Project]) -> Result<Freshness, Failure> {
    let mut stale = Vec::new();
    for project in projects {
        let out = project.out();
        let files = crate::write::stale_files(&root.join(&out), &project.output.files)
            .map_err(|e| Failure(format!("error: reading {}: {e}", out.display())))?;
        stale.extend(files.iter().map(|p| out.join(p)));
    }
    if stale.is_empty() {
        let files = projects.iter().map(|p| p.output.files.len()).sum();
        return Ok(Freshness::Fresh { files });
    }
    Ok(Freshness::Stale(Stale(stale)))
}

/// What to keep of specs named on the command line, and how to lay them out.
#[derive(Debug, Clone, Default)]
pub struct LooseOptions {
    /// Overlays applied to every spec, in order.
    pub overlays: Vec<PathBuf>,
    /// Which operations to generate.
    pub selection: Selection,
    /// Whether a module (not a version) is split by tag.
    pub tag_features: TagFeatures,
    /// Whether the toolchain's `rustfmt` formats the crate ([`CrateOptions::rustfmt`]).
    pub rustfmt: bool,
}

/// Specs named on the command line, each a module named after its file stem, or, for
/// `<service>/<api-version>.yaml` (a stem starting with a digit), a version of `service`.
pub fn loose_specs(paths: &[PathBuf], options: &LooseOptions) -> Result<Vec<Spec>, Failure> {
    if paths.is_empty() {
        return Err(Failure("error: no spec given".to_owned()));
    }
    let overlays = options
        .overlays
        .iter()
        .map(crate::load::Overlay::read)
        .collect::<Result<Vec<_>, _>>()?;
    paths
        .iter()
        .map(|path| {
            let spec = Spec::read(path)?;
            let mut spec = match version_folder(path) {
                Some((service, version)) => {
                    Spec::versioned(spec.path, spec.text, &service, &version)
                }
                None => Spec {
                    tag_features: options.tag_features,
                    ..spec
                },
            };
            spec.selection = options.selection.clone();
            spec.overlays = overlays.clone();
            Ok(spec)
        })
        .collect()
}

/// `(service, version)` when `path` is `<service>/<version>.<ext>` with a version starting with
/// a digit.
fn version_folder(path: &Path) -> Option<(String, String)> {
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    let service = path.parent()?.file_name()?.to_string_lossy().into_owned();
    stem.starts_with(|c: char| c.is_ascii_digit())
        .then_some((service, stem))
}

/// The module the spec at `path` becomes: its file stem in `snake_case`, or for one version of a
/// service (`<service>/<version>.yaml`) the service folder.
pub fn module_for(path: &Path) -> String {
    match version_folder(path) {
        Some((service, _)) => crate::names::snake_name(&service),
        None => crate::module_name(path),
    }
}

/// The options of a standalone crate made of `specs`: named `name`, or after the first spec's
/// module (or service).
pub fn loose_options(specs: &[Spec], name: Option<String>) -> Result<CrateOptions, Failure> {
    let default_name = specs
        .first()
        .map(|first| {
            first
                .service
                .as_ref()
                .map_or(first.module.as_str(), |sv| sv.service.as_str())
                .trim_start_matches("r#")
                .trim_start_matches('_')
                .replace('_', "-")
        })
        .unwrap_or_default();
    let name = name.unwrap_or(default_name);
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(Failure(format!(
            "error: `{name}` is not a valid crate name: pass --name"
        )));
    }
    let sources: Vec<String> = specs.iter().map(|s| s.path.display().to_string()).collect();
    Ok(CrateOptions {
        description: format!("Typed client generated from {}.", sources.join(", ")),
        ..CrateOptions::new(name)
    })
}

/// Generates and formats a standalone crate from loose specs, in memory.
pub fn generate_loose(
    paths: &[PathBuf],
    name: Option<String>,
    options: &LooseOptions,
) -> Result<(CrateOptions, Output, bool), Failure> {
    let specs = loose_specs(paths, options)?;
    let crate_options = loose_options(&specs, name)?.rustfmt(options.rustfmt);
    let mut output = crate::generate(&specs, &crate_options)?;
    let rustfmt = polish(&mut output, &crate_options);
    Ok((crate_options, output, rustfmt))
}

pub use self::api_diff::{api_diff, DiffOutcome};

mod api_diff;
