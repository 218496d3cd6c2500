//! Tests of the 3.1 -> 3.0 translation: each construct, where moved nodes map back to, odd shapes.

use super::*;
use serde_json::json;
use std::path::Path;

/// The document with `schema` as component `S`, translated: the schema, the warnings
/// (pointer and message) and the moves.
/// (pointer, message) of the warnings, or (now, before) of the moves.
type Pairs = Vec<(String, String)>;

fn translate(doc: Value) -> (Value, Pairs, Pairs) {
    let mut doc = doc;
    let mut sink = Sink::new(Path::new("spec.json"), "");
    let mut moves = Vec::new();
    to_3_0(&mut doc, &mut sink, &mut moves);
    assert!(sink.errors.is_empty(), "{:?}", sink.errors);
    let warnings = sink
        .warnings
        .into_iter()
        .map(|d| (d.pointer, d.message))
        .collect();
    (doc, warnings, moves)
}

fn doc_with(schema: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"S": schema}}
    })
}

fn schema(schema: Value) -> (Value, Pairs, Pairs) {
    let (doc, warnings, moves) = translate(doc_with(schema));
    (doc["components"]["schemas"]["S"].clone(), warnings, moves)
}

/// The translated document reads as OpenAPI 3.0.
fn parses(doc: &Value) {
    if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(doc.clone()) {
        panic!("{e}: {doc:#}");
    }
}

#[test]
fn the_document_becomes_3_0_3_with_paths() {
    let (doc, warnings, _) = translate(json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {"title": "t", "version": "1", "summary": "short",
                 "license": {"name": "MIT", "identifier": "MIT"}},
    }));
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["paths"], json!({}));
    assert_eq!(doc["info"]["description"], "short");
    assert_eq!(doc["info"]["license"], json!({"name": "MIT"}));
    assert!(doc.get("jsonSchemaDialect").is_none());
    assert!(warnings.is_empty(), "{warnings:?}");
    parses(&doc);
}

#[test]
fn type_lists_with_null_become_nullable() {
    let (s, w, _) = schema(json!({"type": ["string", "null"], "maxLength": 3}));
    assert_eq!(
        s,
        json!({"type": "string", "nullable": true, "maxLength": 3})
    );
    assert!(w.is_empty());
    let (s, w, _) = schema(json!({"type": ["integer"]}));
    assert_eq!(s, json!({"type": "integer"}));
    assert!(w.is_empty());
}

#[test]
fn null_alone_is_nullable_and_warned() {
    let (s, w, _) = schema(json!({"type": "null"}));
    assert_eq!(s, json!({"nullable": true}));
    assert_eq!(w[0].0, "/components/schemas/S");
    assert!(w[0].1.contains("serde_json::Value"), "{w:?}");
    let (s, _, _) = schema(json!({"type": ["null"]}));
    assert_eq!(s, json!({"nullable": true}));
}

#[test]
fn several_types_become_an_any_of_with_their_keywords() {
    let (s, w, moves) = schema(json!({
        "type": ["number", "string", "integer", "null"],
        "description": "d", "maxLength": 4, "minimum": 1, "format": "date"
    }));
    assert_eq!(
        s,
        json!({
            "description": "d", "nullable": true,
            "anyOf": [
                {"type": "string", "maxLength": 4, "format": "date"},
                {"type": "integer", "minimum": 1},
                {"type": "number", "minimum": 1},
            ]
        })
    );
    assert!(w.is_empty());
    assert_eq!(
        original_pointer("/components/schemas/S/anyOf/0/maxLength", &moves),
        "/components/schemas/S/maxLength"
    );
}

#[test]
fn enum_values_go_to_their_type_and_a_type_without_values_is_left_out() {
    let (s, _, _) =
        schema(json!({"type": ["string", "integer", "boolean"], "enum": ["a", 1, "b"]}));
    assert_eq!(
        s,
        json!({"anyOf": [
            {"type": "string", "enum": ["a", "b"]},
            {"type": "integer", "enum": [1]},
        ]})
    );
    let (s, _, _) = schema(json!({"type": ["string", "integer", "null"], "enum": ["a", null]}));
    assert_eq!(
        s,
        json!({"type": "string", "enum": ["a"], "nullable": true})
    );
}

