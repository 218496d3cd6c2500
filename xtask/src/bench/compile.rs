//! `--build`: how long a generated crate takes to build (dev profile), its dependencies already
//! built, and the peak memory of the build (the largest `rustc`).
//!
//! For each crate and feature set: the dependencies are warmed with the crate's own `src/lib.rs`
//! replaced by an empty file (same manifest, same features, same lock, so the same dependency
//! artifacts, without paying for the crate itself twice), the real `lib.rs` is put back,
//! `cargo clean -p <crate>` removes whatever of the crate there was, and then one `cargo build`
//! is measured. `CARGO_INCREMENTAL=0` throughout. Each tool has its own target directory.
//!
//! A peer's `Cargo.toml` gets an empty `[workspace]` table appended when it has none, so the
//! crate builds on its own inside this repository (ours writes one already); nothing else in a
//! generated crate is changed.

use std::path::Path;
use std::process::Command;

use super::measure::{self, Run};

/// Builds `krate` with `features` (cargo arguments such as `--all-features`) into `target`.
/// `Err` only when the harness itself could not act; a failing build is a `Run` that failed.
pub fn build(krate: &Path, target: &Path, features: &[&str], logs: &Path) -> Result<Run, String> {
    let (manifest, text) = standalone_manifest(krate)?;
    let cargo = |args: &[&str]| cargo(args, &manifest, target);

    // Warm the dependencies: the same build with an empty crate.
    let lib = krate.join("src/lib.rs");
    let saved = krate.join("src/lib.rs.bench-saved");
    std::fs::rename(&lib, &saved).map_err(|e| format!("{}: {e}", lib.display()))?;
    let warm = std::fs::write(&lib, "")
        .map_err(|e| e.to_string())
        .and_then(|()| {
            measure::run(
                cargo(&["build"]).args(features),
                &logs.join("warm-dependencies"),
            )
        });
    std::fs::rename(&saved, &lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    let warm = warm?;
    if !warm.ok() {
        // A manifest cargo refuses, or a dependency that does not build: that is the result.
        return Ok(warm);
    }

    let name =
        package_name(&text).ok_or_else(|| format!("{}: no package name", manifest.display()))?;
    let clean = measure::run(&mut cargo(&["clean", "-p", &name]), &logs.join("clean"))?;
    if !clean.ok() {
        return Err(format!("cargo clean -p {name}: {}", clean.why()));
    }
    measure::run(cargo(&["build"]).args(features), &logs.join("build"))
}

/// A cold first build of `krate`, as a user's first `cargo build` is: `target` emptied first,
/// every dependency built. The run, and how many crates cargo compiled (the crate included).
pub fn cold_build(krate: &Path, target: &Path, logs: &Path) -> Result<(Run, usize), String> {
    let (manifest, _) = standalone_manifest(krate)?;
    if target.exists() {
        std::fs::remove_dir_all(target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    let run = measure::run(
        &mut cargo(&["build"], &manifest, target),
        &logs.join("cold-build"),
    )?;
    let crates = compiled_crates(&run.stderr);
    // Nothing of it is worth keeping: a cold build is measured from nothing each time.
    let _ = std::fs::remove_dir_all(target);
    Ok((run, crates))
}

/// How many crates cargo compiled (`Compiling name v1.0.0` lines; build scripts' runs are not
/// counted apart).
pub fn compiled_crates(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count()
}

/// The `name` of the manifest's `[package]`.
pub fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some(value) = line.strip_prefix("name") {
            let value = value.trim_start().strip_prefix('=')?.trim();
            return Some(value.trim_matches(|c| c == '"' || c == '\'').to_owned());
        }
    }
    None
}

/// `cargo <args>` on `manifest` into `target`, not incremental, with no `RUSTFLAGS` of ours.
fn cargo(args: &[&str], manifest: &Path, target: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target-dir")
        .arg(target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS");
    cmd
}

/// `krate`'s `Cargo.toml` (path and text), given an empty `[workspace]` table when it has none so
/// that it builds on its own inside this repository.
fn standalone_manifest(krate: &Path) -> Result<(std::path::PathBuf, String), String> {
    let manifest = krate.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    if !has_workspace_table(&text) {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n"))
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
    }
    Ok((manifest, text))
}

fn has_workspace_table(manifest: &str) -> bool {
    manifest.lines().any(|l| l.trim() == "[workspace]")
}

/// The cargo features of a generated crate (the keys of `[features]`), in order.
pub fn features(manifest: &str) -> Vec<String> {
    let mut in_features = false;
    let mut out = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if in_features {
            if let Some((key, _)) = line.split_once('=') {
                let key = key.trim().trim_matches('"');
                if !key.is_empty() && !key.starts_with('#') {
                    out.push(key.to_owned());
                }
            }
        }
    }
    out
}

/// The warnings cargo counted for the crate itself (`warning: `x` (lib) generated 2 warnings`).
pub fn warnings(stderr: &str) -> usize {
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix("warning: `")?;
            let (_, rest) = rest.split_once(" generated ")?;
            rest.split_whitespace().next()?.parse::<usize>().ok()
        })
        .sum()
}

