//! The API-diff catalogue in `tests/diff/`: one folder per rule, each holding `old.yaml`,
//! `new.yaml` and `expected.txt`, the exact report of `codegen::diff::diff(old, new).to_text()`.
//!
//! After a deliberate change of the report, rewrite the expected files with
//! `UPDATE_EXPECT=1 cargo test -p codegen --test api_diff` and review the diff.

use std::path::Path;

use codegen::model::Api;
use codegen::Spec;

/// Both sides get one module name, as `cargo xtask api-diff` gives them.
const MODULE: &str = "keys";

fn model(root: &Path, rel: &str) -> Api {
    let text = std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let mut spec = Spec::new(rel, text);
    spec.module = MODULE.to_owned();
    match codegen::model_of(&spec) {
        Ok((api, _warnings)) => api,
        Err(e) => panic!("{rel} is not a valid spec:\n{e}"),
    }
}

#[test]
fn every_fixture_pair_reports_what_expected_txt_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("tests/diff"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 16, "the catalogue is there");
    let mut failures = Vec::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let old = model(root, &format!("tests/diff/{name}/old.yaml"));
        let new = model(root, &format!("tests/diff/{name}/new.yaml"));
        let report = codegen::diff::diff(&old, &new);
        if report.changes.is_empty() {
            failures.push(format!(
                "{name}: old.yaml and new.yaml differ in nothing the diff sees"
            ));
        }
        let actual = report.to_text();
        let expected_path = dir.join("expected.txt");
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "{name}: the report differs from expected.txt\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\n(rerun with UPDATE_EXPECT=1 to accept the actual reports)",
        failures.join("\n\n")
    );
}

/// The JSON form carries the same verdict and items as the text.
#[test]
fn json_agrees_with_the_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let old = model(root, "tests/diff/new_required_parameter/old.yaml");
    let new = model(root, "tests/diff/new_required_parameter/new.yaml");
    let report = codegen::diff::diff(&old, &new);
    let json = report.to_json();
    assert_eq!(json["breaking"], true);
    assert_eq!(json["old"], "tests/diff/new_required_parameter/old.yaml");
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), report.changes.len());
    assert_eq!(changes[0]["kind"], "added");
    assert_eq!(
        changes[0]["location"],
        "operation SharedKeys_Regenerate / parameter keyVersion"
    );
    assert_eq!(
        json["rust_items"],
        serde_json::json!(["fn keys::shared_keys_regenerate"])
    );
}
