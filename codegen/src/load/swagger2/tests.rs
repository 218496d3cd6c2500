//! Swagger 2.0 -> 3.0, piece by piece (JSON in, JSON out). The whole path, with the resolver
//! and the emitters, is `codegen/tests/inputs/` and its golden files.

use std::path::Path;

use serde_json::{json, Value};

use crate::diag::Sink;

/// The translation, its errors and warnings (as `pointer: message`), and its moves.
type Translated = (Value, Vec<String>, Vec<String>, Vec<(String, String)>);

fn translate(mut doc: Value) -> Translated {
    let mut sink = Sink::new(Path::new("s.json"), "");
    let mut moves = Vec::new();
    super::to_3_0(&mut doc, &mut sink, &mut moves);
    let show = |ds: &[crate::diag::Diagnostic]| {
        ds.iter()
            .map(|d| format!("{}: {}", d.pointer, d.message))
            .collect()
    };
    (doc, show(&sink.errors), show(&sink.warnings), moves)
}

fn doc(extra: Value) -> Value {
    let mut base = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    base
}

#[test]
fn servers_come_from_host_base_path_and_schemes() {
    let (out, ..) = translate(doc(
        json!({"host": "api.x.com", "basePath": "/v1/", "schemes": ["http", "https"]}),
    ));
    assert_eq!(out["servers"], json!([{"url": "https://api.x.com/v1"}]));
    let (out, ..) = translate(doc(json!({"host": "api.x.com", "schemes": ["http"]})));
    assert_eq!(out["servers"], json!([{"url": "http://api.x.com"}]));
    let (out, ..) = translate(doc(json!({"basePath": "/api"})));
    assert_eq!(out["servers"], json!([{"url": "/api"}]));
}

#[test]
fn azure_parameterized_hosts_become_server_variables() {
    let (out, errors, warnings, _) = translate(doc(json!({
        "x-ms-parameterized-host": {
            "hostTemplate": "{vaultBaseUrl}/{region}",
            "useSchemePrefix": false,
            "parameters": [
                {"name": "vaultBaseUrl", "in": "path", "required": true, "type": "string", "x-ms-skip-url-encoding": true},
                {"$ref": "#/parameters/Region"}
            ]
        },
        "parameters": {"Region": {"name": "region", "in": "path", "required": true, "type": "string", "default": "eu"}}
    })));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        out["servers"],
        json!([{"url": "{vaultBaseUrl}/{region}", "variables": {"vaultBaseUrl": {"default": ""}, "region": {"default": "eu"}}}])
    );
    assert_eq!(warnings, ["/x-ms-parameterized-host/parameters/0: the host's `{vaultBaseUrl}` has no default: callers set the base URL on the client (`ClientBuilder::base_url`)"]);
}

#[test]
fn security_definitions_become_schemes() {
    let (out, errors, ..) = translate(doc(json!({"securityDefinitions": {
        "basic": {"type": "basic", "description": "d"},
        "key": {"type": "apiKey", "in": "query", "name": "k"},
        "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {"a": "b"}}
    }})));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        out["components"]["securitySchemes"],
        json!({
            "basic": {"type": "http", "scheme": "basic", "description": "d"},
            "key": {"type": "apiKey", "name": "k", "in": "query"},
            "app": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"a": "b"}}}}
        })
    );
    let (_, errors, ..) = translate(doc(
        json!({"securityDefinitions": {"x": {"type": "digest"}}}),
    ));
    assert_eq!(errors, ["/securityDefinitions/x/type: unknown security scheme type `digest`: expected basic, apiKey or oauth2"]);
}

