//! What each call's record says, and whose fault a failure is.
//!
//! A failure is the generator's unless the evidence says otherwise: a response body that does
//! not decode is the spec's when the body contradicts the spec's own schema and came from its
//! examples (Prism's static answer), the mock's when Prism made it up (dynamic answers, or a
//! static one without examples); a response Prism could not produce (its 500s) or that it refused
//! for its own limits is the mock's. The schema checks are `jsonschema`'s (draft 4, as OpenAPI
//! 3.0 schemas are written, `nullable` turned into a `null` type).

use std::collections::HashMap;

use serde_json::{json, Value};

/// Whose fault a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// The generated client (or its driver) did something the spec does not allow.
    Generator,
    /// The spec contradicts itself or its examples.
    Spec,
    /// Prism's own limits.
    Mock,
}

impl Class {
    pub fn name(self) -> &'static str {
        match self {
            Class::Generator => "generator",
            Class::Spec => "spec",
            Class::Mock => "mock",
        }
    }
}

/// Compiled schemas of one document, by the place they are written.
pub struct Schemas {
    components: Value,
    cache: HashMap<String, Result<jsonschema::Validator, String>>,
}

impl Schemas {
    pub fn new(doc: &Value) -> Self {
        Schemas {
            components: json_schema(doc.get("components").unwrap_or(&Value::Null)),
            cache: HashMap::new(),
        }
    }

    /// Whether `value` satisfies `schema` (at `key`, the cache's name for it); a schema the
    /// validator cannot compile accepts everything.
    pub fn check(&mut self, key: &str, schema: &Value, value: &Value) -> Result<(), String> {
        let components = &self.components;
        let validator = self.cache.entry(key.to_owned()).or_insert_with(|| {
            let root = json!({
                "$ref": "#/definitions/target",
                "definitions": {"target": json_schema(schema)},
                "components": components,
            });
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft4)
                .should_validate_formats(true)
                .build(&root)
                .map_err(|e| e.to_string())
        });
        match validator {
            Err(_) => Ok(()),
            Ok(v) => v.validate(value).map_err(|e| {
                let at = e.instance_path().to_string();
                if at.is_empty() {
                    e.to_string()
                } else {
                    format!("at {at}: {e}")
                }
            }),
        }
    }
}

/// An OpenAPI 3.0 schema as JSON Schema draft 4: `nullable: true` becomes a `null` type (or an
/// `anyOf` with one, beside a `$ref` or a schema without `type`); examples and extensions are
/// data, left as they are.
pub fn json_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let data = k == "example" || k == "examples" || k.starts_with("x-") || k == "enum";
                out.insert(k.clone(), if data { v.clone() } else { json_schema(v) });
            }
            if out.remove("nullable") != Some(Value::Bool(true)) {
                return Value::Object(out);
            }
            if let Some(values) = out.get_mut("enum").and_then(Value::as_array_mut) {
                values.push(Value::Null);
            }
            match out.get("type").cloned() {
                Some(Value::String(t)) if !out.contains_key("$ref") => {
                    out.insert("type".to_owned(), json!([t, "null"]));
                    Value::Object(out)
                }
                _ => json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(json_schema).collect()),
        other => other.clone(),
    }
}

/// One call as the runner printed it.
#[derive(Debug, Clone)]
pub struct Call {
    /// Index into the model's operations.
    pub op: usize,
    /// `static`, `static:<code>` (an error status asked for), `dynamic-<n>`.
    pub pass: String,
    /// What the client made of it: `decoded`, `error_typed`, `error_raw`, `unexpected`,
    /// `args`, `invalid_parameter`, `missing_credentials`, `transport`, `skipped`, `other`.
    pub kind: String,
    pub message: String,
    /// `{method, url, headers, body}`, or null when nothing was sent.
    pub request: Value,
    /// `{status, headers, body}`, or null.
    pub response: Value,
}

