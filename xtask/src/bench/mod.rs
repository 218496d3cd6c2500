//! `cargo xtask bench`: our generator against the peers (cargo-progenitor, OpenAPI Generator,
//! openapi-to-rust), side by side, on the specs in `specs/` and on GitHub's REST description (npm
//! `@octokit/openapi`, pinned, installed into `.cache/bench` on first use).
//!
//! Run it with `--release`: `cargo run --release -p xtask -- bench [--runs N] [--build]`.
//!
//! - Generation, every tool as a child process writing its crate to disk (ours: this binary's
//!   `generate` sub-command, formatted by the generator, no rustfmt): wall time and peak
//!   memory (`wait4`), median of `--runs`, and the `.rs` lines written.
//! - Ours in memory: the parse-only floor (`codegen::load::load`) and the whole in-memory
//!   generation (no rustfmt, no disk), median of `--runs`, and their ratio.
//! - `--build`: each generated crate's dev build with its dependencies already built
//!   (`compile.rs`); GitHub's crate of ours with its default features, all features and one tag;
//!   and the first seed's crate of every tool from an empty target directory, dependencies
//!   included (a user's first build), with the number of crates compiled.
//! - `--download`: instead, a streamed 1 GiB download through a generated client (the fixture
//!   crate's `files_download(..).stream()`) from a loopback server: time, throughput and the
//!   process's peak resident memory (`tests/examples/download.rs`).
//! - `--smoke`: the seed specs only, and the peers only if already installed (nothing is
//!   installed, nothing built unless `--build`).
//!
//! The report is printed and written to `.cache/bench/report.md`; a tool that fails has its row
//! say so (the first line of its error), and ratios (ours ÷ peer) appear where both succeeded.

mod compile;
mod measure;
mod peers;
mod report;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use codegen::{CrateOptions, Spec};
use measure::{cell, duration, memory, thousands};
use peers::{Tool, Tools};

const OCTOKIT: &str = "@octokit/openapi@23.0.2";

/// Big builds wait for this much available memory first (GitHub's crate takes several GiB).
const BIG_BUILD_MEMORY_KB: u64 = 12 * 1024 * 1024;

/// `cargo xtask bench`'s flags.
pub struct Options {
    pub runs: usize,
    pub smoke: bool,
    pub build: bool,
    pub peers: bool,
    pub only: Option<String>,
}

/// A spec to measure.
struct Input {
    label: String,
    path: PathBuf,
    /// The crate name every tool is given (unique per spec, so target directories can be shared).
    name: String,
    big: bool,
}

/// A tool's generation from one spec.
struct Generation {
    input: usize,
    tool: Tool,
    result: Result<Generated, String>,
}

struct Generated {
    wall: Duration,
    peak_kb: u64,
    files: usize,
    lines: usize,
    dir: PathBuf,
}

/// One measured build.
struct Build {
    input: usize,
    tool: Tool,
    features: String,
    /// Wall time, peak memory, warnings of the crate.
    result: Result<(Duration, u64, usize), String>,
    /// A cold first build: how many crates it compiled (`None`: dependencies already built).
    crates: Option<usize>,
}

/// The features label of a cold first build's row.
pub const COLD: &str = "default, cold: dependencies included";

/// One crate directory built with one set of cargo arguments.
struct Plan {
    features: String,
    dir: PathBuf,
    args: Vec<String>,
}

