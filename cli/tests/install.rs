//! End to end, as a new user: `cargo install --path cli`, then `openapi-rustgen generate` on the
//! example project, then `cargo check` of the crate it wrote, with the README's call.
//!
//! Slow (an install and a crate's build), so ignored by `cargo test`; CI runs it with
//! `cargo test -p openapi-rustgen --test install -- --ignored`. It reuses the workspace's target
//! directory and `Cargo.lock`, so it builds no dependency the workspace has not built already.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
}

fn cargo() -> Command {
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo.env("CARGO_TARGET_DIR", target_dir());
    cargo
}

fn ok(command: &mut Command) {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?}\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "slow: installs the CLI and builds a generated crate (CI runs it)"]
fn install_generate_build() {
    // Under target/ (cargo's scratch folder for integration tests): the system's temporary folder
    // may be too small for a debug binary (CI's was).
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let project = dir.join("project");
    std::fs::create_dir_all(&project).unwrap();
    for file in ["codegen.toml", "petstore.yaml"] {
        std::fs::copy(
            repo().join("examples/petstore").join(file),
            project.join(file),
        )
        .unwrap();
    }

    // `--debug`: the test needs a working binary, not a fast one; `--locked`: the versions the
    // workspace has built.
    ok(cargo()
        .args(["install", "--locked", "--debug", "--path"])
        .arg(repo().join("cli"))
        .arg("--root")
        .arg(dir.join("root")));
    let bin = dir
        .join("root/bin")
        .join(format!("openapi-rustgen{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.is_file());

    ok(Command::new(&bin).arg("--help"));
    ok(Command::new(&bin).arg("generate").current_dir(&project));
    ok(Command::new(&bin).arg("check").current_dir(&project));

    // The generated crate is standalone (its own workspace): given the workspace's lock file, it
    // resolves to versions already built.
    let krate = project.join("petstore");
    // The default runtime is vendored: the crate carries it, with the optional parts its spec
    // needs (a `pattern`, a `format: date`), and depends on neither the generator nor the
    // runtime crate.
    for part in ["mod.rs", "client.rs", "object.rs", "pattern.rs", "date.rs"] {
        assert!(krate.join("src/runtime").join(part).is_file(), "{part}");
    }
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("openapi-rustgen-runtime"), "{manifest}");
    std::fs::copy(repo().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    // With the README's call (examples/petstore/call.rs) as an example of the crate.
    std::fs::create_dir_all(krate.join("examples")).unwrap();
    std::fs::copy(
        repo().join("examples/petstore/call.rs"),
        krate.join("examples/call.rs"),
    )
    .unwrap();
    ok(cargo()
        .args(["check", "--quiet", "--examples", "--manifest-path"])
        .arg(krate.join("Cargo.toml")));
    std::fs::remove_dir_all(&dir).unwrap();
}