#[test]
fn optional_as_fastapi_writes_it() {
    let (s, w, moves) = schema(json!({
        "anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}],
        "title": "Nickname", "default": null
    }));
    assert_eq!(
        s,
        json!({"type": "string", "maxLength": 5, "title": "Nickname", "default": null, "nullable": true})
    );
    assert!(w.is_empty());
    assert_eq!(
        original_pointer("/components/schemas/S/maxLength", &moves),
        "/components/schemas/S/anyOf/0/maxLength"
    );
    assert_eq!(
        original_pointer("/components/schemas/S/title", &moves),
        "/components/schemas/S/title"
    );
    assert_eq!(
        original_pointer("/components/schemas/S", &moves),
        "/components/schemas/S"
    );
}

#[test]
fn an_optional_reference_goes_in_all_of() {
    let (s, _, moves) = schema(json!({
        "anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/T"}],
        "description": "the owner"
    }));
    assert_eq!(
        s,
        json!({"allOf": [{"$ref": "#/components/schemas/T"}], "description": "the owner", "nullable": true})
    );
    assert_eq!(
        original_pointer("/components/schemas/S/allOf/0", &moves),
        "/components/schemas/S/anyOf/1"
    );
}

#[test]
fn a_union_with_null_keeps_its_other_members() {
    let (s, _, moves) = schema(json!({
        "oneOf": [{"type": "null"}, {"type": "string"}, {"type": ["integer", "null"]}]
    }));
    assert_eq!(
        s,
        json!({"oneOf": [{"type": "string"}, {"type": "integer", "nullable": true}], "nullable": true})
    );
    assert_eq!(
        original_pointer("/components/schemas/S/oneOf/1/type", &moves),
        "/components/schemas/S/oneOf/2/type"
    );
    let (s, w, _) = schema(json!({"anyOf": [{"type": "null"}]}));
    assert_eq!(s, json!({"nullable": true}));
    assert_eq!(w.len(), 1);
}

#[test]
fn a_null_union_with_constraints_of_its_own_is_not_merged() {
    let (s, _, _) = schema(json!({
        "anyOf": [{"type": "string"}, {"type": "null"}], "maxLength": 3
    }));
    assert_eq!(
        s,
        json!({"allOf": [{"type": "string"}], "maxLength": 3, "nullable": true})
    );
}

#[test]
fn nested_null_unions_merge_all_the_way() {
    let (s, _, moves) = schema(json!({
        "anyOf": [{"anyOf": [{"type": "integer", "examples": [3]}, {"type": "null"}]}, {"type": "null"}],
        "title": "N"
    }));
    assert_eq!(
        s,
        json!({"type": "integer", "example": 3, "title": "N", "nullable": true})
    );
    assert_eq!(
        original_pointer("/components/schemas/S/type", &moves),
        "/components/schemas/S/anyOf/0/anyOf/0/type"
    );
}

#[test]
fn const_is_a_one_value_enum_with_a_type() {
    let (s, _, moves) = schema(json!({"const": "cat"}));
    assert_eq!(s, json!({"type": "string", "enum": ["cat"]}));
    assert_eq!(
        original_pointer("/components/schemas/S/enum/0", &moves),
        "/components/schemas/S/const/0"
    );
    let (s, _, _) = schema(json!({"const": 2, "type": "integer", "enum": [1, 2]}));
    assert_eq!(s, json!({"type": "integer", "enum": [2]}));
    let (_, w, _) = schema(json!({"const": 3, "enum": [1, 2]}));
    assert!(w[0].1.contains("not among"), "{w:?}");
}

#[test]
fn exclusive_bounds_take_the_3_0_form() {
    let (s, _, moves) = schema(
        json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5}),
    );
    assert_eq!(
        s,
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
    );
    assert_eq!(
        original_pointer("/components/schemas/S/minimum", &moves),
        "/components/schemas/S/exclusiveMinimum"
    );
    // Already in 3.0 form: left alone.
    let (s, _, _) = schema(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}));
    assert_eq!(
        s,
        json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true})
    );
}

#[test]
fn examples_become_example_on_schemas_only() {
    let (doc, _, _) = translate(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {
                "schema": {"type": "string", "examples": ["x", "y"]},
                "examples": {"one": {"value": "x"}}
            }}}}}}}
    }));
    let media = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
    assert_eq!(media["schema"], json!({"type": "string", "example": "x"}));
    assert_eq!(media["examples"], json!({"one": {"value": "x"}}));
    parses(&doc);
}

