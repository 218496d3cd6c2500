//! `cargo xtask bench`: how fast the generator is, against the floor of just parsing the spec.
//!
//! Inputs: the specs in `specs/`, and GitHub's REST description (npm `@octokit/openapi`, pinned,
//! installed into `.cache/bench` on first use). For each: the median of several runs of parsing
//! into `openapiv3` (the floor) and of the whole in-memory generation (load, resolve, emit,
//! format with prettyplease; no rustfmt, no disk), their ratio, the generated lines, and the
//! process's peak memory afterwards. Run it with `--release`: `cargo run --release -p xtask --
//! bench`. The peers (progenitor, OpenAPI Generator) are not measured yet.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use codegen::{CrateOptions, Spec};

const OCTOKIT: &str = "@octokit/openapi@23.0.2";

pub fn run(root: &Path, runs: usize) -> Result<(), String> {
    let mut inputs: Vec<(String, PathBuf)> = crate::specs_in(root, "specs")?
        .into_iter()
        .map(|s| (s.path.display().to_string(), root.join(&s.path)))
        .collect();
    match github(&root.join(".cache/bench")) {
        Ok(path) => inputs.push(("GitHub REST (api.github.com.json, 13 MB)".to_owned(), path)),
        Err(e) => eprintln!("warning: GitHub spec unavailable: {e}"),
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| spec | parse (median) | generate (median) | generate / parse | generated lines | peak RSS after |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for (label, path) in &inputs {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let parse = median(runs, || {
            let started = Instant::now();
            let _ = codegen::load::load(path, &text);
            started.elapsed()
        });
        let options = CrateOptions {
            name: "bench".into(),
            version: "0.1.0".into(),
            description: "bench".into(),
            standalone: true,
            azure_core_feature: false,
        };
        let mut spec = Spec::new(path.clone(), text.clone());
        // Generate what can be generated: the figure is about speed, not coverage.
        spec.selection.skip_unsupported = true;
        let mut lines = 0;
        let generate = median(runs, || {
            let started = Instant::now();
            let result = codegen::generate(std::slice::from_ref(&spec), &options);
            let elapsed = started.elapsed();
            if let Ok(output) = &result {
                lines = output.files.values().map(|t| t.lines().count()).sum();
            }
            elapsed
        });
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {:.1}× | {lines} | {} |",
            ms(parse),
            ms(generate),
            generate.as_secs_f64() / parse.as_secs_f64().max(1e-9),
            peak_rss()
        );
    }
    println!("{out}");
    let file = root.join(".cache/bench/report.md");
    std::fs::create_dir_all(root.join(".cache/bench")).map_err(|e| e.to_string())?;
    std::fs::write(&file, &out).map_err(|e| e.to_string())?;
    println!("written to .cache/bench/report.md ({runs} runs each)");
    Ok(())
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1)).map(|_| f()).collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Peak resident memory of this process so far (Linux), as the kernel reports it.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "-".to_owned())
}

fn github(cache: &Path) -> Result<PathBuf, String> {
    let file = cache.join("node_modules/@octokit/openapi/generated/api.github.com.json");
    let stamp = cache.join("installed-version");
    if file.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(OCTOKIT) {
        return Ok(file);
    }
    std::fs::create_dir_all(cache).map_err(|e| e.to_string())?;
    eprintln!(
        "installing {OCTOKIT} into {} (first run only)",
        cache.display()
    );
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(cache)
        .arg(OCTOKIT)
        .status()
        .map_err(|e| format!("running npm: {e}"))?;
    if !status.success() || !file.exists() {
        return Err(format!("`npm install {OCTOKIT}` failed"));
    }
    std::fs::write(&stamp, OCTOKIT).map_err(|e| e.to_string())?;
    Ok(file)
}
