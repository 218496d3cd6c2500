//! The diff's rules, each on a small spec.

use super::*;

/// A spec's model, named `keys` whatever its file.
fn model(name: &str, text: &str) -> Api {
    let mut spec = crate::Spec::new(name, text.to_owned());
    spec.module = "keys".to_owned();
    match crate::model_of(&spec) {
        Ok((api, _)) => api,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn spec(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
{paths}components:
  schemas:
{schemas}"
    )
}

/// `POST /keys` sending `body` (a schema name) and receiving `reply`.
fn post(body: &str, reply: &str) -> String {
    format!(
        "  /keys:
    post:
      operationId: Keys_Create
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/{body}'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/{reply}'}}
"
    )
}

/// `Request` (sent) holds `Item`s; `Reply` is only received.
const SCHEMAS: &str = "    Request:
      type: object
      properties:
        items: {type: array, items: {$ref: '#/components/schemas/Item'}}
    Item:
      type: object
      properties:
        name: {type: string, maxLength: 10}
    Reply:
      type: object
      required: [id]
      properties:
        id: {type: string, maxLength: 10}
";

/// No types: for operations that need none.
const NO_SCHEMAS: &str = "    Unused: {type: object}\n";

fn run(old: &str, new: &str) -> Report {
    diff(&model("old.yaml", old), &model("new.yaml", new))
}

fn only(report: &Report) -> &Change {
    assert_eq!(report.changes.len(), 1, "{}", report.to_text());
    &report.changes[0]
}

#[test]
fn a_spec_against_itself_has_no_changes() {
    let text = spec(&post("Request", "Reply"), SCHEMAS);
    let report = run(&text, &text);
    assert!(report.changes.is_empty(), "{}", report.to_text());
    assert!(!report.breaking());
    assert!(report.to_text().contains("0 changes, 0 breaking"));
}

#[test]
fn the_real_specs_against_themselves_have_no_changes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config = crate::config::Config::read_in(&root, "specs/codegen.toml").unwrap();
    let specs = config.specs().unwrap();
    assert!(!specs.is_empty());
    for spec in specs {
        let (api, _) = crate::model_of(&spec).unwrap_or_else(|e| panic!("{e}"));
        let report = diff(&api, &api);
        assert!(report.changes.is_empty(), "{}", report.to_text());
    }
}

/// The report on `schemas` when `Item` gains a required `size` (after its line `name`).
fn item_gains_a_required_size(schemas: &str, name: &str) -> Report {
    let old = spec(&post("Request", "Reply"), schemas);
    let new = spec(
        &post("Request", "Reply"),
        &schemas
            .replace(
                "    Item:\n      type: object\n",
                "    Item:\n      type: object\n      required: [size]\n",
            )
            .replace(name, &format!("{name}        size: {{type: integer}}\n")),
    );
    run(&old, &new)
}

#[test]
fn a_required_property_nested_in_a_request_is_breaking() {
    let report = item_gains_a_required_size(SCHEMAS, "name: {type: string, maxLength: 10}\n");
    let c = only(&report);
    assert_eq!(c.location, "schema Item / property size");
    assert_eq!(c.kind, ChangeKind::Added);
    assert!(c.breaking, "Item is sent inside Request.items");
    assert_eq!(
        c.rust_item.as_deref(),
        Some("struct keys::Item (field size)")
    );
}

/// The diff knows what is sent as emit does: a struct sent only as a `oneOf` member of a body
/// is sent, so a new required property of it is breaking.
#[test]
fn a_required_property_of_a_one_of_member_in_a_request_is_breaking() {
    let schemas = "    Request:
      oneOf:
        - $ref: '#/components/schemas/Item'
        - type: string
    Item:
      type: object
      properties:
        name: {type: string}
    Reply:
      type: object
      properties:
        id: {type: string}
";
    let report = item_gains_a_required_size(schemas, "name: {type: string}\n");
    let c = only(&report);
    assert_eq!(c.location, "schema Item / property size");
    assert!(c.breaking, "Item is sent as a member of Request");
    assert!(
        c.description.contains("the type is sent in requests"),
        "{}",
        c.description
    );
}