#[test]
fn ref_siblings() {
    // A description stays beside the `$ref` (the resolver reads it there).
    let (s, _, _) =
        schema(json!({"$ref": "#/components/schemas/T", "description": "d", "examples": [1]}));
    assert_eq!(
        s,
        json!({"$ref": "#/components/schemas/T", "description": "d"})
    );
    // Anything that constrains goes beside it in an `allOf`.
    let (s, _, moves) = schema(json!({
        "$ref": "#/components/schemas/T", "readOnly": true, "default": {"a": 1},
        "type": ["object", "null"], "description": "d"
    }));
    assert_eq!(
        s,
        json!({"allOf": [{"$ref": "#/components/schemas/T"}], "readOnly": true,
               "default": {"a": 1}, "nullable": true, "description": "d"})
    );
    assert_eq!(
        original_pointer("/components/schemas/S/allOf/0", &moves),
        "/components/schemas/S/$ref"
    );
    let (s, _, _) = schema(
        json!({"$ref": "#/components/schemas/T", "allOf": [{"required": ["a"]}], "deprecated": true}),
    );
    assert_eq!(
        s,
        json!({"allOf": [{"required": ["a"]}, {"$ref": "#/components/schemas/T"}], "deprecated": true})
    );
}

#[test]
fn content_encoding_and_media_type_give_the_format() {
    let (s, _, _) = schema(json!({"type": "string", "contentEncoding": "base64"}));
    assert_eq!(s, json!({"type": "string", "format": "byte"}));
    let (s, _, _) = schema(json!({"contentMediaType": "image/png"}));
    assert_eq!(s, json!({"type": "string", "format": "binary"}));
    let (s, _, _) = schema(json!({"type": "string", "contentMediaType": "application/json"}));
    assert_eq!(s, json!({"type": "string"}));
    let (s, w, _) = schema(
        json!({"type": "string", "contentMediaType": "application/json", "contentSchema": {"type": "object"}}),
    );
    assert_eq!(s, json!({"type": "string"}));
    assert_eq!(w[0].0, "/components/schemas/S/contentSchema");
}

#[test]
fn tuples_are_arrays_of_their_item_schemas_and_warned() {
    let (s, w, moves) = schema(json!({
        "type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}], "items": false
    }));
    assert_eq!(
        s,
        json!({"type": "array", "maxItems": 2, "items": {"anyOf": [{"type": "number"}, {"type": "string"}]}})
    );
    assert_eq!(w[0].0, "/components/schemas/S/prefixItems");
    assert!(w[0].1.contains("union"), "{w:?}");
    assert_eq!(
        original_pointer("/components/schemas/S/items/anyOf/1", &moves),
        "/components/schemas/S/prefixItems/1"
    );
    // The same schema at every position: an array of it.
    let (s, w, _) = schema(json!({"prefixItems": [{"type": "number"}, {"type": "number"}]}));
    assert_eq!(s, json!({"type": "array", "items": {"type": "number"}}));
    assert!(w[0].1.contains("its one item schema"), "{w:?}");
}

#[test]
fn tuple_members_are_translated_too() {
    let (s, _, _) = schema(json!({"prefixItems": [{"type": ["string", "null"]}, {"const": 1}]}));
    assert_eq!(
        s,
        json!({"type": "array", "items": {"anyOf": [
            {"type": "string", "nullable": true},
            {"type": "integer", "enum": [1]},
        ]}})
    );
}

#[test]
fn unevaluated_properties_is_additional_properties_when_safe() {
    let (s, w, _) = schema(
        json!({"type": "object", "properties": {"a": {"type": "string"}}, "unevaluatedProperties": false}),
    );
    assert_eq!(
        s,
        json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false})
    );
    assert!(w.is_empty());
    let (s, w, _) = schema(
        json!({"allOf": [{"$ref": "#/components/schemas/T"}], "unevaluatedProperties": false}),
    );
    assert_eq!(s, json!({"allOf": [{"$ref": "#/components/schemas/T"}]}));
    assert_eq!(w[0].0, "/components/schemas/S/unevaluatedProperties");
}

