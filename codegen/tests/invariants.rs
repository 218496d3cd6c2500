//! The pipeline's invariants (ARCHITECTURE.md, "Invariants"), checked on the source: a stage
//! that reaches back into an earlier one, or a contract that names what it stands between,
//! fails here, naming the file, the line and the rule.
//!
//! Every line of code is read (comments and doc comments are not code): `use` lines and paths
//! written in place (`crate::emit::tags::TagFeatures` in a field's type) alike.

use std::path::{Path, PathBuf};

/// What a part of `codegen/src` must not name, and why.
struct Rule {
    /// A file, or a folder (ending in `/`), relative to `codegen/src`.
    place: &'static str,
    forbidden: Vec<&'static str>,
    why: &'static str,
}

/// The paths that name a stage or a crate: each forbidden word as it appears in code.
const OPENAPI: &[&str] = &["openapiv3"];
const TOKENS: &[&str] = &["quote::", "quote!", "use quote", "proc_macro2"];
const EMIT: &[&str] = &["crate::emit", "super::emit", "emit::"];
const EARLIER: &[&str] = &["crate::load", "crate::resolve", "crate::refs"];

fn rules() -> Vec<Rule> {
    vec![
        Rule {
            place: "model/",
            forbidden: [OPENAPI, TOKENS, EMIT, EARLIER].concat(),
            why: "the model is the contract between resolve and emit: it names neither side",
        },
        Rule {
            place: "usage.rs",
            forbidden: [OPENAPI, TOKENS, EMIT, EARLIER].concat(),
            why: "usage is read off the model, by emit and diff alike",
        },
        Rule {
            place: "resolve/",
            forbidden: [TOKENS, EMIT].concat(),
            why: "resolve makes the model; it writes no code and reads nothing of emit",
        },
        Rule {
            place: "emit/",
            forbidden: [OPENAPI, EARLIER].concat(),
            why: "emit reads the model only, never the OpenAPI document",
        },
        Rule {
            place: "diff/",
            forbidden: [OPENAPI, EARLIER].concat(),
            why: "api-diff compares models only",
        },
    ]
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The lines of `text` that break `rule`, as `line: text`. Comments are left out: a line
/// comment from `//` on (outside a string is close enough for these words).
fn violations(text: &str, rule: &Rule) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        for word in &rule.forbidden {
            if code.contains(word) {
                found.push(format!("{}: `{word}` in {}", i + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_stage_reaches_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut failures = Vec::new();
    for rule in &rules() {
        let matching: Vec<&PathBuf> = all
            .iter()
            .filter(|p| {
                let rel = p
                    .strip_prefix(&src)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                match rule.place.strip_suffix('/') {
                    Some(dir) => rel.starts_with(&format!("{dir}/")),
                    None => rel == rule.place,
                }
            })
            .collect();
        assert!(!matching.is_empty(), "{}: no such file", rule.place);
        for path in matching {
            let text = std::fs::read_to_string(path).unwrap();
            for v in violations(&text, rule) {
                let rel = path.strip_prefix(&src).unwrap().display();
                failures.push(format!("codegen/src/{rel}:{v} ({})", rule.why));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The checker finds what it looks for: a stage that reaches back in a field's type, not only
/// in a `use` line, and not in a comment.
#[test]
fn the_checker_sees_paths_in_place_and_skips_comments() {
    let rules = rules();
    let model = &rules[0];
    let text = "pub struct Api {\n    pub tag_features: crate::emit::tags::TagFeatures,\n}\n/// Read by [`crate::emit`].\nuse openapiv3::Schema;\n";
    let found = violations(text, model);
    assert_eq!(
        found,
        [
            "2: `crate::emit` in pub tag_features: crate::emit::tags::TagFeatures,",
            "2: `emit::` in pub tag_features: crate::emit::tags::TagFeatures,",
            "5: `openapiv3` in use openapiv3::Schema;",
        ]
    );
}
