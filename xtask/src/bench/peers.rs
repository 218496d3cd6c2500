//! The generators measured: ours (this very binary, `xtask generate`) and the pinned peers,
//! installed into `.cache/peers/` on first use.
//!
//! - `cargo-progenitor` (crates.io), `cargo install --locked --root .cache/peers/progenitor`;
//!   run as `cargo-progenitor progenitor -i SPEC -o DIR -n NAME -v 0.1.0` (the binary cargo
//!   itself would run for `cargo progenitor`, without cargo in between).
//! - OpenAPI Generator (PyPI `openapi-generator-cli`, which bundles the jar),
//!   `pip install --target .cache/peers/openapi-generator`; run as `java -jar
//!   openapi-generator.jar generate -g rust -i SPEC -o DIR --package-name NAME`, with the
//!   generator's default options and without the Python wrapper's start-up in the figure.
//! - openapi-to-rust (crates.io), `cargo install --locked --root .cache/peers/openapi-to-rust`;
//!   run in its direct mode (no TOML file) as `openapi-to-rust generate SPEC --output-dir
//!   DIR/src/generated --module-name NAME --quiet`. It writes modules and the dependencies they
//!   need, not a crate: the build step wraps them ([`wrap_openapi_to_rust`]).

use std::path::{Path, PathBuf};
use std::process::Command;

pub const PROGENITOR_VERSION: &str = "0.15.1";
pub const OPENAPI_GENERATOR_VERSION: &str = "7.26.0";
pub const OPENAPI_TO_RUST_VERSION: &str = "0.23.0";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Ours,
    Progenitor,
    OpenApiGenerator,
    OpenApiToRust,
}

impl Tool {
    pub const ALL: [Tool; 4] = [
        Tool::Ours,
        Tool::Progenitor,
        Tool::OpenApiGenerator,
        Tool::OpenApiToRust,
    ];

    pub fn label(self) -> String {
        match self {
            Tool::Ours => "ours".to_owned(),
            Tool::Progenitor => format!("cargo-progenitor {PROGENITOR_VERSION}"),
            Tool::OpenApiGenerator => format!("OpenAPI Generator {OPENAPI_GENERATOR_VERSION}"),
            Tool::OpenApiToRust => format!("openapi-to-rust {OPENAPI_TO_RUST_VERSION}"),
        }
    }

    /// Folder name under `.cache/bench/`.
    pub fn slug(self) -> &'static str {
        match self {
            Tool::Ours => "ours",
            Tool::Progenitor => "progenitor",
            Tool::OpenApiGenerator => "openapi-generator",
            Tool::OpenApiToRust => "openapi-to-rust",
        }
    }
}

/// How to run each tool, or why it cannot be run.
pub struct Tools {
    /// This binary.
    ours: PathBuf,
    progenitor: Result<PathBuf, String>,
    /// The jar.
    openapi_generator: Result<PathBuf, String>,
    openapi_to_rust: Result<PathBuf, String>,
}

impl Tools {
    /// Finds the peers in `.cache/peers/`; installs the missing ones when `install`, else
    /// leaves them out (`--smoke`).
    pub fn find(root: &Path, peers: bool, install: bool) -> Result<Self, String> {
        let ours = std::env::current_exe().map_err(|e| format!("locating xtask: {e}"))?;
        let dir = root.join(".cache/peers");
        let (progenitor, openapi_generator, openapi_to_rust) = if peers {
            (
                progenitor(&dir, install),
                openapi_generator(&dir, install),
                openapi_to_rust(&dir, install),
            )
        } else {
            let off = || Err("not measured (--no-peers)".to_owned());
            (off(), off(), off())
        };
        Ok(Tools {
            ours,
            progenitor,
            openapi_generator,
            openapi_to_rust,
        })
    }

    /// `Err` with the reason when the tool is not available.
    pub fn available(&self, tool: Tool) -> Result<(), String> {
        match tool {
            Tool::Ours => Ok(()),
            Tool::Progenitor => self.progenitor.as_ref().map(|_| ()).map_err(Clone::clone),
            Tool::OpenApiGenerator => self
                .openapi_generator
                .as_ref()
                .map(|_| ())
                .map_err(Clone::clone),
            Tool::OpenApiToRust => self
                .openapi_to_rust
                .as_ref()
                .map(|_| ())
                .map_err(Clone::clone),
        }
    }