/// `--download`: the streamed download example, built with `--release`, and its figures.
pub fn download(root: &Path) -> Result<(), String> {
    let status = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "integration-tests",
            "--example",
            "download",
            "--",
            "1024",
        ])
        .status()
        .map_err(|e| format!("running the download example: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the download example failed ({status})"))
    }
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    if cfg!(debug_assertions) {
        eprintln!("warning: xtask was built without --release: our figures are a debug build's");
    }
    let runs = options.runs.max(1);
    let bench = root.join(".cache/bench");
    let started = Context::now(root, runs);
    let inputs = inputs(root, options)?;
    if inputs.is_empty() {
        return Err("no spec matches --only".to_owned());
    }
    let tools = Tools::find(root, options.peers, !options.smoke)?;

    let mut generations = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        for tool in Tool::ALL {
            let result = generate(&tools, tool, input, &bench, runs)?;
            match &result {
                Ok(g) => eprintln!(
                    "{} / {}: {}, {}, {} lines",
                    input.label,
                    tool.label(),
                    duration(g.wall),
                    memory(g.peak_kb),
                    thousands(g.lines)
                ),
                Err(why) => eprintln!("{} / {}: {why}", input.label, tool.label()),
            }
            generations.push(Generation {
                input: i,
                tool,
                result,
            });
        }
    }

    let builds = if options.build {
        build_all(&tools, &inputs, &generations, &bench)?
    } else {
        Vec::new()
    };

    // Last: it leaves this process big, and every child measured after it would start from that.
    let in_memory = in_memory(&inputs, runs);

    let report = report::render(
        &started,
        &inputs,
        runs,
        &tools,
        &generations,
        &in_memory,
        options.build.then_some(&builds[..]),
    );
    println!("{report}");
    std::fs::create_dir_all(&bench).map_err(|e| e.to_string())?;
    std::fs::write(bench.join("report.md"), &report).map_err(|e| e.to_string())?;
    println!(
        "written to .cache/bench/report.md ({} in all)",
        duration(started.clock.elapsed())
    );
    Ok(())
}

fn inputs(root: &Path, options: &Options) -> Result<Vec<Input>, String> {
    // The seeds as the one OpenAPI 3.0 document each is loaded into (Azure's Swagger 2.0 with
    // its common types and overlays), so every tool reads the same single file.
    let seeds = root.join(".cache/bench/seeds");
    std::fs::create_dir_all(&seeds).map_err(|e| e.to_string())?;
    let mut inputs = Vec::new();
    for spec in crate::product_specs(root)? {
        let loaded = spec.load().map_err(|e| format!("{}", codegen::Errors(e)))?;
        let stem = match &spec.service {
            Some(sv) => format!("{}_{}", sv.service, spec.module),
            None => spec.module.clone(),
        };
        let path = seeds.join(format!("{stem}.json"));
        let text = serde_json::to_string_pretty(&loaded.raw).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        inputs.push(Input {
            label: format!("{} (as OpenAPI 3.0)", spec.path.display()),
            name: crate_name(&path),
            path,
            big: false,
        });
    }
    if !options.smoke {
        match github(&root.join(".cache/bench")) {
            Ok(path) => inputs.push(Input {
                label: "GitHub REST (api.github.com.json, 13 MB)".to_owned(),
                path,
                name: "github".to_owned(),
                big: true,
            }),
            Err(e) => eprintln!("warning: GitHub spec unavailable: {e}"),
        }
    }
    if let Some(only) = &options.only {
        inputs.retain(|i| i.label.contains(only.as_str()) || i.name.contains(only.as_str()));
    }
    Ok(inputs)
}

/// `specs/log_analytics/2020-08-01.yaml` -> `log-analytics-2020-08-01`.
fn crate_name(spec: &Path) -> String {
    let stem = spec.with_extension("");
    let rel = stem.strip_prefix("specs").unwrap_or(&stem);
    slug(&rel.to_string_lossy())
}

/// Lower-case ASCII letters and digits, everything else one `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// What the report says about where and how it was made.
struct Context {
    clock: Instant,
    date: String,
    command: String,
    machine: String,
    versions: String,
}