/// Whether the `[package]` version is `MAJOR.MINOR.PATCH` (with an optional pre-release or
/// build suffix), which cargo requires.
pub fn semver_version(manifest: &str) -> bool {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if let Some(value) = line.strip_prefix("version").filter(|_| in_package) {
            let Some(value) = value.trim_start().strip_prefix('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            let core = value.split(['-', '+']).next().unwrap_or("");
            let parts: Vec<&str> = core.split('.').collect();
            return parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "# @generated\n[package]\nname = \"github\"\nversion = \"0.1.0\"\n\n[dependencies]\nname-like = \"1\"\n\n[features]\ndefault = [\"actions\", \"gists\"]\nactions = []\n\"gists\" = []\nfull-serde = []\n";

    #[test]
    fn the_package_name_is_read() {
        assert_eq!(package_name(MANIFEST).as_deref(), Some("github"));
        assert_eq!(
            package_name(
                "[dependencies]\nname = \"x\"\n[package]\nversion = \"1\"\nname = 'late'\n"
            )
            .as_deref(),
            Some("late")
        );
        assert_eq!(package_name("[dependencies]\nname = \"x\"\n"), None);
    }

    #[test]
    fn compiled_crates_are_counted() {
        let stderr = "   Compiling libc v0.2.1\n   Compiling seed v0.1.0 (/tmp/seed)\nwarning: unused\n    Finished `dev` profile\n";
        assert_eq!(compiled_crates(stderr), 2);
    }

    #[test]
    fn warnings_are_counted() {
        let stderr = "warning: unused\nwarning: `search` (lib) generated 2 warnings (run `cargo fix --lib -p search` to apply 1 suggestion)\n    Finished `dev` profile\n";
        assert_eq!(warnings(stderr), 2);
        assert_eq!(warnings("warning: `x` (lib) generated 1 warning\n"), 1);
        assert_eq!(warnings("    Finished `dev` profile\n"), 0);
    }

    #[test]
    fn versions_cargo_accepts() {
        assert!(semver_version(MANIFEST));
        assert!(semver_version("[package]\nversion = \"23.0.2\"\n"));
        assert!(semver_version("[package]\nversion = \"1.0.0-beta.1\"\n"));
        assert!(!semver_version(
            "[package]\nversion = \"2024-03-01-preiew.0.0\"\n"
        ));
        assert!(!semver_version("[package]\nversion = \"2025-07-01.0.0\"\n"));
        assert!(!semver_version("[dependencies]\nversion = \"1.0.0\"\n"));
    }

    #[test]
    fn features_are_listed() {
        assert_eq!(
            features(MANIFEST),
            ["default", "actions", "gists", "full-serde"]
        );
        assert!(!has_workspace_table(MANIFEST));
        assert!(has_workspace_table(&format!("{MANIFEST}\n[workspace]\n")));
    }
}