impl Call {
    pub fn from_json(v: Value) -> Call {
        let text = |k: &str| v[k].as_str().unwrap_or("").to_owned();
        Call {
            op: v["op"].as_u64().unwrap_or(0) as usize,
            pass: text("pass"),
            kind: text("kind"),
            message: text("message"),
            request: v["request"].clone(),
            response: v["response"].clone(),
        }
    }
}

/// Where a call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Building the call: arguments that do not decode into the generated types, the client's
    /// own checks, credentials.
    Arguments,
    /// Prism found a violation in the request.
    Request,
    /// The response did not decode into the typed result or error.
    Response,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Arguments, Stage::Request, Stage::Response];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Arguments => "arguments",
            Stage::Request => "request accepted by Prism",
            Stage::Response => "response decoded",
        }
    }
}

/// A failed call: where, whose fault, and why.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub stage: Stage,
    pub class: Class,
    pub cause: String,
}

const PRISM_ERRORS: &str = "https://stoplight.io/prism/errors#";

/// The error statuses an operation declares with a body, to ask Prism for (two at most).
pub fn error_codes(doc: &Value, op: &codegen::model::Operation) -> Vec<u16> {
    let Some(responses) = super::plan::operation(doc, op)
        .and_then(|o| o.get("responses"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    responses
        .iter()
        .filter_map(|(code, r)| {
            let code: u16 = code.parse().ok()?;
            let has_body = resolve(doc, r).get("content").is_some();
            ((400..600).contains(&code) && has_body).then_some(code)
        })
        .take(2)
        .collect()
}

fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..32 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(next) => node = next,
                None => break,
            },
            None => break,
        }
    }
    node
}

/// Whether the operation's path key carries a query or a fragment.
fn routed_by_query(doc: &Value, op: &codegen::model::Operation) -> bool {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return false;
    };
    !paths.contains_key(&op.path)
        && paths.keys().any(|k| {
            k.strip_prefix(op.path.as_str())
                .is_some_and(|rest| rest.starts_with(['?', '#']))
        })
}

/// A Prism violation as text: where, then what (`query.limit: must be <= 10`).
fn violation_text(v: &Value) -> String {
    let at: Vec<&str> = v["location"]
        .as_array()
        .map(|l| l.iter().skip(1).filter_map(Value::as_str).collect())
        .unwrap_or_default();
    format!("{}: {}", at.join("."), v["message"].as_str().unwrap_or(""))
}

