//! The `openapi-rustgen` command line: its arguments and what each command does, on top of
//! [`codegen::project`]. `cargo xtask` reuses [`GenerateArgs`] and [`DiffArgs`], so both tools
//! take the same flags and behave the same.
//!
//! Exit codes: 0 done, 1 an error (every one printed with where it is written), stale output
//! (`check`) or a breaking change (`diff`), 2 a usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use codegen::project::{self, Failure, Freshness};

/// The project file `generate` and `check` read when given no spec and no `--config`.
pub const DEFAULT_CONFIG: &str = "codegen.toml";

const AFTER_HELP: &str = "\
Start:
  1. Write codegen.toml next to your spec:

       [crate]
       name = \"petstore\"          # the package name of the generated crate
       out = \"petstore\"           # where it is written, relative to this file

       [[module]]
       spec = \"petstore.yaml\"     # OpenAPI 3.0/3.1 or Swagger 2.0, YAML or JSON

  2. openapi-rustgen generate       # writes ./petstore, a crate that builds on its own
  3. openapi-rustgen check          # in CI: fails if ./petstore is not what the spec makes

Or without a project file:
  openapi-rustgen generate petstore.yaml --out petstore --name petstore

Exit codes: 0 done; 1 an error, stale output (check) or a breaking change (diff); 2 bad usage.";

/// Generate a typed async Rust client crate from OpenAPI 3.0/3.1 or Swagger 2.0 specs.
#[derive(Debug, Parser)]
#[command(name = "openapi-rustgen", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a client crate: from the project file (./codegen.toml, or --config FILE), or
    /// from spec files named here with --out.
    Generate(GenerateArgs),
    /// Fail (exit 1), naming the files, if a generated crate on disk is not what its project
    /// file generates now. Writes nothing: for CI.
    Check(CheckArgs),
    /// Report what changed between two specs (or two versions of a service) and whether a
    /// client breaks: exit 1 when something breaking was found.
    Diff(DiffArgs),
}

/// `generate`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  openapi-rustgen generate                                 # ./codegen.toml
  openapi-rustgen generate --config specs/codegen.toml
  openapi-rustgen generate petstore.yaml --out petstore --name petstore
  openapi-rustgen generate github.json --out gh --tags repos,issues --skip-unsupported
  openapi-rustgen generate log_analytics/2020-08-01.json log_analytics/2025-07-01.json --out la

A file named <service>/<api-version>.yaml (the stem starts with a digit) is one API version of
<service>: versions sit side by side, each behind a cargo feature.")]
pub struct GenerateArgs {
    /// Spec files (OpenAPI 3.0/3.1 or Swagger 2.0, YAML or JSON, with the files their $refs
    /// name); each becomes a module named after its file. None: read the project file.
    #[arg(requires = "out")]
    pub specs: Vec<PathBuf>,
    /// The project file to read instead of ./codegen.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "specs")]
    pub config: Option<PathBuf>,
    /// The directory to write the crate to (created if needed); with SPEC only.
    #[arg(long, value_name = "DIR", requires = "specs")]
    pub out: Option<PathBuf>,
    /// The package name; by default the first spec's file stem.
    #[arg(long, requires = "specs")]
    pub name: Option<String>,
    /// An OpenAPI Overlay (1.0 or 1.1) applied to every spec, in the order given (repeatable).
    #[arg(long = "overlay", value_name = "FILE", requires = "specs")]
    pub overlays: Vec<PathBuf>,
    /// Only operations with one of these tags (comma-separated).
    #[arg(long, value_delimiter = ',', requires = "specs")]
    pub tags: Vec<String>,
    /// Only these operations, by operationId or function name (comma-separated).
    #[arg(long, value_delimiter = ',', requires = "specs")]
    pub operations: Vec<String>,
    /// Leave out, with a warning, operations the generator cannot type yet (else an error).
    #[arg(long, requires = "specs")]
    pub skip_unsupported: bool,
    /// Split a module by tag, one cargo feature per tag: `auto` does it from 100 operations.
    #[arg(long, value_enum, default_value_t = TagFeatures::Auto)]
    pub tag_features: TagFeatures,
    /// Format with the toolchain's rustfmt, as `cargo fmt` would (slower); by default the
    /// generator formats and marks the modules `#[rustfmt::skip]`.
    #[arg(long, requires = "specs")]
    pub rustfmt: bool,
}

/// `--tag-features`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TagFeatures {
    /// From 100 operations (or as the spec's `x-client.tag-features` says).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl From<TagFeatures> for codegen::emit::tags::TagFeatures {
    fn from(value: TagFeatures) -> Self {
        match value {
            TagFeatures::Auto => Self::Auto,
            TagFeatures::Always => Self::Always,
            TagFeatures::Never => Self::Never,
        }
    }
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project files to check (repeatable); by default ./codegen.toml.
    #[arg(long = "config", value_name = "FILE")]
    pub configs: Vec<PathBuf>,
}

/// `diff`.
#[derive(Debug, Args)]
#[command(after_help = "\
Each side is a spec file, or a module of a project file: codegen.toml:<module>, or
codegen.toml:<service>@<version> for one API version (with its overlays and operations).

Examples:
  openapi-rustgen diff old/petstore.yaml petstore.yaml
  openapi-rustgen diff codegen.toml:log_analytics@2020-08-01 codegen.toml:log_analytics@2025-07-01")]
pub struct DiffArgs {
    /// The older spec.
    pub old: PathBuf,
    /// The newer spec.
    pub new: PathBuf,
    /// JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Parses the process's arguments and runs the command.
pub fn main() -> ExitCode {
    run(Cli::parse().command)
}

/// Runs one command, printing what it did; returns the exit code.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Generate(args) => exit(generate(&args)),
        Command::Check(args) => exit(check(&args)),
        Command::Diff(args) => diff(&args),
    }
}