impl Context {
    fn now(root: &Path, runs: usize) -> Self {
        let first_line = |mut cmd: Command| {
            cmd.output()
                .ok()
                .and_then(|o| {
                    let text = if o.stdout.is_empty() {
                        o.stderr
                    } else {
                        o.stdout
                    };
                    String::from_utf8_lossy(&text)
                        .lines()
                        .next()
                        .map(str::to_owned)
                })
                .unwrap_or_else(|| "?".to_owned())
        };
        let mut git = Command::new("git");
        git.current_dir(root)
            .args(["describe", "--always", "--dirty", "--exclude", "*"]);
        let mut rustc = Command::new("rustc");
        rustc.arg("--version");
        let mut java = Command::new("java");
        java.arg("-version");
        let args: Vec<String> = std::env::args().skip(1).collect();
        let cores = std::thread::available_parallelism().map_or(0, usize::from);
        let load = load_average();
        Context {
            clock: Instant::now(),
            date: measure::today(),
            command: format!("cargo run --release -p xtask -- {}", args.join(" ")),
            machine: format!(
                "{cores} cores, {} memory ({} available at start), load average {load} at start; {runs} run(s) per generation figure",
                memory(measure::meminfo_kb("MemTotal").unwrap_or(0)),
                memory(measure::meminfo_kb("MemAvailable").unwrap_or(0)),
            ),
            versions: format!(
                "ours at commit {}; {}; {}",
                first_line(git),
                first_line(rustc),
                first_line(java)
            ),
        }
    }
}

/// The 1, 5 and 15 minute load averages: other work on the machine shows in every figure.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".to_owned())
}