#[test]
fn parameters_get_a_schema_and_their_collection_format_a_style() {
    let (out, errors, _, moves) = translate(doc(json!({"paths": {"/a/{ids}": {"get": {
        "parameters": [
            {"name": "ids", "in": "path", "required": true, "type": "array", "items": {"type": "integer"}},
            {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}},
            {"name": "kind", "in": "query", "type": "string", "enum": ["a"], "x-nullable": true,
             "x-ms-enum": {"name": "Kind"}, "x-ms-client-name": "sort"}
        ],
        "x-ms-examples": {"e": {"$ref": "./examples/e.json"}},
        "responses": {"204": {"description": "ok"}}
    }}}})));
    assert!(errors.is_empty(), "{errors:?}");
    let op = &out["paths"]["/a/{ids}"]["get"];
    assert_eq!(op["parameters"][0]["style"], "simple");
    assert_eq!(op["parameters"][1]["style"], "form");
    assert_eq!(
        op["parameters"][1]["explode"], false,
        "2.0's default is csv"
    );
    assert_eq!(
        op["parameters"][2],
        json!({"name": "kind", "in": "query", "x-ms-client-name": "sort",
               "schema": {"type": "string", "enum": ["a"], "x-ms-enum": {"name": "Kind"}, "nullable": true}})
    );
    assert!(
        op.get("x-ms-examples").is_none(),
        "example files are not read"
    );
    assert!(moves.contains(&(
        "/paths/~1a~1{ids}/get/parameters/2/schema".to_owned(),
        "/paths/~1a~1{ids}/get/parameters/2".to_owned()
    )));
}

#[test]
fn a_global_body_parameter_is_a_request_body_and_references_follow() {
    let (out, errors, ..) = translate(doc(json!({
        "consumes": ["application/json", "text/json"],
        "parameters": {"Body": {"name": "thing", "in": "body", "required": true, "schema": {"$ref": "#/definitions/T"}}},
        "definitions": {"T": {"type": "object"}},
        "paths": {"/t": {"put": {"parameters": [{"$ref": "#/parameters/Body"}], "responses": {"204": {"description": "ok"}}}}}
    })));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        out["paths"]["/t"]["put"]["requestBody"],
        json!({"$ref": "#/components/requestBodies/Body"})
    );
    let body = &out["components"]["requestBodies"]["Body"];
    assert_eq!(body["required"], true);
    assert_eq!(body["x-codegen-request-body-name"], "thing");
    assert_eq!(
        body["content"]["text/json"]["schema"],
        json!({"$ref": "#/components/schemas/T"})
    );
}

#[test]
fn responses_get_content_per_produces_and_headers_a_schema() {
    let (out, ..) = translate(doc(json!({"paths": {"/f": {"get": {
        "produces": ["application/json"],
        "responses": {
            "200": {"description": "a file", "schema": {"type": "file"},
                    "headers": {"X-Count": {"type": "integer", "description": "n"}}},
            "default": {"description": "error", "schema": {"$ref": "#/definitions/E"},
                        "examples": {"application/json": {"code": 1}}}
        }
    }}}})));
    let responses = &out["paths"]["/f"]["get"]["responses"];
    assert_eq!(
        responses["200"]["content"],
        json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
    );
    assert_eq!(
        responses["200"]["headers"]["X-Count"],
        json!({"description": "n", "schema": {"type": "integer"}})
    );
    assert_eq!(
        responses["default"]["content"]["application/json"],
        json!({"schema": {"$ref": "#/components/schemas/E"}, "example": {"code": 1}})
    );
}

#[test]
fn azure_x_ms_paths_join_paths_and_a_clash_is_an_error() {
    let op = json!({"post": {"responses": {"204": {"description": "ok"}}}});
    let (out, errors, ..) = translate(doc(json!({
        "paths": {"/a": op.clone()},
        "x-ms-paths": {"/a?op=b": op.clone(), "/a": op}
    })));
    assert!(out["paths"].get("/a?op=b").is_some());
    assert!(out.get("x-ms-paths").is_none());
    assert_eq!(
        errors,
        ["/x-ms-paths/~1a: the path \"/a\" is in both `paths` and `x-ms-paths`"]
    );
}

#[test]
fn discriminators_get_their_mapping_from_the_subtypes() {
    let (out, ..) = translate(doc(json!({"definitions": {
        "Pet": {"type": "object", "discriminator": "kind", "properties": {"kind": {"type": "string"}}},
        "Cat": {"allOf": [{"$ref": "#/definitions/Pet"}], "x-ms-discriminator-value": "cat"},
        "Dog": {"allOf": [{"$ref": "#/definitions/Pet"}]}
    }})));
    assert_eq!(
        out["components"]["schemas"]["Pet"]["discriminator"],
        json!({"propertyName": "kind", "mapping": {
            "cat": "#/components/schemas/Cat", "Dog": "#/components/schemas/Dog"
        }})
    );
}