#[test]
fn pattern_properties_are_the_map_values() {
    let (s, w, _) =
        schema(json!({"type": "object", "patternProperties": {"^x-": {"type": "integer"}}}));
    assert_eq!(
        s,
        json!({"type": "object", "additionalProperties": {"type": "integer"}})
    );
    assert_eq!(w[0].0, "/components/schemas/S/patternProperties");
}

#[test]
fn boolean_schemas() {
    let (s, w, _) = schema(
        json!({"type": "object", "properties": {"a": true, "b": false}, "additionalProperties": false}),
    );
    assert_eq!(
        s,
        json!({"type": "object", "properties": {"a": {}}, "additionalProperties": false})
    );
    assert_eq!(w[0].0, "/components/schemas/S/properties/b");
    let (s, w, _) = schema(json!(false));
    assert_eq!(s, json!({"not": {}}));
    assert_eq!(w.len(), 1);
}

#[test]
fn unchecked_keywords_are_left_out_with_a_warning() {
    let (s, w, _) = schema(json!({
        "type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]},
        "propertyNames": {"maxLength": 3}, "$comment": "c", "$id": "https://x/s"
    }));
    assert_eq!(s, json!({"type": "object"}));
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].0, "/components/schemas/S/if");
    assert!(w[0].1.contains("`if`, `then`, `propertyNames`"), "{w:?}");
}

#[test]
fn anchors_and_local_defs_are_followed() {
    let (doc, w, _) = translate(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "components": {"schemas": {
            "S": {"type": "object", "properties": {
                "a": {"$ref": "#point"}, "b": {"$ref": "#/$defs/Point"}},
                "$defs": {"Point": {"$anchor": "point", "type": "object",
                    "properties": {"x": {"type": ["number", "null"]}}}}}
        }}
    }));
    let s = &doc["components"]["schemas"]["S"];
    assert_eq!(
        s["properties"]["a"]["$ref"],
        "#/components/schemas/S/$defs/Point"
    );
    assert_eq!(
        s["properties"]["b"]["$ref"],
        "#/components/schemas/S/$defs/Point"
    );
    assert_eq!(
        s["$defs"]["Point"]["properties"]["x"],
        json!({"type": "number", "nullable": true})
    );
    assert!(s["$defs"]["Point"].get("$anchor").is_none());
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "/components/schemas/S/properties/b/$ref");
    parses(&doc);
}

#[test]
fn webhooks_are_left_out_with_one_warning() {
    let (doc, w, _) = translate(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}},
                     "oldPet": {"post": {"responses": {"200": {"description": "ok"}}}}}
    }));
    assert!(doc.get("webhooks").is_none());
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].0, "/webhooks");
    parses(&doc);
}

#[test]
fn path_items_from_components_are_copied_into_paths() {
    let (doc, _, moves) = translate(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "here"}},
        "components": {"pathItems": {"A": {"get": {"operationId": "a", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"type": ["string", "null"]}}}}}}}}}
    }));
    let item = &doc["paths"]["/a"];
    assert_eq!(item["summary"], "here");
    assert_eq!(
        item["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"type": "string", "nullable": true})
    );
    // The component stays (for `$ref`s into it), translated too.
    assert_eq!(
        doc["components"]["pathItems"]["A"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        original_pointer("/paths/~1a/get/responses/200", &moves),
        "/components/pathItems/A/get/responses/200"
    );
    parses(&doc);
}

#[test]
fn mutual_tls_is_left_out_of_schemes_and_requirements() {
    let (doc, w, _) = translate(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "security": [{"mtls": []}, {"key": []}],
        "paths": {"/a": {"get": {"security": [{"mtls": [], "key": []}], "responses": {"204": {"description": "ok"}}}}},
        "components": {"securitySchemes": {
            "mtls": {"type": "mutualTLS"},
            "key": {"type": "apiKey", "in": "header", "name": "k"}}}
    }));
    assert_eq!(doc["security"], json!([{}, {"key": []}]));
    assert_eq!(doc["paths"]["/a"]["get"]["security"], json!([{"key": []}]));
    assert_eq!(w[0].0, "/components/securitySchemes/mtls");
    parses(&doc);
}

