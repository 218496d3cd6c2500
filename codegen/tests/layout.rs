//! How the emitted code is laid out for the compiler: derives only where the operations need
//! them, and big specs split by tag behind cargo features.

use std::path::{Path, PathBuf};

use codegen::{CrateOptions, Output, Spec};

fn options() -> CrateOptions {
    CrateOptions::new("layout").description("layout")
}

fn generate(spec: Spec) -> Output {
    codegen::generate(&[spec], &options()).unwrap_or_else(|e| panic!("{e}"))
}

fn file<'a>(out: &'a Output, path: &str) -> &'a str {
    out.files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("no {path} in {:?}", out.files.keys()))
}

/// Whether model `name` implements serde's `which` always (`true`), only with the `full-serde`
/// feature (`false`), or not at all (`None`): the runtime macro that writes the impl.
fn serde_impl(text: &str, which: &str, name: &str) -> Option<bool> {
    let head = match which {
        "Serialize" => "rt::serialize_object!(",
        _ => "rt::deserialize_object!(",
    };
    let lines: Vec<&str> = text.lines().collect();
    let at = (0..lines.len()).find(|&i| {
        let named = |l: &str| {
            l.trim_start()
                .trim_start_matches("rt, ")
                .starts_with(&format!("{name} {{"))
        };
        // `head(rt, Name { .. });` on one line, or one argument a line.
        lines[i].starts_with(head)
            && (named(&lines[i][head.len()..]) || lines.get(i + 2).is_some_and(|l| named(l)))
    })?;
    Some(
        !lines[..at]
            .iter()
            .rev()
            .take_while(|l| l.starts_with("#["))
            .any(|l| l.contains("full-serde")),
    )
}

/// The attributes right above `pub struct <name>` / `pub enum <name>` (docs left out).
fn attrs_of<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| {
            *l == format!("pub struct {name} {{")
                || *l == format!("pub enum {name} {{")
                || l.starts_with(&format!("pub struct {name}("))
        })
        .unwrap_or_else(|| panic!("no type {name}"));
    lines[..at]
        .iter()
        .rev()
        .take_while(|l| l.starts_with("#["))
        .copied()
        .collect()
}

const DERIVES: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      operationId: send
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Receipt'}
components:
  schemas:
    Order:
      type: object
      properties:
        item: {$ref: '#/components/schemas/Item'}
        coupon: {$ref: '#/components/schemas/Coupon'}
    Coupon:
      type: object
      properties:
        code: {type: string}
    Receipt:
      type: object
      properties:
        item: {$ref: '#/components/schemas/Item'}
        total: {type: number}
    Item:
      type: object
      properties:
        sku: {type: string}
    Draft:
      type: object
      properties:
        coupon: {$ref: '#/components/schemas/Coupon'}
"#;

#[test]
fn models_derive_serialize_when_sent_and_deserialize_when_received() {
    let out = generate(Spec::new("d.yaml", DERIVES.to_owned()));
    let text = file(&out, "src/d.rs");
    // (always, only with `full-serde`): the impls each model has.
    let has = |name: &str| {
        (
            serde_impl(text, "Serialize", name),
            serde_impl(text, "Deserialize", name),
        )
    };
    // Request-only: no Deserialize unless asked for.
    assert_eq!(has("Order"), (Some(true), Some(false)));
    // Response-only: no Serialize unless asked for.
    assert_eq!(has("Receipt"), (Some(false), Some(true)));
    // Both ways.
    assert_eq!(has("Item"), (Some(true), Some(true)));
    // A model no operation reaches is decoded, and so is what it holds.
    assert_eq!(has("Draft"), (Some(false), Some(true)));
    assert_eq!(has("Coupon"), (Some(true), Some(true)));
    // Nothing derives serde: the runtime's macros write the impls, no per-field attributes.
    assert!(!text.contains("#[serde("), "{text}");
    let cargo = file(&out, "Cargo.toml");
    assert!(cargo.contains("\nfull-serde = []"), "{cargo}");
}

fn tagged() -> Spec {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/specs/tagged.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    Spec::new("tagged.yaml", text)
}

#[test]
fn a_tagged_spec_gets_a_module_and_a_feature_per_tag() {
    let out = generate(tagged());
    let files: Vec<String> = out
        .files
        .keys()
        .filter(|p| p.starts_with("src/tagged"))
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "src/tagged/extra_models.rs",
            "src/tagged/mod.rs",
            "src/tagged/pets.rs",
            "src/tagged/rt_.rs",
            "src/tagged/stores.rs",
            "src/tagged/tag_2fa_codes.rs",
        ]
    );
    let cargo = file(&out, "Cargo.toml");
    assert!(
        cargo.contains(r#"default = ["pets", "rt", "stores", "tag-2fa-codes"]"#),
        "{cargo}"
    );
    let root = file(&out, "src/tagged/mod.rs");
    let pets = file(&out, "src/tagged/pets.rs");
    let stores = file(&out, "src/tagged/stores.rs");
    // An operation with two tags lives with its first and compiles with either.
    assert!(
        stores.contains(
            "#[cfg(any(feature = \"pets\", feature = \"stores\"))]\npub fn stores_pets<'a>("
        ),
        "{stores}"
    );
    assert!(pets.contains("#[cfg(feature = \"pets\")]\npub fn pets_create<'a>("));
    // A model two features reach: behind either, in the first one's module.
    assert_eq!(serde_impl(pets, "Serialize", "Pet"), Some(false));
    assert_eq!(serde_impl(pets, "Deserialize", "Pet"), Some(true));
    assert!(
        attrs_of(pets, "Pet").contains(&"#[cfg(any(feature = \"pets\", feature = \"stores\"))]")
    );
    // One feature reaches the enum; its impls share its gate.
    assert!(attrs_of(stores, "StoreKind").contains(&"#[cfg(feature = \"stores\")]"));
    let lines: Vec<&str> = stores.lines().collect();
    let gated_impls = lines
        .windows(2)
        .filter(|w| {
            w[0] == "#[cfg(feature = \"stores\")]"
                && w[1].starts_with("impl")
                && w[1].ends_with("StoreKind {")
        })
        .count();
    assert_eq!(gated_impls, 6, "{stores}");
    // The untagged operation and the models it reaches: always compiled.
    assert!(root.contains("\npub fn health<'a>("));
    for name in ["Owner", "Health"] {
        assert!(
            !attrs_of(root, name).iter().any(|a| a.starts_with("#[cfg(")),
            "{name} is gated"
        );
    }
    // The models no operation reaches, and what they hold, have a feature of their own.
    let extra = file(&out, "src/tagged/extra_models.rs");
    assert!(attrs_of(extra, "PetEvent").contains(&"#[cfg(feature = \"extra-models\")]"));
    assert!(attrs_of(pets, "NewPet")
        .contains(&"#[cfg(any(feature = \"extra-models\", feature = \"pets\"))]"));
    // A module is compiled when something in it is: `stores` reaches Pet, `extra-models` NewPet.
    let gate = "#[cfg(any(feature = \"extra-models\", feature = \"pets\", feature = \"stores\"))]";
    assert!(
        root.contains(&format!(
            "{gate}\npub mod pets;\n\n{gate}\npub use self::pets::*;"
        )),
        "{root}"
    );
}