#[test]
fn constraints_of_received_types_are_not_breaking() {
    let old = spec(&post("Request", "Reply"), SCHEMAS);
    let new = spec(
        &post("Request", "Reply"),
        &SCHEMAS.replace(
            "id: {type: string, maxLength: 10}",
            "id: {type: string, maxLength: 5}",
        ),
    );
    let report = run(&old, &new);
    let c = only(&report);
    assert!(!c.breaking);
    assert_eq!(
        c.description,
        "maxLength 10 -> 5 (tightened, but the type is only received)"
    );
    // The same tightening on a sent type is breaking.
    let new = spec(
        &post("Request", "Reply"),
        &SCHEMAS.replace(
            "name: {type: string, maxLength: 10}",
            "name: {type: string, maxLength: 5}",
        ),
    );
    let report = run(&old, &new);
    assert!(only(&report).breaking);
}

#[test]
fn a_response_property_that_became_optional_is_breaking() {
    let old = spec(&post("Request", "Reply"), SCHEMAS);
    let new = spec(
        &post("Request", "Reply"),
        &SCHEMAS.replace("      required: [id]\n", ""),
    );
    let report = run(&old, &new);
    let c = only(&report);
    assert!(c.breaking);
    assert_eq!(c.location, "schema Reply / property id");
    assert_eq!(
        c.description,
        "became optional (field `id`: String -> Option<String>; the type is received in responses)"
    );
    assert_eq!(
        c.rust_item.as_deref(),
        Some("struct keys::Reply (field id)")
    );
    // The reverse only matters in requests on the wire (Reply is never sent), but the field's
    // type changes for code that reads it.
    let report = run(&new, &old);
    assert_eq!(
        only(&report).breaks,
        Breaks {
            wire: false,
            code: true
        },
        "{}",
        report.to_text()
    );
}

#[test]
fn bounds_tighten_and_widen_in_the_right_direction() {
    let param = |schema: &str| {
        spec(
            &format!(
                "  /keys:
    get:
      operationId: Keys_List
      parameters:
        - {{name: top, in: query, schema: {{type: {schema}}}}}
      responses: {{'200': {{description: ok}}}}
"
            ),
            NO_SCHEMAS,
        )
    };
    let cases = [
        (
            "integer",
            "integer, minimum: 1",
            "minimum 1 added (tightened)",
            true,
        ),
        (
            "integer, minimum: 1",
            "integer, minimum: 2",
            "minimum 1 -> 2 (tightened)",
            true,
        ),
        (
            "integer, minimum: 2",
            "integer, minimum: 1",
            "minimum 2 -> 1 (widened)",
            false,
        ),
        (
            "integer, minimum: 1",
            "integer",
            "minimum 1 removed (widened)",
            false,
        ),
        (
            "integer, maximum: 9",
            "integer, maximum: 5",
            "maximum 9 -> 5 (tightened)",
            true,
        ),
        (
            "integer, maximum: 5",
            "integer, maximum: 9",
            "maximum 5 -> 9 (widened)",
            false,
        ),
        (
            "integer",
            "integer, maximum: 5",
            "maximum 5 added (tightened)",
            true,
        ),
        (
            "number, maximum: 1.5",
            "number, maximum: 2.5",
            "maximum 1.5 -> 2.5 (widened)",
            false,
        ),
        (
            "string",
            "string, minLength: 2",
            "minLength 2 added (tightened)",
            true,
        ),
        (
            "string, minLength: 3",
            "string, minLength: 2",
            "minLength 3 -> 2 (widened)",
            false,
        ),
        (
            "string, minLength: 2",
            "string, minLength: 3",
            "minLength 2 -> 3 (tightened)",
            true,
        ),
        (
            "string, maxLength: 9",
            "string",
            "maxLength 9 removed (widened)",
            false,
        ),
        (
            "string",
            "string, maxLength: 9",
            "maxLength 9 added (tightened)",
            true,
        ),
        (
            "string",
            "string, format: uuid",
            "format uuid added (tightened)",
            true,
        ),
        (
            "string, format: uuid",
            "string",
            "format uuid removed (widened)",
            false,
        ),
        (
            "string, pattern: '^a$'",
            "string",
            "pattern `^a$` removed (widened)",
            false,
        ),
        (
            "string",
            "string, pattern: '^a$'",
            "pattern `^a$` added (tightened)",
            true,
        ),
    ];
    for (old, new, description, breaking) in cases {
        let report = run(&param(old), &param(new));
        let c = only(&report);
        assert_eq!(c.location, "operation Keys_List / parameter top");
        assert_eq!(c.description, description);
        assert_eq!(c.breaking, breaking, "{description}");
        assert_eq!(c.rust_item, None, "constraints leave the signature alone");
    }
}

