//! Shapes of real specs the generator accepts, checked on the model and the emitted code.
//! Shapes whose whole model tells the story are snapshots instead: `tests/model/` (`model.rs`).
//!
//! The shapes of `tests/shapes/` (a struct's required, optional and nullable fields, a string
//! enum, a `oneOf` with a discriminator, one without (`From` text when a member is a string),
//! an `allOf`, maps, multipart bodies, several success statuses) are small specs, each with its
//! generated module reviewed as the golden file `<name>.rs` beside it. The same specs are modules of the fixture crate
//! (`tests/fixtures/specs/codegen.toml`, as `shape_<name>`), which the workspace compiles and
//! lints: each golden module builds. After a deliberate change of the generated code, rewrite
//! the golden files with `UPDATE_EXPECT=1 cargo test -p codegen --test shapes`, regenerate the
//! fixture crate with `cargo xtask codegen`, and review both diffs.

use std::path::{Path, PathBuf};

use codegen::model::TypeRef;
use codegen::Spec;

fn model(yaml: &str) -> (codegen::model::Api, Vec<codegen::Diagnostic>) {
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{yaml}");
    codegen::model_of(&Spec::new("shape.yaml", text)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn server_variables_take_their_defaults() {
    let (api, _) = model(
        "servers:\n  - url: 'https://{region}.example.com/{base}'\n    variables:\n      region: {default: eu}\n      base: {default: v2}\npaths: {}\n",
    );
    assert_eq!(api.server, "https://eu.example.com/v2");
}

#[test]
fn operations_without_an_operation_id_are_named_from_method_and_path() {
    let (api, _) = model(
        "paths:\n  /users/{id}/keys:\n    delete:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses: {'204': {description: gone}}\n",
    );
    assert_eq!(api.operations[0].name, "delete_users_id_keys");
}

#[test]
fn an_inline_all_of_that_includes_its_container_is_recursive_not_infinite() {
    let (api, _) = model(
        "paths: {}\ncomponents:\n  schemas:\n    B:\n      type: object\n      properties:\n        child:\n          allOf:\n            - $ref: '#/components/schemas/B'\n            - type: object\n              properties: {x: {type: string}}\n",
    );
    let mut names: Vec<&str> = api.types.iter().map(|t| t.name()).collect();
    names.sort();
    assert_eq!(names, ["B", "BChild"]);
}

#[test]
fn absurdly_deep_schemas_are_refused_not_followed() {
    let mut schema = String::from("{type: string}");
    for _ in 0..55 {
        schema = format!("{{type: array, items: {schema}}}");
    }
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n"
    );
    let result = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || codegen::model_of(&Spec::new("deep.yaml", text)).map(|_| ()))
        .unwrap()
        .join()
        .expect("no stack overflow, no panic");
    let errors = result.expect_err("too deep");
    assert!(errors.to_string().contains("nest more than"), "{errors}");
}

const TWO_TAGS: &str = "paths:\n  /a:\n    get:\n      operationId: getA\n      tags: [alpha]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}\n  /b:\n    post:\n      operationId: postB\n      tags: [beta]\n      requestBody:\n        content:\n          multipart/mixed: {schema: {$ref: '#/components/schemas/B'}}\n      responses: {'204': {description: ok}}\ncomponents:\n  schemas:\n    A: {type: object, properties: {x: {type: string}}}\n    B: {type: object, properties: {y: {type: string}}}\n";

fn spec_with(selection: codegen::model::Selection) -> Spec {
    let mut spec = Spec::new(
        "select.yaml",
        format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{TWO_TAGS}"),
    );
    spec.selection = selection;
    spec
}

#[test]
fn tags_and_operations_select_what_is_generated_and_prune_unused_types() {
    let by_tag = codegen::model::Selection {
        tags: vec!["alpha".into()],
        ..Default::default()
    };
    let (api, _) =
        codegen::model_of(&spec_with(by_tag)).expect("beta's multipart body is not even looked at");
    assert_eq!(
        api.operations
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>(),
        ["get_a"]
    );
    assert_eq!(
        api.types.iter().map(|t| t.name()).collect::<Vec<_>>(),
        ["A"]
    );

    let by_name = codegen::model::Selection {
        operations: vec!["get_a".into()],
        ..Default::default()
    };
    let (api, _) = codegen::model_of(&spec_with(by_name)).unwrap();
    assert_eq!(api.operations.len(), 1);
}

/// Without `--skip-unsupported`, an operation the generator cannot type fails generation
/// (with it, the operation is left out with a warning: `tests/model/skip_unsupported.yaml`).
#[test]
fn an_unsupported_operation_fails_unless_skipped() {
    let err = codegen::model_of(&spec_with(Default::default())).unwrap_err();
    assert!(err.to_string().contains("multipart/mixed"), "{err}");
}

