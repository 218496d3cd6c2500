//! OpenAPI 3.1 documents, translated to 3.0 by the loader, through the whole generator: the
//! fixtures in `tests/oas31/` generate, with the types their 3.1 constructs stand for, and
//! each module is compared with its reviewed golden file `tests/oas31/<name>.rs.golden`.
//!
//! After a deliberate change of the generated code, rewrite the golden files with
//! `UPDATE_EXPECT=1 cargo test -p codegen --test oas31` and review the diff.

use std::path::Path;

use codegen::{CrateOptions, Diagnostic, Output, Spec};

fn options() -> CrateOptions {
    CrateOptions::new("oas31").description("OpenAPI 3.1 fixtures")
}

fn generate(file: &str) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/oas31").join(file)).unwrap();
    let spec = Spec::new(format!("tests/oas31/{file}"), text);
    codegen::generate(&[spec], &options()).unwrap_or_else(|e| panic!("{file}:\n{e}"))
}

/// The generated module of `file`, compared with (or, under `UPDATE_EXPECT=1`, written to)
/// its golden file.
fn module(file: &str, out: &Output) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stem = file.split('.').next().unwrap();
    let text = out
        .files
        .get(Path::new(&format!("src/{stem}.rs")))
        .unwrap_or_else(|| panic!("no src/{stem}.rs in {:?}", out.files.keys()))
        .clone();
    let golden = root.join(format!("tests/oas31/{stem}.rs.golden"));
    if std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1") {
        std::fs::write(&golden, &text).unwrap();
    } else {
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        assert!(
            expected == text,
            "src/{stem}.rs differs from {}:\n{}\n(rerun with UPDATE_EXPECT=1 to accept it)",
            golden.display(),
            first_difference(&expected, &text)
        );
    }
    text
}

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

/// `text` has `item` once its whitespace is ignored.
fn has(text: &str, item: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    squash(text).contains(&squash(item))
}

fn warning<'w>(warnings: &'w [Diagnostic], pointer: &str) -> &'w Diagnostic {
    warnings
        .iter()
        .find(|d| d.pointer == pointer)
        .unwrap_or_else(|| panic!("no warning at {pointer}: {warnings:#?}"))
}

#[test]
fn fastapi() {
    let file = "fastapi.json";
    let out = generate(file);
    assert!(out.warnings.is_empty(), "{:#?}", out.warnings);
    let text = module(file, &out);
    // `Optional[X]` (`anyOf: [X, {type: 'null'}]`) is an `Option`: of a scalar, of a `$ref`,
    // and `nullable` (sent as `null`) when the property is required.
    assert!(has(&text, "pub description: Option<String>,"), "{text}");
    assert!(has(&text, "pub owner: Option<Owner>,"), "{text}");
    assert!(has(&text, "pub price: Option<f64>,"), "{text}");
    assert!(has(&text, "ItemUpdate { name : nullable(\"name\"), price : nullable(\"price\"), owner : nullable(\"owner\"), }"), "{text}");
    // The member's constraints survive the merge: `maxLength: 50` inside `anyOf`.
    assert!(
        has(
            &text,
            "rt::check::max_length(\"ItemUpdate.name\", value, 50)?;"
        ),
        "{text}"
    );
    // `const`: a required query parameter of one value is a constant the function sends itself;
    // in a model, a one-value enum (with or without `type` beside it).
    assert!(
        has(
            &text,
            "pub fn version_version_get<'a>(client: &'a rt::Client) -> VersionVersionGetCall<'a>"
        ),
        "{text}"
    );
    assert!(
        has(&text, "query: &[(\"api-version\", Some(\"2024-06-01\"))],"),
        "{text}"
    );
    assert!(has(&text, "pub pet_type: CatPetType,"), "{text}");
    assert!(has(&text, "pub pet_type: DogPetType,"), "{text}");
    assert!(has(&text, "pub enum ItemKind { /// `item` Item,"), "{text}");
    // The pydantic discriminated union, and `loc`'s `anyOf` of two types.
    assert!(
        has(
            &text,
            "Some(\"cat\") => serde_json::from_value(value).map(Self::Cat),"
        ),
        "{text}"
    );
    assert!(
        has(
            &text,
            "pub enum ValidationErrorLocItem { Text(String), Integer(i64),"
        ),
        "{text}"
    );
    // `info.summary` documents the module.
    assert!(
        text.contains("//! Items, their owners and their pets"),
        "{text}"
    );
}

