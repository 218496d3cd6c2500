//! Model snapshots: each spec of `tests/model/` through load and resolve, the model it makes
//! printed by `codegen::model::print` and compared with the reviewed `<name>.model.txt` beside
//! it, the warnings resolve gives after the model (as `cargo xtask generate` prints them).
//!
//! What each spec shows is said in its leading comments. A fixture may set the selection with
//! a leading `# skip-unsupported` line. After a deliberate change of the model (or of the
//! printer), rewrite the snapshots with `UPDATE_EXPECT=1 cargo test -p codegen --test model`
//! and review the diff.

use std::path::{Path, PathBuf};

use codegen::Spec;

/// The model text and warnings of one fixture.
fn snapshot(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    let mut spec = Spec::new(format!("tests/model/{name}"), text.clone());
    spec.selection.skip_unsupported = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .any(|l| l.trim() == "# skip-unsupported");
    let (api, warnings) =
        codegen::model_of(&spec).unwrap_or_else(|e| panic!("{name} does not resolve:\n{e}"));
    let mut out = codegen::model::print(&api);
    if !warnings.is_empty() {
        out.push_str("warnings\n");
        for w in &warnings {
            out.push_str(&format!("  {w}\n"));
        }
    }
    out
}

#[test]
fn every_model_fixture_prints_as_its_snapshot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/model");
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 4, "the fixtures are there");
    let mut failures = Vec::new();
    for path in specs {
        let actual = snapshot(&path);
        let golden = path.with_extension("model.txt");
        if update {
            std::fs::write(&golden, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{}: the model differs from {}\n{}",
                path.file_name().unwrap().to_string_lossy(),
                golden.file_name().unwrap().to_string_lossy(),
                first_difference(&expected, &actual)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\n(review, then rerun with UPDATE_EXPECT=1 to accept)",
        failures.join("\n")
    );
}

/// The first line where `actual` leaves `expected`.
fn first_difference(expected: &str, actual: &str) -> String {
    let mut a = actual.lines();
    for (n, e) in expected.lines().enumerate() {
        match a.next() {
            Some(l) if l == e => continue,
            other => {
                return format!(
                    "line {}:\n  expected: {e}\n  actual:   {}",
                    n + 1,
                    other.unwrap_or("<end>")
                )
            }
        }
    }
    match a.next() {
        Some(l) => format!("the actual text goes on: {l}"),
        None => "same lines, different line endings".into(),
    }
}

/// The snapshot comparison sees a change: a model printed differently is a failure, naming the
/// line.
#[test]
fn a_changed_line_is_named() {
    assert_eq!(
        first_difference("a\nb\n", "a\nc\n"),
        "line 2:\n  expected: b\n  actual:   c"
    );
    assert_eq!(
        first_difference("a\n", "a\nb\n"),
        "the actual text goes on: b"
    );
}