#[test]
fn bodies_and_error_types() {
    let get = |extra: &str| {
        spec(
            &format!(
                "  /keys:
    put:
      operationId: Keys_Put
{extra}      responses:
        '200': {{description: ok}}
        default:
          description: error
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Reply'}}
"
            ),
            SCHEMAS,
        )
    };
    let body = |required: bool| {
        format!(
            "      requestBody:
        required: {required}
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Item'}}
"
        )
    };
    let report = run(&get(""), &get(&body(true)));
    let c = only(&report);
    assert_eq!(c.location, "operation Keys_Put / request body");
    assert_eq!(c.description, "required body: new argument `body: &Item`");
    assert!(c.breaking);
    assert_eq!(c.rust_item.as_deref(), Some("fn keys::keys_put"));

    // An optional body is a new setter: calls do not change.
    let report = run(&get(""), &get(&body(false)));
    let c = only(&report);
    assert_eq!(c.breaks, Breaks::NONE);
    assert_eq!(
        c.description,
        "optional body: new setter `.body(&Item)` (existing calls do not change)"
    );

    let report = run(&get(&body(true)), &get(&body(false)));
    let c = only(&report);
    assert_eq!(
        c.breaks,
        Breaks {
            wire: false,
            code: true
        }
    );
    assert_eq!(
        c.description,
        "became optional (argument `body`: &Item -> setter `Option<&Item>`)"
    );

    let report = run(&get(&body(false)), &get(""));
    assert!(only(&report).breaking);

    let old = get("");
    let new = old.replace(
        "schema: {$ref: '#/components/schemas/Reply'}",
        "schema: {$ref: '#/components/schemas/Item'}",
    );
    let report = run(&old, &new);
    let c = only(&report);
    assert_eq!(c.location, "operation Keys_Put / error response");
    assert_eq!(c.description, "type Reply -> Item");
    assert!(c.breaking);
}