#[test]
fn operations_without_responses_get_an_empty_map() {
    let (doc, _, _) = translate(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a"}}}
    }));
    assert_eq!(doc["paths"]["/a"]["get"]["responses"], json!({}));
    parses(&doc);
}

#[test]
fn parameters_headers_and_callbacks_are_walked() {
    let (doc, _, _) = translate(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {
            "parameters": [{"name": "p", "in": "query", "schema": {"type": ["integer", "null"], "exclusiveMinimum": 0}}],
            "post": {
                "parameters": [{"name": "q", "in": "header", "content": {"application/json": {"schema": {"const": "v"}}}}],
                "requestBody": {"content": {"multipart/form-data": {
                    "schema": {"type": "object", "properties": {"f": {"type": "string", "contentMediaType": "application/octet-stream"}}},
                    "encoding": {"f": {"headers": {"X-H": {"schema": {"type": ["string", "null"]}}}}}}}},
                "responses": {"200": {"description": "ok", "headers": {"X-R": {"schema": {"type": ["integer", "null"]}}}}},
                "callbacks": {"cb": {"{$request.body#/url}": {"post": {
                    "requestBody": {"content": {"application/json": {"schema": {"const": 1}}}},
                    "responses": {"200": {"description": "ok"}}}}}}
            }
        }}
    }));
    let a = &doc["paths"]["/a"];
    assert_eq!(
        a["parameters"][0]["schema"],
        json!({"type": "integer", "nullable": true, "minimum": 0, "exclusiveMinimum": true})
    );
    let post = &a["post"];
    assert_eq!(
        post["parameters"][0]["content"]["application/json"]["schema"],
        json!({"type": "string", "enum": ["v"]})
    );
    let form = &post["requestBody"]["content"]["multipart/form-data"];
    assert_eq!(
        form["schema"]["properties"]["f"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        form["encoding"]["f"]["headers"]["X-H"]["schema"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        post["responses"]["200"]["headers"]["X-R"]["schema"],
        json!({"type": "integer", "nullable": true})
    );
    assert_eq!(
        post["callbacks"]["cb"]["{$request.body#/url}"]["post"]["requestBody"]["content"]
            ["application/json"]["schema"],
        json!({"type": "integer", "enum": [1]})
    );
    parses(&doc);
}

#[test]
fn original_pointer_takes_the_longest_move() {
    let moves = vec![
        ("/a/b".to_owned(), "/x".to_owned()),
        ("/a/b/c".to_owned(), "/y".to_owned()),
        ("/a/b/c".to_owned(), "/z".to_owned()),
    ];
    assert_eq!(original_pointer("/a/b/c/d", &moves), "/y/d");
    assert_eq!(original_pointer("/a/b/cc", &moves), "/x/cc");
    assert_eq!(original_pointer("/a/b", &moves), "/x");
    assert_eq!(original_pointer("/a", &moves), "/a");
}

#[test]
fn never_panics_on_odd_shapes() {
    for odd in [
        json!(null),
        json!([]),
        json!({"openapi": "3.1.0", "paths": [], "components": []}),
        json!({"openapi": "3.1.0", "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
               "components": {"pathItems": {"A": {"$ref": "#/components/pathItems/A"}}}}),
        json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": {"a": 1}, "responses": []}}}}),
        json!({"openapi": "3.1.0", "components": {"schemas": {
            "S": {"type": [1, null, "string"], "anyOf": 3, "oneOf": [null, {"type": "null"}],
                  "prefixItems": [], "items": [true], "properties": [], "$ref": 4,
                  "exclusiveMinimum": "x", "const": null, "patternProperties": {"a": false}},
            "T": {"$ref": "#", "allOf": 1, "nullable": true},
            "U": {"anyOf": [{"type": "null"}, true], "allOf": "x", "title": 1}}}}),
    ] {
        let mut doc = odd;
        let mut sink = Sink::new(Path::new("spec.json"), "");
        let mut moves = Vec::new();
        to_3_0(&mut doc, &mut sink, &mut moves);
    }
}

#[test]
fn deep_nesting_stops_with_a_warning() {
    let mut s = json!({"type": ["string", "null"]});
    for _ in 0..400 {
        s = json!({"type": "array", "items": s});
    }
    let (_, w, _) = schema(s);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].1.contains("levels deep"));
}