#[test]
fn a_failing_path_parameter_is_reported_once() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: object, properties: {x: {type: string}}}}\n      responses: {'200': {description: ok}}\n".to_owned();
    let errors = codegen::model_of(&Spec::new("p.yaml", text)).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors}");
}

#[test]
fn identical_inline_enums_are_one_type() {
    let (api, _) = model(
        "paths: {}\ncomponents:\n  schemas:\n    Issue: {type: object, properties: {state: {type: string, enum: [open, closed]}}}\n    Pull: {type: object, properties: {state: {type: string, enum: [open, closed]}, merge: {type: string, enum: [merge, squash]}}}\n",
    );
    let enums: Vec<&str> = api
        .types
        .iter()
        .filter(|t| matches!(t, codegen::model::TypeDef::Enum(_)))
        .map(|t| t.name())
        .collect();
    assert_eq!(enums, ["IssueState", "PullMerge"]);
}

#[test]
fn references_into_properties_and_other_operations_resolve_at_their_place() {
    // nexmo: a property borrowed from another schema's property; rev.ai: a response borrowed
    // from another operation (percent-encoded, as a URI fragment may be).
    let (api, _) = model(
        "paths:\n  /jobs/{id}:\n    get:\n      operationId: job\n      parameters:\n        - {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/Base/properties/id'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/App'}\n        '401':\n          description: no\n          content:\n            application/json:\n              schema: {type: object, properties: {reason: {type: string}}}\n  /account:\n    get:\n      operationId: account\n      responses:\n        '204': {description: ok}\n        '401': {$ref: '#/paths/~1jobs~1%7Bid%7D/get/responses/401'}\ncomponents:\n  schemas:\n    Base:\n      type: object\n      properties:\n        id: {type: string, maxLength: 8}\n        owner: {type: object, properties: {name: {type: string}}}\n    App:\n      type: object\n      properties:\n        id: {$ref: '#/components/schemas/Base/properties/id'}\n        owner: {$ref: '#/components/schemas/Base/properties/owner'}\n        again: {$ref: '#/components/schemas/Base/properties/owner'}\n",
    );
    let job = &api.operations[0];
    assert_eq!(job.params[0].ty, codegen::model::ParamType::Str);
    assert_eq!(job.params[0].constraints.max_length, Some(8));
    let app = api
        .types
        .iter()
        .find_map(|t| match t {
            codegen::model::TypeDef::Struct(s) if s.name == "App" => Some(s),
            _ => None,
        })
        .expect("App");
    let types: Vec<&TypeRef> = app.fields.iter().map(|f| &f.ty).collect();
    // The borrowed inline object is one type, named from its place, however often it is used.
    assert_eq!(
        types,
        [
            &TypeRef::String,
            &TypeRef::Named("BaseOwner".into()),
            &TypeRef::Named("BaseOwner".into())
        ]
    );
    let account = &api.operations[1];
    assert_ne!(
        account.error,
        TypeRef::Json,
        "the borrowed 401 body is typed"
    );
}

#[test]
fn a_reference_to_nothing_in_the_document_is_an_error_with_its_place() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        id: {$ref: '#/components/schemas/B/properties/id'}\n";
    let errors =
        codegen::model_of(&Spec::new("shape.yaml", text.to_owned())).expect_err("dangling");
    let text = errors.to_string();
    assert!(
        text.contains("/components/schemas/A/properties/id"),
        "{text}"
    );
    assert!(text.contains("points to no schema"), "{text}");
}

#[test]
fn a_reference_cycle_through_an_inline_object_reaches_that_type() {
    // just-eat.co.uk: an array alias whose items' property is the alias again.
    let (api, _) = model(
        "paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/order-item'}\ncomponents:\n  schemas:\n    order-item:\n      type: array\n      items:\n        type: object\n        properties:\n          Items: {$ref: '#/components/schemas/order-item'}\n          name: {type: string}\n",
    );
    let item = TypeRef::Named("OrderItemItem".into());
    assert_eq!(
        api.operations[0].success.ty(),
        Some(&TypeRef::Array(Box::new(item.clone())))
    );
    let s = api
        .types
        .iter()
        .find_map(|t| match t {
            codegen::model::TypeDef::Struct(s) if s.name == "OrderItemItem" => Some(s),
            _ => None,
        })
        .expect("the item type");
    assert_eq!(s.fields[0].ty, TypeRef::Array(Box::new(item)));
}