#[test]
fn parameters_that_change_requirement_type_or_order() {
    let op = |params: &str| {
        spec(
            &format!(
                "  /keys:
    get:
      operationId: Keys_List
      parameters:
{params}      responses: {{'200': {{description: ok}}}}
"
            ),
            NO_SCHEMAS,
        )
    };
    let a = "        - {name: a, in: query, schema: {type: string}}\n";
    let a_required = "        - {name: a, in: query, required: true, schema: {type: string}}\n";
    let a_int = "        - {name: a, in: query, schema: {type: integer}}\n";
    let b = "        - {name: b, in: query, schema: {type: string}}\n";
    let a_req = "        - {name: a, in: query, required: true, schema: {type: string}}\n";
    let b_req = "        - {name: b, in: query, required: true, schema: {type: string}}\n";

    let report = run(&op(a), &op(a_required));
    let c = only(&report);
    assert!(c.breaking);
    assert_eq!(
        c.description,
        "became required (setter `a`: Option<&str> -> argument `&str`)"
    );
    // Optional on the wire, but the argument's type changes: calls stop compiling.
    let c = only(&run(&op(a_required), &op(a))).clone();
    assert_eq!(
        c.breaks,
        Breaks {
            wire: false,
            code: true
        }
    );

    let report = run(&op(a), &op(a_int));
    let c = only(&report);
    assert!(c.breaking);
    assert_eq!(c.description, "type &str -> i64");

    // Optional inputs are setters, called by name: their order is no change.
    assert!(run(&op(&format!("{a}{b}")), &op(&format!("{b}{a}")))
        .changes
        .is_empty());

    // Two arguments of one type swapped: calls compile and send each value in the other's
    // place (this was rated `ok`).
    let report = run(
        &op(&format!("{a_req}{b_req}")),
        &op(&format!("{b_req}{a_req}")),
    );
    let c = only(&report);
    assert!(c.breaking);
    assert_eq!(
        c.breaks,
        Breaks {
            wire: false,
            code: true
        }
    );
    assert_eq!(c.location, "operation Keys_List");
    assert!(c.description.starts_with("argument order (a, b) -> (b, a)"));
    assert_eq!(c.rust_item.as_deref(), Some("fn keys::keys_list"));
    assert!(report.to_text().contains("  BREAKING  fn keys::keys_list"));

    // A renamed argument keeps its place: a change that breaks nothing, not one of order.
    let renamed = b_req.replace("{name: b,", "{name: b, x-ms-client-name: bee,");
    let report = run(
        &op(&format!("{a_req}{b_req}")),
        &op(&format!("{a_req}{renamed}")),
    );
    let c = only(&report);
    assert_eq!(c.breaks, Breaks::NONE);
    assert_eq!(
        c.description,
        "argument `b` -> `bee` (arguments are positional: calls do not change)"
    );
    // A renamed setter is a change callers see.
    let renamed = b.replace("{name: b,", "{name: b, x-ms-client-name: bee,");
    let report = run(&op(&format!("{a}{b}")), &op(&format!("{a}{renamed}")));
    let c = only(&report);
    assert_eq!(c.breaks, Breaks::code(true));
    assert_eq!(
        c.description,
        "setter `.b` -> `.bee` (calls of the old setter stop compiling)"
    );
}

#[test]
fn renamed_path_placeholders_are_no_path_change() {
    let op = |name: &str| {
        spec(
            &format!(
                "  /keys/{{{name}}}:
    get:
      operationId: Keys_Get
      parameters:
        - {{name: {name}, in: path, required: true, schema: {{type: string}}}}
      responses: {{'200': {{description: ok}}}}
"
            ),
            NO_SCHEMAS,
        )
    };
    let report = run(&op("id"), &op("keyId"));
    let locations: Vec<&str> = report.changes.iter().map(|c| c.location.as_str()).collect();
    assert_eq!(
        locations,
        [
            "operation Keys_Get / parameter id",
            "operation Keys_Get / parameter keyId"
        ]
    );
    let moved = run(&op("id"), &op("id").replace("/keys/{id}", "/Keys/{id}"));
    let c = only(&moved);
    assert!(c.breaking);
    assert_eq!(
        c.description,
        "request GET /keys/{id} -> GET /Keys/{id} (letter case only)"
    );
}

#[test]
fn json_lists_changes_and_rust_items() {
    let old = spec(&post("Request", "Reply"), SCHEMAS);
    let new = spec(
        &post("Request", "Reply"),
        &SCHEMAS.replace(
            "        id: {type: string, maxLength: 10}\n",
            "        id: {type: string, maxLength: 10}\n        note: {type: string}\n",
        ),
    );
    let report = run(&old, &new);
    let json = report.to_json();
    assert_eq!(
        json,
        serde_json::json!({
            "old": "old.yaml",
            "new": "new.yaml",
            "breaking": false,
            "changes": [{
                "kind": "added",
                "breaking": false,
                "breaks": {"wire": false, "code": false},
                "location": "schema Reply / property note",
                "description": "optional property: new field `note: Option<String>`",
                "rust_item": "struct keys::Reply (field note)",
            }],
            "rust_items": ["struct keys::Reply (field note)"],
        })
    );
}

