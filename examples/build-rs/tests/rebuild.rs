//! A change of the spec (or of a file it references, or of the overlay) reruns the build
//! script: `cargo build -v` twice, the file's modification time moved on in between.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

fn build() -> String {
    let out = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["build", "-v", "-p", "build-rs-example"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{text}");
    text
}

/// Whether this build ran the example's build script (not just compiled it).
fn ran_build_script(log: &str) -> bool {
    log.lines().any(|l| {
        l.trim_start().starts_with("Running `")
            && l.contains("build-rs-example-")
            && l.contains("build-script-build`")
    })
}

fn touch(file: &Path) {
    // Later than the build before, whatever the file system's timestamp resolution.
    std::thread::sleep(Duration::from_millis(20));
    let file = std::fs::File::options().append(true).open(file).unwrap();
    file.set_modified(SystemTime::now()).unwrap();
}

#[test]
fn changing_any_file_of_the_spec_reruns_the_build_script() {
    let api = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("api");
    build();
    let log = build();
    assert!(!ran_build_script(&log), "nothing changed, yet:\n{log}");
    for file in ["pets.yaml", "schemas.yaml", "pets.overlay.yaml"] {
        touch(&api.join(file));
        let log = build();
        assert!(ran_build_script(&log), "{file} changed, yet:\n{log}");
    }
}