#[test]
fn kitchen_sink() {
    let file = "kitchen_sink.yaml";
    let out = generate(file);
    let text = module(file, &out);
    // Nullable: `type: [X, 'null']` and `anyOf` with `null`.
    assert!(has(&text, "pub colour: Option<ThingColour>,"), "{text}");
    assert!(has(&text, "colour : nullable(\"colour\")"), "{text}");
    assert!(has(&text, "pub notes: Option<String>,"), "{text}");
    assert!(has(&text, "page_size: Option<i64>,"), "{text}");
    // `const` without `type`: a one-value string enum.
    assert!(has(&text, "pub kind: ThingKind,"), "{text}");
    assert!(
        has(&text, "pub enum ThingKind { /// `thing` Thing,"),
        "{text}"
    );
    // Two types: a union of them, integer first.
    assert!(
        has(&text, "pub enum ThingSize { Integer(i64), Text(String),"),
        "{text}"
    );
    // `$ref` beside a description keeps it; beside `readOnly`, an `allOf`, still read-only.
    assert!(
        has(
            &text,
            "/// The thing this one is part of. pub parent: Option<Box<Thing>>,"
        ),
        "{text}"
    );
    assert!(
        has(
            &text,
            "/// Read-only: set by the service. pub owner: Option<Owner>,"
        ),
        "{text}"
    );
    // A tuple of numbers, a pattern map, a `$defs` schema, binary and base64 strings.
    assert!(has(&text, "pub position: Option<Vec<f64>>,"), "{text}");
    assert!(
        has(
            &text,
            "pub labels: Option<std::collections::BTreeMap<String, String>>,"
        ),
        "{text}"
    );
    assert!(has(&text, "pub point: Option<DefsPoint>,"), "{text}");
    assert!(has(&text, "pub data: rt::FilePart,"), "{text}");
    assert!(
        has(
            &text,
            "form.file_part(\"data\", rt::FilePart::clone(&body.data));"
        ),
        "{text}"
    );
    assert!(has(&text, "pub digest: Option<String>,"), "{text}");
    // The path item `$ref` to `components/pathItems`, and the operation without responses.
    assert!(has(&text, "pub fn get_thing<'a>("), "{text}");
    assert!(
        has(
            &text,
            "pub fn ping<'a>(client: &'a rt::Client) -> PingCall<'a>"
        ),
        "{text}"
    );
    // `false` leaves the property out.
    assert!(!text.contains("removed"), "{text}");

    // Each construct with no 3.0 form is warned about at its place in the file, once.
    let w = &out.warnings;
    let expected = [
        ("/webhooks", "not generated", 159),
        ("/components/securitySchemes/client-cert", "mutualTLS", 74),
        (
            "/components/schemas/Thing/properties/removed",
            "declared `false`",
            141,
        ),
        (
            "/components/schemas/Thing/properties/position/prefixItems",
            "a tuple (`prefixItems`, 2 positions)",
            119,
        ),
        (
            "/components/schemas/Thing/properties/labels/patternProperties",
            "keys are not checked",
            125,
        ),
        (
            "/components/schemas/Owner/properties/role/if",
            "`if`, `then`",
            156,
        ),
        (
            "/components/schemas/Thing/properties/point/$ref",
            "#/components/schemas/Thing/$defs/Point",
            132,
        ),
        ("/paths/~1ping/get/responses", "no 2xx response", 69),
        // Found by the resolver in a node the translation moved (an `anyOf` member merged
        // into its property): reported where the file has it.
        (
            "/components/schemas/Thing/properties/extra/anyOf/0/required",
            "`b` is not among the properties",
            139,
        ),
    ];
    for (pointer, text, line) in expected {
        let d = warning(w, pointer);
        assert!(d.message.contains(text), "{d}");
        assert_eq!(d.line, Some(line), "{d}");
    }
    assert_eq!(w.len(), expected.len(), "{w:#?}");
}

/// A 3.1 document and the same API written in 3.0 generate the same module (but for the
/// header naming the file).
#[test]
fn a_3_1_document_generates_what_its_3_0_twin_does() {
    let v31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {name: n, in: query, schema: {type: [integer, 'null'], exclusiveMinimum: 1}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S'}\ncomponents:\n  schemas:\n    S:\n      type: object\n      required: [k, o]\n      properties:\n        k: {const: x}\n        o: {anyOf: [{$ref: '#/components/schemas/T'}, {type: 'null'}]}\n        e: {type: string, examples: [a]}\n    T: {type: object, properties: {b: {type: string, contentEncoding: base64}}}\n";
    let v30 = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {name: n, in: query, schema: {type: integer, nullable: true, minimum: 1, exclusiveMinimum: true}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S'}\ncomponents:\n  schemas:\n    S:\n      type: object\n      required: [k, o]\n      properties:\n        k: {type: string, enum: [x]}\n        o: {allOf: [{$ref: '#/components/schemas/T'}], nullable: true}\n        e: {type: string, example: a}\n    T: {type: object, properties: {b: {type: string, format: byte}}}\n";
    let module = |text: &str| {
        let out = codegen::generate(&[Spec::new("api.yaml", text.to_owned())], &options())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.warnings.is_empty(), "{:#?}", out.warnings);
        out.files[Path::new("src/api.rs")].clone()
    };
    assert_eq!(module(v31), module(v30));
}
