//! The input kinds of `tests/inputs/`: one folder per case, a spec as its API publishes it
//! (Swagger 2.0, a document split across files, Azure's layout with `common-types` and an
//! overlay), with what the generator makes of it, reviewed:
//!
//! - `expected/translated.json`: the one OpenAPI 3.0 document the loader hands on (files
//!   bundled, overlays applied, translated);
//! - `expected/module.rs`: the generated module;
//! - `expected/warnings.txt`: every warning, as printed (file, line, JSON pointer, message).
//!
//! The root spec is `openapi.*` or `swagger.*` in the folder, or the path the file `root` names;
//! overlays are the folder's `*.overlay.yaml`, in name order. After a deliberate change, rewrite
//! the expected files with `UPDATE_EXPECT=1 cargo test -p codegen --test inputs` and review the
//! diff like code.

use std::path::{Path, PathBuf};

use codegen::{CrateOptions, Spec};

fn options() -> CrateOptions {
    CrateOptions::new("inputs").description("inputs")
}

/// The case's root spec, relative to this crate.
fn root_of(case: &Path) -> PathBuf {
    if let Ok(root) = std::fs::read_to_string(case.join("root")) {
        return case.join(root.trim());
    }
    [
        "openapi.yaml",
        "openapi.json",
        "swagger.yaml",
        "swagger.json",
    ]
    .iter()
    .map(|name| case.join(name))
    .find(|p| p.exists())
    .unwrap_or_else(|| panic!("{}: no root spec", case.display()))
}

fn spec_of(case: &Path, name: &str) -> Spec {
    let root = root_of(case);
    let text = std::fs::read_to_string(&root).unwrap();
    let mut spec = Spec::new(&root, text);
    spec.module = name.to_owned();
    let mut overlays: Vec<PathBuf> = std::fs::read_dir(case)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".overlay.yaml"))
        .collect();
    overlays.sort();
    for overlay in overlays {
        spec.overlays
            .push(codegen::load::Overlay::read(&overlay).unwrap_or_else(|e| panic!("{e}")));
    }
    spec
}

/// What the case produces, by expected file name.
fn actual(case: &Path, name: &str) -> Vec<(&'static str, String)> {
    let spec = spec_of(case, name);
    let loaded = spec
        .load()
        .unwrap_or_else(|e| panic!("{name}: {}", codegen::Errors(e)));
    let translated = serde_json::to_string_pretty(&loaded.raw).unwrap() + "\n";
    let output = codegen::generate(&[spec], &options())
        .unwrap_or_else(|e| panic!("{name} does not generate:\n{e}"));
    let module = output
        .files
        .get(Path::new(&format!("src/{name}.rs")))
        .cloned()
        .unwrap_or_else(|| panic!("{name}: no module in {:?}", output.files.keys()));
    let warnings: String = output
        .warnings
        .iter()
        .map(|w| format!("warning: {w}\n"))
        .collect();
    vec![
        ("translated.json", translated),
        ("module.rs", module),
        ("warnings.txt", warnings),
    ]
}

#[test]
fn every_input_kind_generates_what_expected_says() {
    let dir = Path::new("tests/inputs");
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 3, "the cases are there");
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        for (file, text) in actual(&case, &name) {
            let path = case.join("expected").join(file);
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &text).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if expected != text {
                failures.push(format!(
                    "{name}/expected/{file} differs from what the generator makes now"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\n(review, then rerun with UPDATE_EXPECT=1 to accept)",
        failures.join("\n")
    );
}

/// The same spec written as Swagger 2.0 and as OpenAPI 3.0 makes the same module: the 2.0
/// translation is what a careful hand conversion would be.
#[test]
fn swagger_2_and_its_3_0_twin_generate_the_same_module() {
    let two = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: api.example.com\nbasePath: /v1\nschemes: [https]\nconsumes: [application/json]\nproduces: [application/json]\npaths:\n  /items/{id}:\n    put:\n      operationId: putItem\n      parameters:\n        - {name: id, in: path, required: true, type: string, maxLength: 8}\n        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}\n        - {name: item, in: body, required: true, schema: {$ref: '#/definitions/Item'}}\n      responses:\n        '200': {description: ok, schema: {$ref: '#/definitions/Item'}}\ndefinitions:\n  Item:\n    type: object\n    required: [name]\n    properties:\n      name: {type: string}\n      note: {type: string, x-nullable: true}\n";
    let three = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://api.example.com/v1'}]\npaths:\n  /items/{id}:\n    put:\n      operationId: putItem\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string, maxLength: 8}}\n        - {name: tags, in: query, style: form, explode: true, schema: {type: array, items: {type: string}}}\n      requestBody:\n        required: true\n        content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}\ncomponents:\n  schemas:\n    Item:\n      type: object\n      required: [name]\n      properties:\n        name: {type: string}\n        note: {type: string, nullable: true}\n";
    let module = |path: &str, text: &str| {
        let mut spec = Spec::new(path, text.to_owned());
        spec.module = "api".into();
        let out = codegen::generate(&[spec], &options()).unwrap_or_else(|e| panic!("{e}"));
        // The header and the module docs name the source file; all else must be the same.
        out.files[Path::new("src/api.rs")].replace(path, "SPEC")
    };
    assert_eq!(module("two.yaml", two), module("three.yaml", three));
}