#[test]
fn nullable_items_and_map_values_are_options_and_a_query_list_sends_its_type() {
    use codegen::model::ParamType;
    let (api, warnings) = model(
        "paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {name: ids, in: query, schema: {type: array, items: {type: string, nullable: true}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  list: {type: array, items: {type: integer, nullable: true}}\n                  map: {type: object, additionalProperties: {type: boolean, nullable: true}}\n                  free: {type: array, items: {nullable: true}}\n",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let nullable = |t: TypeRef| TypeRef::Nullable(Box::new(t));
    let codegen::model::TypeDef::Struct(s) = &api.types[0] else {
        panic!("a struct: {:?}", api.types);
    };
    let fields: Vec<(&str, &TypeRef)> = s.fields.iter().map(|f| (f.name.as_str(), &f.ty)).collect();
    assert_eq!(
        fields,
        [
            ("list", &TypeRef::Array(Box::new(nullable(TypeRef::I64)))),
            ("map", &TypeRef::Map(Box::new(nullable(TypeRef::Bool)))),
            // A JSON value holds `null` already.
            ("free", &TypeRef::Array(Box::new(TypeRef::Json))),
        ]
    );
    assert_eq!(
        api.operations[0].params[0].ty,
        ParamType::List {
            item: Box::new(ParamType::Str),
            explode: true,
            delimiter: ','
        }
    );
}

/// A warning inside an `anyOf` member points at `anyOf`, where the member is written (it
/// pointed at `oneOf`, a key the document does not have).
#[test]
fn warnings_inside_any_of_members_point_at_any_of() {
    let (_, warnings) = model(
        "paths: {}\ncomponents:\n  schemas:\n    Either:\n      anyOf:\n        - type: string\n        - not: {type: string}\n    Listed:\n      type: object\n      properties:\n        either:\n          anyOf:\n            - type: integer\n            - not: {type: integer}\n",
    );
    let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Either/anyOf/1",
            "/components/schemas/Listed/properties/either/anyOf/1"
        ]
    );
}

/// A `multipart/form-data` body whose schema is not an object (`{}` in rclone's spec, a
/// string): the operation is kept, and the caller writes the parts (generation failed).
#[test]
fn a_multipart_body_without_an_object_schema_takes_the_callers_parts() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /upload:\n    post:\n      operationId: upload\n      requestBody:\n        required: true\n        content:\n          multipart/form-data: {schema: {}}\n      responses: {'200': {description: ok}}\n  /note:\n    post:\n      operationId: note\n      requestBody:\n        content:\n          multipart/form-data: {schema: {type: string}}\n      responses: {'200': {description: ok}}\n";
    let spec = Spec::new("shape.yaml", text.to_owned());
    let (api, warnings) = codegen::model_of(&spec).unwrap_or_else(|e| panic!("{e}"));
    let encodings: Vec<_> = api
        .operations
        .iter()
        .map(|op| op.body.as_ref().map(|b| b.encoding))
        .collect();
    assert_eq!(
        encodings,
        [
            Some(codegen::model::Encoding::RawMultipart),
            Some(codegen::model::Encoding::RawMultipart)
        ]
    );
    let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/paths/~1upload/post/requestBody/content/multipart~1form-data",
            "/paths/~1note/post/requestBody/content/multipart~1form-data"
        ]
    );
    // The code it makes: `tests/shapes/multipart.rs`.
}

fn shape_specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shapes");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 7, "the shapes are there");
    specs
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

#[test]
fn every_shape_generates_its_reviewed_module() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    let options = codegen::CrateOptions::new("shapes").description("shapes");
    let mut failures = Vec::new();
    for path in shape_specs() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let spec = Spec::new(format!("tests/shapes/{stem}.yaml"), text);
        let out = codegen::generate(&[spec], &options)
            .unwrap_or_else(|e| panic!("{stem}.yaml does not generate:\n{e}"));
        let module = &out.files[Path::new(&format!("src/{stem}.rs"))];
        let golden = path.with_extension("rs");
        if update {
            std::fs::write(&golden, module).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if &expected != module {
            failures.push(format!(
                "{stem}.yaml: the module differs from {stem}.rs\n{}",
                first_difference(&expected, module)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\n(review, then rerun with UPDATE_EXPECT=1 to accept, and regenerate the fixture crate: cargo xtask codegen)",
        failures.join("\n")
    );
}

/// Every shape is a module of the fixture crate, so its module compiles (and is linted) with
/// the workspace; `cargo xtask codegen --check` holds that crate to the specs.
#[test]
fn every_shape_is_a_module_of_the_fixture_crate() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let config = codegen::config::Config::read_in(workspace, "tests/fixtures/specs/codegen.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    let modules: Vec<(String, PathBuf)> = config
        .specs()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|s| (s.module, s.path))
        .collect();
    let mut missing = Vec::new();
    for path in shape_specs() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let wanted = (
            format!("shape_{stem}"),
            PathBuf::from(format!("codegen/tests/shapes/{stem}.yaml")),
        );
        if !modules.contains(&wanted) {
            missing.push(format!(
                "[[module]]\nname = \"shape_{stem}\"\nspec = \"../../../codegen/tests/shapes/{stem}.yaml\""
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "add to tests/fixtures/specs/codegen.toml, then run cargo xtask codegen:\n\n{}\n\n(modules: {modules:?})",
        missing.join("\n\n")
    );
}