#[test]
fn the_report_is_deterministic_and_sorted() {
    let old = spec(&post("Request", "Reply"), SCHEMAS);
    let new = spec(
        &post("Request", "Reply").replace("Keys_Create", "Keys_Make"),
        &SCHEMAS.replace(
            "    Reply:",
            "    Zebra: {type: string, enum: [a]}\n    Reply:",
        ),
    );
    let first = run(&old, &new);
    let second = run(&old, &new);
    assert_eq!(first, second);
    let locations: Vec<&str> = first.changes.iter().map(|c| c.location.as_str()).collect();
    assert_eq!(
        locations,
        [
            "operation Keys_Create",
            "operation Keys_Make",
            "schema Zebra"
        ]
    );
    assert!(first.breaking());
}

/// Descriptions are documentation, not shape: new wording of the responses of an operation
/// with several success statuses changes nothing a client sees (it was rated a BREAKING change
/// of the success type, `ServicesDeleteSuccess { Ok, NoContent } -> ServicesDeleteSuccess {
/// Ok, NoContent }`).
#[test]
fn response_descriptions_are_documentation_not_shape() {
    let delete = |ok: &str, gone: &str| {
        spec(
            &format!(
                "  /services/{{name}}:
    delete:
      operationId: Services_Delete
      parameters:
        - {{name: name, in: path, required: true, schema: {{type: string}}}}
      responses:
        '200':
          description: {ok}
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Reply'}}
        '204': {{description: {gone}}}
"
            ),
            SCHEMAS,
        )
    };
    let report = run(
        &delete("Deleted.", "Nothing to delete."),
        &delete("The service was deleted.", "The service does not exist."),
    );
    assert!(report.changes.is_empty(), "{}", report.to_text());

    // A status's body that changes is still a change of the type.
    let changed = delete("Deleted.", "Nothing.").replace("'204': {description: Nothing.}", "'204':\n          description: Nothing.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Reply'}");
    let report = run(&delete("Deleted.", "Nothing."), &changed);
    let c = only(&report);
    assert!(c.breaking);
    assert_eq!(
        c.description,
        "type ServicesDeleteSuccess { Ok(Reply), NoContent } -> ServicesDeleteSuccess { Ok(Reply), NoContent(Reply) }"
    );
}

/// `GET /chat` answering JSON, and a `text/event-stream` of `data` when it is `Some`.
fn chat(data: Option<&str>) -> String {
    let stream = data.map_or(String::new(), |data| {
        format!("            text/event-stream:\n              schema: {{{data}}}\n")
    });
    format!(
        "  /chat:
    get:
      operationId: chat
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{type: object, properties: {{text: {{type: string}}}}}}
{stream}"
    )
}

#[test]
fn an_event_stream_added_is_not_breaking_removed_or_retyped_is() {
    let none = spec(&chat(None), NO_SCHEMAS);
    let text = spec(&chat(Some("type: string")), NO_SCHEMAS);
    let numbers = spec(&chat(Some("type: integer")), NO_SCHEMAS);

    let added = run(&none, &text);
    let c = only(&added);
    assert_eq!((c.kind, c.breaking), (ChangeKind::Added, false));
    assert_eq!(
        c.description,
        "event stream of String: new `.events()` (existing calls do not change)"
    );
    assert_eq!(c.rust_item.as_deref(), Some("fn keys::chat"));

    let removed = run(&text, &none);
    let c = only(&removed);
    assert_eq!(c.kind, ChangeKind::Removed);
    assert!(c.breaks.wire && c.breaks.code, "{}", removed.to_text());

    let retyped = run(&text, &numbers);
    let c = only(&retyped);
    assert_eq!(c.kind, ChangeKind::Changed);
    assert!(c.breaking);
    assert!(c.description.contains("String -> "), "{}", c.description);
}