/// What a command failed with.
#[derive(Debug)]
pub enum Error {
    /// The command could not be carried out (exit 1).
    Failed(Failure),
    /// The arguments do not say what to do (exit 2).
    Usage(String),
}

impl From<Failure> for Error {
    fn from(failure: Failure) -> Self {
        Self::Failed(failure)
    }
}

fn exit(result: Result<(), Error>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Failed(failure)) => {
            eprintln!("{failure}");
            ExitCode::from(1)
        }
        Err(Error::Usage(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn print_warnings(output: &codegen::Output, rustfmt: bool) {
    if !rustfmt {
        eprintln!("{}", project::RUSTFMT_MISSING);
    }
    for w in &output.warnings {
        eprintln!("warning: {w}");
    }
}

/// The project files to read: those given, else ./codegen.toml if there is one.
fn configs(given: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    if Path::new(DEFAULT_CONFIG).is_file() {
        return Ok(vec![PathBuf::from(DEFAULT_CONFIG)]);
    }
    Err(Error::Usage(format!(
        "error: no {DEFAULT_CONFIG} here: pass --config FILE, or spec files with --out DIR \
         (see `openapi-rustgen generate --help`)"
    )))
}

/// `generate`: from the project file, or from the specs given.
pub fn generate(args: &GenerateArgs) -> Result<(), Error> {
    let Some(out) = &args.out else {
        let paths = configs(args.config.as_slice())?;
        let root = Path::new("");
        let projects = project::read_configs(root, &paths).and_then(project::generate_configs)?;
        for p in &projects {
            print_warnings(&p.output, p.rustfmt);
        }
        for written in project::write(root, &projects)? {
            println!("{written}");
        }
        return Ok(());
    };
    let options = project::LooseOptions {
        overlays: args.overlays.clone(),
        selection: codegen::model::Selection {
            tags: args.tags.clone(),
            operations: args.operations.clone(),
            skip_unsupported: args.skip_unsupported,
        },
        tag_features: args.tag_features.into(),
        rustfmt: args.rustfmt,
    };
    let (crate_options, output, rustfmt) =
        project::generate_loose(&args.specs, args.name.clone(), &options)?;
    print_warnings(&output, rustfmt);
    let report = codegen::write::write_tree(out, &output.files)
        .map_err(|e| Failure(format!("error: writing {}: {e}", out.display())))?;
    println!(
        "generated crate `{}` in {} ({} files written, {} unchanged)",
        crate_options.name,
        out.display(),
        report.written.len(),
        report.unchanged
    );
    Ok(())
}

/// `check`: exit 1 with the stale files named when the output on disk is not fresh.
pub fn check(args: &CheckArgs) -> Result<(), Error> {
    let paths = configs(&args.configs)?;
    let root = Path::new("");
    let projects = project::read_configs(root, &paths).and_then(project::generate_configs)?;
    for p in &projects {
        print_warnings(&p.output, p.rustfmt);
    }
    match project::check(root, &projects)? {
        fresh @ Freshness::Fresh { .. } => {
            println!("{fresh}");
            Ok(())
        }
        Freshness::Stale(stale) => Err(Failure(stale.to_string()).into()),
    }
}

/// `diff`: 0 nothing breaking, 1 something breaking or an error.
pub fn diff(args: &DiffArgs) -> ExitCode {
    match project::api_diff(&args.old, &args.new, args.json) {
        Ok(outcome) => {
            for w in &outcome.warnings {
                eprintln!("warning: {w}");
            }
            print!("{}", outcome.report);
            ExitCode::from(u8::from(outcome.breaking))
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_arguments_are_consistent() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("openapi-rustgen").chain(args.iter().copied()))
    }

    #[test]
    fn generate_takes_specs_with_out_or_a_project_file() {
        let Command::Generate(args) = parse(&[
            "generate",
            "a.yaml",
            "b.yaml",
            "--out",
            "o",
            "--tags",
            "x,y",
            "--overlay",
            "1.yaml",
            "--overlay",
            "2.yaml",
            "--skip-unsupported",
        ])
        .unwrap()
        .command
        else {
            panic!("not generate")
        };
        assert_eq!(args.specs.len(), 2);
        assert_eq!(args.tags, ["x", "y"]);
        assert_eq!(args.overlays.len(), 2);
        assert!(args.skip_unsupported);
        assert!(parse(&["generate"]).is_ok());
        assert!(parse(&["generate", "--config", "c.toml"]).is_ok());
        for wrong in [
            &["generate", "a.yaml"][..],
            &["generate", "--out", "o"],
            &["generate", "--config", "c.toml", "a.yaml", "--out", "o"],
            &["generate", "--tags", "x"],
            &[
                "generate",
                "a.yaml",
                "--out",
                "o",
                "--tag-features",
                "sometimes",
            ],
        ] {
            let err = parse(wrong).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{wrong:?}: {err}");
        }
    }

    #[test]
    fn check_and_diff_parse() {
        let Command::Check(args) = parse(&["check", "--config", "a.toml", "--config", "b.toml"])
            .unwrap()
            .command
        else {
            panic!("not check")
        };
        assert_eq!(args.configs.len(), 2);
        let Command::Diff(args) = parse(&["diff", "old.yaml", "new.yaml", "--json"])
            .unwrap()
            .command
        else {
            panic!("not diff")
        };
        assert!(args.json);
        assert_eq!(parse(&["diff", "old.yaml"]).unwrap_err().exit_code(), 2);
    }
}
