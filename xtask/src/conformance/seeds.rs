//! `cargo xtask conformance` without `--corpus`: every operation of the product crate
//! (`generated/`) against Stoplight Prism.
//!
//! Prism is installed from npm into `.cache/prism` the first time. One Prism per
//! spec in `specs/`, and one for the security fixture (Prism checks the schemes a spec declares),
//! runs as a validating mock (`--errors`) on a free loopback port; the driver
//! (`tests/examples/conformance.rs`) then makes valid and invalid calls and prints the table.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{free_port, install, wait_for, Servers};

/// The examples of `integration-tests` the run executes: the driver, then the key rotation as
/// the README runs it. All are built before any server starts.
const EXAMPLES: &[&str] = &["conformance", "rotate_keys"];

pub fn run(root: &Path) -> Result<(), String> {
    let cache = root.join(".cache/prism");
    let prism = install(&cache)?;

    let status = Command::new(env!("CARGO"))
        .args(build_args())
        .current_dir(root)
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("error: building the conformance examples failed".to_owned());
    }
    let examples = target_dir(root)?.join("debug").join("examples");

    let mut servers = Servers(Vec::new());
    let mut urls = Vec::new();
    // One server per module; for a service with several versions, the one its root follows.
    // Prism mocks the document the client was generated from: the spec with the files it
    // references, its overlays and the conventions the loader made explicit, as OpenAPI 3.0.
    let mut specs: Vec<(String, PathBuf)> = Vec::new();
    for spec in crate::product_specs(root)? {
        let module = match &spec.service {
            None => spec.module.clone(),
            Some(sv) if !sv.is_preview() => sv.service.clone(),
            Some(_) => continue,
        };
        let loaded = spec.load().map_err(|e| format!("{}", codegen::Errors(e)))?;
        let file = cache.join(format!("{module}.json"));
        let text = serde_json::to_string_pretty(&loaded.raw).map_err(|e| e.to_string())?;
        std::fs::write(&file, text)
            .map_err(|e| format!("error: writing {}: {e}", file.display()))?;
        specs.retain(|(m, _)| *m != module);
        specs.push((module, file));
    }
    // Every kind of security scheme and requirement (a module of the fixture crate).
    specs.push((
        "security".to_owned(),
        root.join("tests/fixtures/specs/security.yaml"),
    ));
    for (module, spec) in &specs {
        let module = module.clone();
        let port = free_port()?;
        let log = std::fs::File::create(cache.join(format!("{module}.log")))
            .map_err(|e| format!("error: creating the Prism log: {e}"))?;
        let child = Command::new(&prism)
            .args([
                "mock",
                "--errors",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .arg(spec)
            .stdout(Stdio::from(log.try_clone().map_err(|e| e.to_string())?))
            .stderr(Stdio::from(log))
            .spawn()
            .map_err(|e| format!("error: starting Prism: {e}"))?;
        servers.0.push(child);
        urls.push((module, port));
    }
    for (module, port) in &urls {
        wait_for(*port, Duration::from_secs(90)).map_err(|e| {
            format!("error: Prism for {module} did not start: {e} (see .cache/prism/{module}.log)")
        })?;
    }
    let env: Vec<String> = urls
        .iter()
        .map(|(m, p)| format!("{m}=http://127.0.0.1:{p}"))
        .collect();
    let driver = examples.join(EXAMPLES[0]);
    let status = Command::new(driver)
        .env("CONFORMANCE_URLS", env.join(","))
        .status()
        .map_err(|e| format!("error: running the conformance driver: {e}"))?;
    // The key-rotation example, as the README runs it, against the Search mock.
    let search = urls
        .iter()
        .find(|(m, _)| m == "search")
        .map(|(_, p)| format!("http://127.0.0.1:{p}"));
    let example_ok = match search {
        Some(url) => {
            println!("\nexample rotate_keys against the Search mock:");
            let output = Command::new(examples.join(EXAMPLES[1]))
                .args([
                    "--base-url",
                    &url,
                    "--subscription",
                    "subid",
                    "--resource-group",
                    "rg1",
                ])
                .args(["--service", "mysearchservice"])
                .output()
                .map_err(|e| format!("error: running rotate_keys: {e}"))?;
            let stdout = String::from_utf8_lossy(&output.stdout);
            print!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
            // Prism answers with the spec's example keys: none may be printed.
            let leaked = stdout.contains("admin API key");
            if leaked {
                println!("FAIL: a key was printed");
            }
            output.status.success() && !leaked
        }
        None => true,
    };
    drop(servers);
    if status.success() && example_ok {
        Ok(())
    } else {
        Err("error: conformance failures (table above)".to_owned())
    }
}

/// `cargo build` of every example the run executes.
fn build_args() -> Vec<&'static str> {
    let mut args = vec!["build", "--quiet", "-p", "integration-tests"];
    for example in EXAMPLES {
        args.extend(["--example", example]);
    }
    args
}

/// Where cargo builds the workspace: `CARGO_TARGET_DIR` or cargo's configuration when set,
/// else `target/` (cargo says which).
fn target_dir(root: &Path) -> Result<PathBuf, String> {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("error: cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "error: cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("error: cargo metadata: {e}"))?;
    metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| "error: cargo metadata names no target directory".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh clone ran only what an earlier `cargo test` had built: every example the run
    /// executes is built first.
    #[test]
    fn every_example_run_is_built() {
        let args = build_args();
        for example in EXAMPLES {
            assert!(
                args.windows(2).any(|w| w == ["--example", *example]),
                "{example} is not built: {args:?}"
            );
        }
    }

    /// The examples are looked for where cargo builds them, `CARGO_TARGET_DIR` included (they
    /// were looked for under `target/` whatever it said).
    #[test]
    fn examples_are_where_cargo_builds_them() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let root = root.canonicalize().unwrap();
        let expected = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => root.join(dir),
            None => root.join("target"),
        };
        assert_eq!(target_dir(&root).unwrap(), expected);
        let custom = std::env::temp_dir().join("xtask-conformance-target");
        let output = Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .env("CARGO_TARGET_DIR", &custom)
            .current_dir(&root)
            .output()
            .unwrap();
        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(metadata["target_directory"], custom.to_str().unwrap());
    }
}