#[test]
fn the_split_follows_the_flag_over_the_spec() {
    let mut spec = tagged();
    spec.tag_features = codegen::emit::tags::TagFeatures::Never;
    let out = generate(spec);
    assert!(out.files.contains_key(Path::new("src/tagged.rs")));
    assert!(!file(&out, "Cargo.toml").contains("pets"));
}

/// What the operations read is compiled only when an operation is (the corpus found `static
/// CONVENTIONS is never used` in a crate of models only).
#[test]
fn the_header_conventions_exist_only_with_an_operation_to_read_them() {
    let models_only = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n\
        components:\n  schemas:\n    Thing: {type: object, properties: {a: {type: string}}}\n";
    let out = generate(Spec::new("m.yaml", models_only.to_owned()));
    let text = file(&out, "src/m.rs");
    assert!(text.contains("pub struct Thing"), "{text}");
    assert!(!text.contains("CONVENTIONS"), "{text}");

    // Every operation tagged: the conventions are behind the features that compile one.
    let all_tagged = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n\
        x-client: {tag-features: true}\npaths:\n  /a:\n    get:\n      operationId: a\n      \
        tags: [A]\n      responses: {'204': {description: ok}}\n  /b:\n    get:\n      \
        operationId: b\n      tags: [B]\n      responses: {'204': {description: ok}}\n";
    let out = generate(Spec::new("t.yaml", all_tagged.to_owned()));
    let root = file(&out, "src/t/mod.rs");
    assert!(
        root.contains(
            "#[cfg(any(feature = \"a\", feature = \"b\"))]\nstatic CONVENTIONS: rt::Conventions"
        ),
        "{root}"
    );
    // ... and so is the runtime's import (found building GitHub's crate with no feature).
    assert!(
        root.contains(
            "#[cfg_attr(not(any(feature = \"a\", feature = \"b\")), allow(unused_imports))]\nuse super::runtime as rt;"
        ),
        "{root}"
    );
}

/// Signatures take and give `serde_json::Value`s (free-form bodies, error bodies, a union's
/// fallback): the crate root re-exports `serde_json`, so a caller builds them without
/// depending on it.
#[test]
fn the_crate_root_re_exports_serde_json() {
    let out = generate(Spec::new("d.yaml", DERIVES.to_owned()));
    let lib = file(&out, "src/lib.rs");
    assert!(lib.contains("\npub use serde_json;\n"), "{lib}");
}

/// By default the generator's formatting stands and `cargo fmt` is told to skip the modules;
/// `lib.rs`, which it cannot skip, is already as `rustfmt` leaves it. With `rustfmt(true)` every
/// file is as `rustfmt` leaves it and nothing is skipped.
#[test]
fn the_generator_formats_unless_the_crate_asks_for_rustfmt() {
    let spec = || Spec::new("d.yaml", DERIVES.to_owned());
    let own = generate(spec());
    let lib = file(&own, "src/lib.rs");
    assert!(lib.contains("#[rustfmt::skip]\npub mod d;"), "{lib}");
    // The runtime is skipped from inside: an attribute on its `mod` breaks its macros' paths.
    assert!(lib.contains("\n\npub mod runtime;"), "{lib}");
    let runtime = file(&own, "src/runtime/mod.rs");
    assert!(
        runtime.contains("\n#![cfg_attr(rustfmt, rustfmt::skip)]\n"),
        "{runtime}"
    );
    let mut formatted = own.clone();
    assert!(
        codegen::format::rustfmt_all(&mut formatted.files),
        "rustfmt could not be run"
    );
    assert_eq!(
        file(&formatted, "src/lib.rs"),
        lib,
        "lib.rs is not as rustfmt leaves it"
    );

    let options = options().rustfmt(true);
    let mut asked = codegen::generate(&[spec()], &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(codegen::project::polish(&mut asked, &options));
    let lib = file(&asked, "src/lib.rs");
    assert!(!lib.contains("rustfmt::skip"), "{lib}");
    let mut again = asked.clone();
    assert!(codegen::format::rustfmt_all(&mut again.files));
    assert_eq!(again.files, asked.files, "rustfmt's output is not stable");
}