    /// The command that generates a crate named `name` from `spec` into `out`.
    pub fn generate(&self, tool: Tool, spec: &Path, out: &Path, name: &str) -> Option<Command> {
        match tool {
            Tool::Ours => {
                let mut cmd = Command::new(&self.ours);
                cmd.arg("generate")
                    .arg(spec)
                    .arg("--out")
                    .arg(out)
                    .args(["--name", name]);
                Some(cmd)
            }
            Tool::Progenitor => {
                let bin = self.progenitor.as_ref().ok()?;
                let mut cmd = Command::new(bin);
                cmd.args(["progenitor", "-i"])
                    .arg(spec)
                    .arg("-o")
                    .arg(out)
                    .args(["-n", name, "-v", "0.1.0"]);
                Some(cmd)
            }
            Tool::OpenApiGenerator => {
                let jar = self.openapi_generator.as_ref().ok()?;
                let mut cmd = Command::new("java");
                cmd.arg("-jar")
                    .arg(jar)
                    .args(["generate", "-g", "rust", "-i"])
                    .arg(spec)
                    .arg("-o")
                    .arg(out)
                    .args(["--package-name", name]);
                Some(cmd)
            }
            Tool::OpenApiToRust => {
                let bin = self.openapi_to_rust.as_ref().ok()?;
                let mut cmd = Command::new(bin);
                cmd.arg("generate")
                    .arg(spec)
                    .arg("--output-dir")
                    .arg(out.join("src/generated"))
                    .args(["--module-name", name, "--quiet"]);
                Some(cmd)
            }
        }
    }
}

/// Makes the modules openapi-to-rust wrote under `dir/src/generated` a crate named `name`: its
/// dependencies are the `REQUIRED_DEPS.toml` fragment it writes beside them ("append this
/// fragment to the consuming crate's Cargo.toml").
pub fn wrap_openapi_to_rust(dir: &Path, name: &str) -> Result<(), String> {
    let fragment = dir.join("src/generated/REQUIRED_DEPS.toml");
    let deps =
        std::fs::read_to_string(&fragment).map_err(|e| format!("{}: {e}", fragment.display()))?;
    let manifest =
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n{deps}");
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/lib.rs"), "pub mod generated;\n").map_err(|e| e.to_string())
}

/// `.cache/peers/openapi-to-rust/bin/openapi-to-rust`, installed with `cargo install` if needed.
fn openapi_to_rust(peers: &Path, install: bool) -> Result<PathBuf, String> {
    let root = peers.join("openapi-to-rust");
    let bin = root.join("bin/openapi-to-rust");
    cargo_installed(
        &root,
        &bin,
        "openapi-to-rust",
        OPENAPI_TO_RUST_VERSION,
        install,
    )
}

/// `.cache/peers/progenitor/bin/cargo-progenitor`, installed with `cargo install` if needed.
fn progenitor(peers: &Path, install: bool) -> Result<PathBuf, String> {
    let root = peers.join("progenitor");
    let bin = root.join("bin/cargo-progenitor");
    cargo_installed(&root, &bin, "cargo-progenitor", PROGENITOR_VERSION, install)
}

/// `bin` of `krate` at `version` under `root`, installed there with `cargo install` if needed.
fn cargo_installed(
    root: &Path,
    bin: &Path,
    krate: &str,
    version: &str,
    install: bool,
) -> Result<PathBuf, String> {
    let pin = format!("{krate} {version}");
    if installed(root, bin, &pin) {
        return Ok(bin.to_path_buf());
    }
    if !install {
        return Err("not installed (a full `bench` run installs it)".to_owned());
    }
    eprintln!(
        "installing {pin} into {} (first run only; a few minutes)",
        root.display()
    );
    let status = Command::new("cargo")
        .args(["install", krate, "--locked", "--version", version, "--root"])
        .arg(root)
        .status()
        .map_err(|e| format!("running cargo install: {e}"))?;
    if !status.success() || !bin.exists() {
        return Err(format!("`cargo install {pin}` failed"));
    }
    stamp(root, &pin)?;
    Ok(bin.to_path_buf())
}

/// The jar inside `.cache/peers/openapi-generator`, installed with pip if needed; needs `java`.
fn openapi_generator(peers: &Path, install: bool) -> Result<PathBuf, String> {
    let root = peers.join("openapi-generator");
    let jar = root.join("openapi_generator_cli/openapi-generator.jar");
    let pin = format!("openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}");
    let java = Command::new("java")
        .arg("-version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !java {
        return Err("`java` not found (OpenAPI Generator needs Java 11 or later)".to_owned());
    }
    if installed(&root, &jar, &pin) {
        return Ok(jar);
    }
    if !install {
        return Err("not installed (a full `bench` run installs it)".to_owned());
    }
    eprintln!("installing {pin} into {} (first run only)", root.display());
    let status = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--upgrade",
            "--target",
        ])
        .arg(&root)
        .arg(&pin)
        .status()
        .map_err(|e| format!("running pip: {e}"))?;
    if !status.success() || !jar.exists() {
        return Err(format!("`pip install {pin}` failed"));
    }
    stamp(&root, &pin)?;
    Ok(jar)
}

fn installed(root: &Path, file: &Path, pin: &str) -> bool {
    file.exists()
        && std::fs::read_to_string(root.join("installed-version"))
            .ok()
            .as_deref()
            == Some(pin)
}

fn stamp(root: &Path, pin: &str) -> Result<(), String> {
    std::fs::write(root.join("installed-version"), pin).map_err(|e| e.to_string())
}
