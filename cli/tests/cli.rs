//! The `openapi-rustgen` binary as a user runs it: arguments, exit codes, messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_openapi-rustgen");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh folder holding the example project (examples/petstore).
fn example(name: &str) -> PathBuf {
    // Under target/ (cargo's scratch folder for integration tests), not the system's temporary
    // folder, which may be small.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["codegen.toml", "petstore.yaml"] {
        std::fs::copy(repo().join("examples/petstore").join(file), dir.join(file)).unwrap();
    }
    dir
}

#[test]
fn help_names_every_command_and_how_to_start() {
    let out = run(&repo(), &["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for word in ["generate", "check", "diff", "codegen.toml", "Exit codes"] {
        assert!(help.contains(word), "{word}: {help}");
    }
    let out = run(&repo(), &["generate", "--help"]);
    let help = text(&out.stdout);
    for word in [
        "--out",
        "--name",
        "--overlay",
        "--tags",
        "--operations",
        "--skip-unsupported",
        "--tag-features",
        "--config",
    ] {
        assert!(help.contains(word), "{word}: {help}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = example("usage");
    std::fs::remove_file(dir.join("codegen.toml")).unwrap();
    let out = run(&dir, &["generate"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no codegen.toml here"));
    assert_eq!(
        run(&dir, &["generate", "petstore.yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&dir, &["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&dir, &["check"]).status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn generate_then_check_then_a_stale_crate_fails() {
    let dir = example("check");
    let out = run(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("wrote petstore/src/petstore.rs"));
    assert!(dir.join("petstore/Cargo.toml").is_file());

    let out = run(&dir, &["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("generated code is up to date ("));

    std::fs::write(dir.join("petstore/src/petstore.rs"), "// edited by hand\n").unwrap();
    let out = run(&dir, &["check", "--config", "codegen.toml"]);
    assert_eq!(out.status.code(), Some(1));
    // The message of `cargo xtask codegen --check` (xtask's `a_stale_crate_fails_the_check`).
    assert_eq!(
        text(&out.stderr),
        "error: generated code is stale; regenerate it from its project file and commit the result:\n  petstore/src/petstore.rs\n"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn loose_specs_with_an_overlay_and_a_selection() {
    let dir = example("loose");
    std::fs::write(
        dir.join("rename.yaml"),
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {title: Renamed Petstore}\n",
    )
    .unwrap();
    let out = run(
        &dir,
        &[
            "generate",
            "petstore.yaml",
            "--out",
            "pets",
            "--name",
            "pets",
            "--overlay",
            "rename.yaml",
            "--operations",
            "getPetById",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let module = std::fs::read_to_string(dir.join("pets/src/petstore.rs")).unwrap();
    assert!(module.contains("pub fn get_pet_by_id<'a>("));
    assert!(!module.contains("pub fn list_pets<'a>("));
    let lib = std::fs::read_to_string(dir.join("pets/src/lib.rs")).unwrap();
    assert!(lib.contains("Renamed Petstore"), "{lib}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_broken_spec_is_located_and_writes_nothing() {
    let dir = example("broken");
    std::fs::write(
        dir.join("petstore.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n",
    )
    .unwrap();
    let out = run(&dir, &["generate"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: petstore.yaml:5: at #/paths/~1a~1{id}/get: "),
        "{err}"
    );
    assert!(!dir.join("petstore").exists(), "nothing was written");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn diff_exits_1_on_a_breaking_change() {
    let fixture = |rule: &str, side: &str| format!("codegen/tests/diff/{rule}/{side}.yaml");
    let out = run(
        &repo(),
        &[
            "diff",
            &fixture("tightened_pattern", "old"),
            &fixture("tightened_pattern", "new"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let out = run(
        &repo(),
        &[
            "diff",
            &fixture("api_version_bump", "old"),
            &fixture("api_version_bump", "new"),
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with('{'));
    let out = run(
        &repo(),
        &["diff", "no/such.yaml", &fixture("api_version_bump", "new")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read the spec"));
}

/// `openapi-rustgen check` on this repository's project files agrees with `cargo xtask codegen
/// --check` (both are `codegen::project::check`; xtask's tests hold the committed crates fresh).
#[test]
fn check_agrees_on_this_repository() {
    let out = run(
        &repo(),
        &[
            "check",
            "--config",
            "specs/codegen.toml",
            "--config",
            "tests/fixtures/specs/codegen.toml",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("generated code is up to date ("));
}
