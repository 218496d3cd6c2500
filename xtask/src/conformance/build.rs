//! Builds a batch of generated clients and their drivers: one throw-away workspace (the clients
//! and one runner crate that depends on all of them), one `cargo build`, one target directory
//! for every batch, so dependencies and the runtime build once. A client or a driver module that
//! does not compile is left out of the runner and the rest built again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::driver;

/// The harness every runner is built from.
const RUNNER_MAIN: &str = include_str!("../../driver/main.rs");

/// What the build of a batch gave: the runner binary (a copy, so the next batch can build while
/// this one runs) and the first compiler error of each crate left out.
pub struct Built {
    pub runner: Option<PathBuf>,
    pub failed: BTreeMap<String, String>,
}

/// Builds the runner of `crates` (folders of `work`, each with its driver module in
/// `work/drivers/<crate>.rs`), leaving out the ones that fail.
pub fn build(
    work: &Path,
    target: &Path,
    runtime: &Path,
    crates: &[String],
    batch: usize,
) -> Result<Built, String> {
    let mut left: Vec<String> = crates.to_vec();
    let mut failed = BTreeMap::new();
    // Each round leaves out at least one crate, or ends.
    while !left.is_empty() {
        write_runner(work, runtime, &left)?;
        let errors = cargo_build(work, target, &left)?;
        if errors.is_empty() {
            let built = target.join("debug").join("runner");
            let copy = work.join(format!("runner-{batch}"));
            std::fs::copy(&built, &copy)
                .map_err(|e| format!("error: copying {}: {e}", built.display()))?;
            return Ok(Built {
                runner: Some(copy),
                failed,
            });
        }
        let before = left.len();
        left.retain(|c| !errors.contains_key(c));
        if left.len() == before {
            // An error nobody owns (the harness, cargo itself): nothing is left to run.
            let message = errors.into_values().next().unwrap_or_default();
            for c in left.drain(..) {
                failed.insert(c, message.clone());
            }
            break;
        }
        failed.extend(errors.into_iter().filter(|(c, _)| crates.contains(c)));
    }
    Ok(Built {
        runner: None,
        failed,
    })
}

fn write_runner(work: &Path, runtime: &Path, crates: &[String]) -> Result<(), String> {
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("error: writing {}: {e}", path.display()))
    };
    let src = work.join("runner/src");
    let _ = std::fs::remove_dir_all(&src);
    std::fs::create_dir_all(&src).map_err(|e| e.to_string())?;
    let members: Vec<String> = crates
        .iter()
        .map(|c| format!("{c:?}"))
        .chain(["\"runner\"".to_owned()])
        .collect();
    write(
        work.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = 0\n",
            members.join(", ")
        ),
    )?;
    let runtime = runtime.to_string_lossy();
    write(
        work.join("runner/Cargo.toml"),
        &driver::cargo_toml(crates, &runtime),
    )?;
    write(src.join("main.rs"), RUNNER_MAIN)?;
    write(src.join("specs.rs"), &driver::specs_rs(crates))?;
    std::fs::create_dir_all(src.join("specs")).map_err(|e| e.to_string())?;
    for c in crates {
        let module = std::fs::read_to_string(work.join("drivers").join(format!("{c}.rs")))
            .map_err(|e| format!("error: reading the driver of {c}: {e}"))?;
        write(src.join("specs").join(format!("{c}.rs")), &module)?;
    }
    Ok(())
}

/// `cargo build` of the workspace; the first error of each crate that failed (a driver module's
/// error counts against its crate), empty when the build succeeded.
fn cargo_build(
    work: &Path,
    target: &Path,
    crates: &[String],
) -> Result<BTreeMap<String, String>, String> {
    let output = Command::new(env!("CARGO"))
        .args([
            "build",
            "-p",
            "runner",
            "--keep-going",
            "--message-format=json",
            "--quiet",
        ])
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(work)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("error: running cargo build: {e}"))?;
    let mut errors = BTreeMap::new();
    if output.status.success() {
        return Ok(errors);
    }
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let rendered = msg["message"]["rendered"].as_str().unwrap_or("");
        let first: String = rendered.lines().take(3).collect::<Vec<_>>().join(" ");
        let package = msg["package_id"].as_str().unwrap_or("");
        let file = msg["message"]["spans"][0]["file_name"]
            .as_str()
            .unwrap_or("");
        let owner = crates.iter().find(|c| {
            package.contains(&format!("/{c}#"))
                || package.starts_with(&format!("{c} "))
                || file.ends_with(&format!("specs/{c}.rs"))
        });
        let key = owner.cloned().unwrap_or_else(|| "runner".to_owned());
        errors.entry(key).or_insert(first);
    }
    if errors.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        errors.insert(
            "runner".to_owned(),
            stderr.lines().take(5).collect::<Vec<_>>().join(" "),
        );
    }
    Ok(errors)
}