/// Ours in memory against the parse floor: one table row per input.
fn in_memory(inputs: &[Input], runs: usize) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for input in inputs {
        let text = match std::fs::read_to_string(&input.path) {
            Ok(text) => text,
            Err(e) => {
                rows.push(vec![input.label.clone(), format!("unreadable: {e}")]);
                continue;
            }
        };
        let parse = measure::median(
            &(0..runs)
                .map(|_| {
                    let started = Instant::now();
                    let _ = codegen::load::load(&input.path, &text);
                    started.elapsed()
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default();
        let options = CrateOptions::new("bench").description("bench");
        let mut spec = Spec::new(input.path.clone(), text);
        // Generate what can be generated: the figure is about speed, not coverage.
        spec.selection.skip_unsupported = true;
        let mut lines = 0;
        let mut failure = None;
        let generate = measure::median(
            &(0..runs)
                .map(|_| {
                    let started = Instant::now();
                    let result = codegen::generate(std::slice::from_ref(&spec), &options);
                    let elapsed = started.elapsed();
                    match result {
                        Ok(output) => {
                            lines = output.files.values().map(|t| t.lines().count()).sum();
                        }
                        Err(e) => failure = Some(e.to_string()),
                    }
                    elapsed
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default();
        let generate_cell = match &failure {
            None => duration(generate),
            Some(e) => format!("fails: {}", cell(e, 80)),
        };
        rows.push(vec![
            input.label.clone(),
            duration(parse),
            generate_cell,
            format!(
                "{:.1}×",
                generate.as_secs_f64() / parse.as_secs_f64().max(1e-9)
            ),
            thousands(lines),
            measure::own_kb("VmHWM").map_or_else(|| "?".to_owned(), memory),
        ]);
        eprintln!(
            "{} in memory: parse {}, generate {}",
            input.label,
            duration(parse),
            duration(generate)
        );
    }
    rows
}

/// Runs `tool` on `input` `runs` times (each into an emptied directory); the first failing run
/// ends it.
fn generate(
    tools: &Tools,
    tool: Tool,
    input: &Input,
    bench: &Path,
    runs: usize,
) -> Result<Result<Generated, String>, String> {
    if let Err(why) = tools.available(tool) {
        return Ok(Err(format!("not run: {why}")));
    }
    let dir = bench.join("out").join(tool.slug()).join(&input.name);
    let logs = bench.join("logs").join(tool.slug());
    let mut walls = Vec::new();
    let mut peaks = Vec::new();
    for i in 0..runs {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let Some(mut cmd) = tools.generate(tool, &input.path, &dir, &input.name) else {
            return Ok(Err("not available".to_owned()));
        };
        let run = measure::run(&mut cmd, &logs.join(format!("{}-generate", input.name)))?;
        if !run.ok() {
            let attempt = if i == 0 {
                String::new()
            } else {
                format!(" (run {})", i + 1)
            };
            return Ok(Err(format!("fails{attempt}: {}", run.why())));
        }
        walls.push(run.wall);
        peaks.push(run.max_rss_kb);
    }
    let (files, lines) = measure::rust_lines(&dir);
    Ok(Ok(Generated {
        wall: measure::median(&walls).unwrap_or_default(),
        peak_kb: measure::median(&peaks).unwrap_or_default(),
        files,
        lines,
        dir,
    }))
}

/// `--build`: every crate generated, with each of its feature sets.
fn build_all(
    tools: &Tools,
    inputs: &[Input],
    generations: &[Generation],
    bench: &Path,
) -> Result<Vec<Build>, String> {
    let mut builds = Vec::new();
    for generation in generations {
        let Ok(generated) = &generation.result else {
            continue;
        };
        let tool = generation.tool;
        let input = &inputs[generation.input];
        // The crate a user would build: the last default build that succeeded (an OpenAPI
        // Generator crate whose version cargo refuses is generated again with 0.1.0).
        let mut buildable = None;
        for plan in plans(tools, tool, input, &generated.dir, bench)? {
            if input.big {
                wait_for_memory(BIG_BUILD_MEMORY_KB);
            }
            eprintln!(
                "building {} / {} ({}) ...",
                input.label,
                tool.label(),
                plan.features
            );
            let args: Vec<&str> = plan.args.iter().map(String::as_str).collect();
            let logs = bench.join("logs").join(tool.slug()).join(format!(
                "{}-build-{}",
                input.name,
                slug(&plan.features)
            ));
            let target = bench.join("target").join(tool.slug());
            let run = compile::build(&plan.dir, &target, &args, &logs)?;
            let result = if run.ok() {
                Ok((run.wall, run.max_rss_kb, compile::warnings(&run.stderr)))
            } else {
                Err(run.why())
            };
            match &result {
                Ok((wall, peak, warnings)) => eprintln!(
                    "  {}, {}, {warnings} warning(s)",
                    duration(*wall),
                    memory(*peak)
                ),
                Err(why) => eprintln!("  {why}"),
            }
            if result.is_ok() && plan.args.is_empty() {
                buildable = Some(plan.dir.clone());
            }
            builds.push(Build {
                input: generation.input,
                tool,
                features: plan.features,
                result,
                crates: None,
            });
        }
        // The first seed's crate also from nothing, as a user's first build is.
        if let Some(dir) = buildable.filter(|_| generation.input == 0 && !input.big) {
            builds.push(cold(tool, input, generation.input, &dir, bench)?);
        }
    }
    Ok(builds)
}

/// A cold first build of `generated`, dependencies included, in a target directory of its own.
fn cold(
    tool: Tool,
    input: &Input,
    index: usize,
    dir: &Path,
    bench: &Path,
) -> Result<Build, String> {
    eprintln!("building {} / {} (cold) ...", input.label, tool.label());
    let logs = bench
        .join("logs")
        .join(tool.slug())
        .join(format!("{}-cold", input.name));
    let target = bench.join("target").join(format!("{}-cold", tool.slug()));
    let (run, crates) = compile::cold_build(dir, &target, &logs)?;
    let result = if run.ok() {
        eprintln!("  {}, {crates} crates", duration(run.wall));
        Ok((run.wall, run.max_rss_kb, compile::warnings(&run.stderr)))
    } else {
        eprintln!("  {}", run.why());
        Err(run.why())
    };
    Ok(Build {
        input: index,
        tool,
        features: COLD.to_owned(),
        result,
        crates: Some(crates),
    })
}

/// What a generated crate is built as: its default features; for our split GitHub crate also
/// every feature and one tag alone; for an OpenAPI Generator crate whose `Cargo.toml` version
/// is not semver (it copies the spec's `info.version`), also the crate generated again with
/// `packageVersion=0.1.0`, to see whether the code itself builds.
fn plans(
    tools: &Tools,
    tool: Tool,
    input: &Input,
    krate: &Path,
    bench: &Path,
) -> Result<Vec<Plan>, String> {
    if tool == Tool::OpenApiToRust {
        peers::wrap_openapi_to_rust(krate, &input.name)?;
    }
    let mut plans: Vec<Plan> = feature_sets(tool, input, krate)
        .into_iter()
        .map(|(features, args)| Plan {
            features,
            dir: krate.to_path_buf(),
            args,
        })
        .collect();
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap_or_default();
    if tool == Tool::OpenApiGenerator && !compile::semver_version(&manifest) {
        let dir = bench
            .join("out")
            .join(tool.slug())
            .join(format!("{}-version-0.1.0", input.name));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        if let Some(mut cmd) = tools.generate(tool, &input.path, &dir, &input.name) {
            cmd.arg("--additional-properties=packageVersion=0.1.0");
            let logs = bench
                .join("logs")
                .join(tool.slug())
                .join(format!("{}-generate-version-0-1-0", input.name));
            if measure::run(&mut cmd, &logs)?.ok() {
                plans.push(Plan {
                    features: "default; generated with packageVersion=0.1.0".to_owned(),
                    dir,
                    args: Vec::new(),
                });
            }
        }
    }
    Ok(plans)
}

/// The feature sets a crate is built with: the defaults, and for our split GitHub crate also
/// every feature and one tag alone (`gists` if there is one).
fn feature_sets(tool: Tool, input: &Input, krate: &Path) -> Vec<(String, Vec<String>)> {
    let mut sets = vec![("default".to_owned(), Vec::new())];
    if tool != Tool::Ours || !input.big {
        return sets;
    }
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap_or_default();
    let features = compile::features(&manifest);
    sets.push(("all features".to_owned(), vec!["--all-features".to_owned()]));
    let tag = features
        .iter()
        .find(|f| *f == "gists")
        .or_else(|| {
            features
                .iter()
                .find(|f| !matches!(f.as_str(), "default" | "full-serde" | "extra-models"))
        })
        .cloned();
    if let Some(tag) = tag {
        sets.push((
            format!("`{tag}` alone"),
            vec![
                "--no-default-features".to_owned(),
                "--features".to_owned(),
                tag,
            ],
        ));
    }
    sets
}

/// Waits (up to 30 minutes) until `MemAvailable` reaches `kb`, so a big build is not measured
/// while something else holds the memory.
fn wait_for_memory(kb: u64) {
    let deadline = Instant::now() + Duration::from_secs(30 * 60);
    let mut told = false;
    while let Some(available) = measure::meminfo_kb("MemAvailable") {
        if available >= kb || Instant::now() > deadline {
            if available < kb {
                eprintln!(
                    "warning: building with only {} available",
                    memory(available)
                );
            }
            return;
        }
        if !told {
            eprintln!(
                "waiting for {} of available memory (now {}) ...",
                memory(kb),
                memory(available)
            );
            told = true;
        }
        std::thread::sleep(Duration::from_secs(10));
    }
}

fn github(cache: &Path) -> Result<PathBuf, String> {
    crate::npm::install(
        cache,
        OCTOKIT,
        "node_modules/@octokit/openapi/generated/api.github.com.json",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_come_from_spec_paths() {
        assert_eq!(crate_name(Path::new("specs/event_grid.yaml")), "event-grid");
        assert_eq!(
            crate_name(Path::new("specs/log_analytics/2020-08-01.yaml")),
            "log-analytics-2020-08-01"
        );
        assert_eq!(slug("`gists` alone"), "gists-alone");
    }
}