/// The verdict on one call, `None` when it passed.
pub fn judge(
    call: &Call,
    doc: &Value,
    op: &codegen::model::Operation,
    schemas: &mut Schemas,
) -> Option<Verdict> {
    let fail = |stage, class, cause: String| {
        Some(Verdict {
            stage,
            class,
            cause,
        })
    };
    match call.kind.as_str() {
        "skipped" => {
            return fail(
                Stage::Arguments,
                Class::Generator,
                format!("not driven: {}", call.message),
            )
        }
        "args" | "invalid_parameter" | "missing_credentials" | "other" => {
            return fail(Stage::Arguments, Class::Generator, call.message.clone())
        }
        "transport" => return fail(Stage::Response, Class::Mock, call.message.clone()),
        _ => {}
    }
    let status = call.response["status"].as_u64().unwrap_or(0) as u16;
    let headers = &call.response["headers"];
    let body_text = call.response["body"].as_str().unwrap_or("");
    let body: Value = serde_json::from_str(body_text).unwrap_or(Value::Null);
    let prism_error = body["type"]
        .as_str()
        .and_then(|t| t.strip_prefix(PRISM_ERRORS));
    // Prism lists what it found wrong in `sl-violations`: in the request (ours), or in its own
    // answer (the spec's examples or Prism's making, judged below if the client fails on it).
    let violations: Vec<Value> = headers["sl-violations"]
        .as_str()
        .and_then(|v| serde_json::from_str(v).ok())
        .unwrap_or_default();
    let in_request: Vec<String> = violations
        .iter()
        .filter(|v| v["location"][0] == "request")
        .map(violation_text)
        .collect();
    if let Some(first) = in_request.first() {
        return fail(Stage::Request, Class::Generator, first.clone());
    }
    match prism_error {
        Some("UNPROCESSABLE_ENTITY") => {
            let first = body["validation"]
                .get(0)
                .map_or_else(|| "invalid request".to_owned(), violation_text);
            return fail(Stage::Request, Class::Generator, first);
        }
        Some("UNAUTHORIZED") => {
            return fail(
                Stage::Request,
                Class::Generator,
                "security requirements not met".to_owned(),
            )
        }
        // A path key with a fragment (`/#Action=Send`) or a query is no route Prism can match:
        // the fragment is never sent, and the query is not part of the path.
        Some("NO_PATH_MATCHED_ERROR") if routed_by_query(doc, op) => {
            return fail(
                Stage::Request,
                Class::Mock,
                "Prism cannot route a path key that carries a query or a fragment".to_owned(),
            )
        }
        Some("NO_PATH_MATCHED_ERROR" | "NO_METHOD_MATCHED_ERROR") => {
            return fail(
                Stage::Request,
                Class::Generator,
                format!("Prism: {}", body["title"].as_str().unwrap_or("")),
            )
        }
        Some(other) => {
            let detail = body["detail"].as_str().unwrap_or("");
            return fail(
                Stage::Response,
                Class::Mock,
                format!("Prism {other}: {detail}"),
            );
        }
        None => {}
    }
    if matches!(call.kind.as_str(), "decoded" | "error_typed") {
        return None;
    }
    // The client could not decode the answer: whose fault depends on whether the answer keeps
    // the spec's own schema.
    let dynamic = call.pass.starts_with("dynamic");
    let declared = super::plan::operation(doc, op)
        .and_then(|o| o.get("responses"))
        .and_then(|r| {
            r.get(status.to_string())
                .or_else(|| r.get(format!("{}XX", status / 100)))
                .or_else(|| r.get("default"))
        })
        .map(|r| resolve(doc, r));
    let Some(declared) = declared else {
        return fail(Stage::Response, Class::Generator, call.message.clone());
    };
    let content_type = headers["content-type"]
        .as_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_owned();
    let media = declared.get("content").and_then(|c| {
        c.get(&content_type)
            .or_else(|| c.as_object().and_then(|m| m.values().next()))
    });
    let (Some(media), Some(schema)) = (media, media.and_then(|m| m.get("schema"))) else {
        return fail(Stage::Response, Class::Generator, call.message.clone());
    };
    let key = format!(
        "response/{}/{}/{status}/{content_type}",
        op.method.as_str(),
        op.path
    );
    match schemas.check(&key, schema, &body) {
        Ok(()) => fail(Stage::Response, Class::Generator, call.message.clone()),
        Err(why) => {
            let has_examples = media.get("example").is_some() || media.get("examples").is_some();
            let class = if !dynamic && has_examples {
                Class::Spec
            } else {
                Class::Mock
            };
            fail(
                Stage::Response,
                class,
                format!("the response contradicts its schema: {why}"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_and_references_are_checked() {
        let doc = json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "nullable": true},
                "born": {"type": "string", "format": "date-time"}}}}}});
        let mut schemas = Schemas::new(&doc);
        let pet = json!({"$ref": "#/components/schemas/Pet"});
        assert!(schemas.check("p", &pet, &json!({"name": null})).is_ok());
        assert!(schemas
            .check(
                "p",
                &pet,
                &json!({"name": "a", "born": "2024-01-01T00:00:00Z"})
            )
            .is_ok());
        let err = schemas
            .check("p", &pet, &json!({"name": "a", "born": "2024-01-01 00:00"}))
            .unwrap_err();
        assert!(err.contains("/born"), "{err}");
        assert!(schemas.check("p", &pet, &json!({})).is_err());
    }
}
