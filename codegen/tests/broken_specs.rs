//! The catalogue of broken specs in `tests/broken/`: each must fail generation with an error that
//! names the file, the JSON pointer (and line) of the fault, and produce no output.
//!
//! Each fixture states what it expects in leading comments:
//! `# expect: <text in the message>`, `# pointer: <JSON pointer>`, `# line: <n|any>`, and where
//! the error is about another file than the fixture, `# file: <path>`; `# overlay: <path>`
//! applies an overlay. Files the fixtures reference are in `tests/broken/parts/`.
//!
//! Beside each fixture, `<name>.stderr` is the full text of its diagnostics, as `cargo xtask
//! generate` prints them: reviewed like a golden file. After a deliberate change of a message,
//! rewrite them with `UPDATE_EXPECT=1 cargo test -p codegen --test broken_specs` and review the
//! diff.

use std::path::Path;

use codegen::{CrateOptions, Spec};

fn options() -> CrateOptions {
    CrateOptions::new("broken").description("broken")
}

fn directive<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix(&format!("# {key}: ")))
}

#[test]
fn every_broken_spec_fails_with_its_location() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    // Folders hold the files the fixtures reference (`parts/`).
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "stderr"))
        .collect();
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    entries.sort();
    assert!(entries.len() >= 15, "the catalogue is there");
    let mut failures = Vec::new();
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let expect = directive(&text, "expect").unwrap_or_else(|| panic!("{name}: no # expect"));
        // Paths relative to this crate, so the files a fixture references are read from disk.
        let mut spec = Spec::new(format!("tests/broken/{name}"), text.clone());
        if let Some(overlay) = directive(&text, "overlay") {
            let path = format!("tests/broken/{overlay}");
            spec.overlays
                .push(codegen::load::Overlay::read(&path).unwrap_or_else(|e| panic!("{e}")));
        }
        let errors = match codegen::generate(&[spec], &options()) {
            Ok(_) => {
                failures.push(format!("{name}: generated without error"));
                continue;
            }
            Err(e) => e,
        };
        let snapshot = path.with_extension("stderr");
        let actual = format!("{errors}\n");
        if update {
            std::fs::write(&snapshot, &actual).unwrap();
        } else {
            let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
            if actual != expected {
                failures.push(format!(
                    "{name}: the diagnostics differ from {}\n--- expected\n{expected}--- actual\n{actual}(rerun with UPDATE_EXPECT=1 to accept them)",
                    snapshot.file_name().unwrap().to_string_lossy()
                ));
            }
        }
        let Some(d) = errors.0.iter().find(|d| d.message.contains(expect)) else {
            failures.push(format!("{name}: no error contains {expect:?}: {errors}"));
            continue;
        };
        // The file the error is about: the fixture, or the file `# file:` names (a file it
        // references, an overlay).
        let file =
            directive(&text, "file").map_or_else(|| format!("tests/broken/{name}"), str::to_owned);
        if !d.to_string().starts_with(&file) {
            failures.push(format!("{name}: the error does not start with {file}: {d}"));
        }
        if let Some(pointer) = directive(&text, "pointer") {
            if d.pointer != pointer {
                failures.push(format!(
                    "{name}: pointer {:?}, expected {pointer:?}",
                    d.pointer
                ));
            }
        }
        match directive(&text, "line") {
            Some("any") if d.line.is_none() => {
                failures.push(format!("{name}: no line in {d}"));
            }
            Some(line) if line != "any" && d.line != line.parse().ok() => {
                failures.push(format!("{name}: line {:?}, expected {line}", d.line));
            }
            _ => {}
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_reserved_or_duplicate_module_name_is_an_error() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n".to_owned();
    let err = codegen::generate(&[Spec::new("specs/runtime.yaml", text.clone())], &options())
        .unwrap_err()
        .to_string();
    assert!(err.contains("`runtime` is reserved"), "{err}");
    let err = codegen::generate(
        &[
            Spec::new("a/my-api.yaml", text.clone()),
            Spec::new("b/my_api.json", text),
        ],
        &options(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("is taken by a/my-api.yaml"), "{err}");
}
