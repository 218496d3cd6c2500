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
        match self.violation(key, schema, value) {
            None => Ok(()),
            Some((at, e)) if at.is_empty() => Err(e),
            Some((at, e)) => Err(format!("at {at}: {e}")),
        }
    }

    /// The first place where `value` breaks `schema` (a JSON pointer into the value) and why.
    pub fn violation(
        &mut self,
        key: &str,
        schema: &Value,
        value: &Value,
    ) -> Option<(String, String)> {
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
            Err(_) => None,
            Ok(v) => v
                .validate(value)
                .err()
                .map(|e| (e.instance_path().to_string(), e.to_string())),
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

/// Whose fault a violation Prism found in the request is: the generator's, unless the
/// parameter is one Prism cannot read or OpenAPI gives no form to.
fn request_fault(
    doc: &Value,
    op: &codegen::model::Operation,
    v: &Value,
    request: &Value,
) -> (Class, String) {
    let text = violation_text(v);
    // `sl-violations` say `["request", "query", name]`, a `422`'s list `["query", name]`.
    let location: Vec<&str> = v["location"]
        .as_array()
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let location = location.strip_prefix(&["request"]).unwrap_or(&location);
    let media = request["headers"]["content-type"].as_str().unwrap_or("");
    if location.first() == Some(&"body") && media.contains("xml") {
        return (
            Class::Mock,
            format!("Prism reads no XML: it checks an XML body, as the string it is, against the object schema (prism-http validators/body.js): {text}"),
        );
    }
    let (Some(&"query"), Some(name)) = (location.first(), location.get(1)) else {
        return (Class::Generator, text);
    };
    let Some(param) = query_parameter(doc, op, name) else {
        return (Class::Generator, text);
    };
    let schema = resolve(doc, param.get("schema").unwrap_or(&Value::Null));
    let style = param.get("style").and_then(Value::as_str).unwrap_or("form");
    let explode = param
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    if style == "form" && explode && objectish(doc, schema, 0) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let names = properties.into_iter().flat_map(|p| p.keys());
        if let Some(capital) = names.clone().find(|n| n.chars().any(char::is_uppercase)) {
            return (
                Class::Mock,
                format!("Prism lowercases the query's keys before it reads the properties of an exploded object, so `{capital}` is never found: {text}"),
            );
        }
        let nested = properties
            .into_iter()
            .flat_map(|p| p.values())
            .any(|p| objectish(doc, resolve(doc, p), 0));
        if nested {
            return (
                Class::Spec,
                format!(
                    "OpenAPI gives no form to an object inside a query parameter's object: {text}"
                ),
            );
        }
    }
    let items = schema.get("items").map(|i| resolve(doc, i));
    if items.is_some_and(|i| objectish(doc, i, 0)) {
        return (
            Class::Spec,
            format!("OpenAPI gives no form to objects inside a query parameter's array: {text}"),
        );
    }
    (Class::Generator, text)
}

/// The query parameter of the operation (or its path item) Prism names (in lower case).
fn query_parameter<'a>(
    doc: &'a Value,
    op: &codegen::model::Operation,
    name: &str,
) -> Option<&'a Value> {
    let own = super::plan::operation(doc, op).and_then(|o| o.get("parameters"));
    let shared = super::plan::path_item(doc, op).and_then(|i| i.get("parameters"));
    [own, shared]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| resolve(doc, p))
        .find(|p| {
            p.get("in").and_then(Value::as_str) == Some("query")
                && p.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
}

/// Whether a schema describes objects (directly or through `allOf`).
fn objectish(doc: &Value, s: &Value, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    s.get("type").and_then(Value::as_str) == Some("object")
        || s.get("properties").is_some()
        || s.get("allOf").and_then(Value::as_array).is_some_and(|all| {
            all.iter()
                .any(|m| objectish(doc, resolve(doc, m), depth + 1))
        })
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
    let json = headers["content-type"]
        .as_str()
        .is_some_and(|t| t.contains("json"));
    // A body that is not JSON is checked as the string it is (a `type: string` of `text/plain`).
    let body: Value = serde_json::from_str(body_text).unwrap_or_else(|_| {
        if json {
            Value::Null
        } else {
            Value::String(body_text.to_owned())
        }
    });
    let prism_error = body["type"]
        .as_str()
        .and_then(|t| t.strip_prefix(PRISM_ERRORS));
    // Prism lists what it found wrong in `sl-violations`: in the request (ours), or in its own
    // answer (the spec's examples or Prism's making, judged below if the client fails on it).
    let violations: Vec<Value> = headers["sl-violations"]
        .as_str()
        .and_then(|v| serde_json::from_str(v).ok())
        .unwrap_or_default();
    // A warning is no violation: Prism warns of a deprecated parameter the driver sends
    // (soundcloud.com's `offset`, 57 operations), and the request is still valid.
    let is_error = |v: &Value| !matches!(v["severity"].as_str(), Some("Warning" | "Info" | "Hint"));
    if let Some(first) = violations
        .iter()
        .find(|v| v["location"][0] == "request" && is_error(v))
    {
        let (class, cause) = request_fault(doc, op, first, &call.request);
        return fail(Stage::Request, class, cause);
    }
    match prism_error {
        Some("UNPROCESSABLE_ENTITY") => {
            let (class, cause) = body["validation"].get(0).map_or_else(
                || (Class::Generator, "invalid request".to_owned()),
                |v| request_fault(doc, op, v, &call.request),
            );
            return fail(Stage::Request, class, cause);
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
    response_fault(call, doc, op, schemas, status, &body)
}

/// Whose fault a response the client did not decode is: whether the answer keeps the spec's
/// own schema, and where the answer came from.
fn response_fault(
    call: &Call,
    doc: &Value,
    op: &codegen::model::Operation,
    schemas: &mut Schemas,
    status: u16,
    body: &Value,
) -> Option<Verdict> {
    let fail = |stage, class, cause: String| {
        Some(Verdict {
            stage,
            class,
            cause,
        })
    };
    let headers = &call.response["headers"];
    // Prism's server answers an exception of its own (`TypeError: invalid media type` in its
    // log) with this body, whatever the operation declares.
    if status == 500
        && *body
            == json!({"error": {"code": "internal_server_error", "message": "Internal Server Error"}})
    {
        return fail(
            Stage::Response,
            Class::Mock,
            "Prism failed on the request (500 internal_server_error: an exception, see its log)"
                .to_owned(),
        );
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
    // The cache's key: the operation's id as well, since several operations may share a
    // method and path (AWS's `POST /#X-Amz-Target=...`, all `POST /` in the model).
    let key = format!(
        "response/{}/{}/{}/{status}/{content_type}",
        op.operation_id,
        op.method.as_str(),
        op.path
    );
    let Some((at, why)) = schemas.violation(&key, schema, body) else {
        return fail(Stage::Response, Class::Generator, call.message.clone());
    };
    let why = if at.is_empty() {
        why
    } else {
        format!("at {at}: {why}")
    };
    let has_examples = media.get("example").is_some() || media.get("examples").is_some();
    if !dynamic && has_examples {
        return fail(
            Stage::Response,
            Class::Spec,
            format!("the response contradicts its schema: {why}"),
        );
    }
    // Without examples of the whole body, Prism's static answer is made of the schemas' own
    // `example`s and `default`s: the value that breaks the schema may be one of them.
    let wrong = body.pointer(&at).unwrap_or(&Value::Null);
    if !dynamic {
        if let Some(kind) = own_example(doc, schema, &at, wrong) {
            return fail(
                Stage::Response,
                Class::Spec,
                format!("the schema's own {kind} contradicts its type: {why}"),
            );
        }
    }
    fail(
        Stage::Response,
        Class::Mock,
        format!("the response contradicts its schema: {why}"),
    )
}

/// Whether the value at `at` (a JSON pointer into a value of `schema`) is the `example` or the
/// `default` a schema written at that place gives (`"example"` or `"default"`), any member of
/// an `allOf`, `oneOf` or `anyOf` on the way.
fn own_example(doc: &Value, schema: &Value, at: &str, wrong: &Value) -> Option<&'static str> {
    // Every schema that may apply at a place: through references and the members of
    // combinations (a bounded walk: schemas may be recursive).
    fn expand<'a>(doc: &'a Value, node: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
        let node = resolve(doc, node);
        if depth > 8 || out.iter().any(|n| std::ptr::eq(*n, node)) {
            return;
        }
        out.push(node);
        for key in ["allOf", "oneOf", "anyOf"] {
            for member in node
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                expand(doc, member, out, depth + 1);
            }
        }
    }
    let mut here = Vec::new();
    expand(doc, schema, &mut here, 0);
    for segment in at.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let mut next = Vec::new();
        for node in &here {
            let child = node
                .get("properties")
                .and_then(|p| p.get(&segment))
                .or_else(|| {
                    segment
                        .parse::<usize>()
                        .ok()
                        .and_then(|_| node.get("items"))
                })
                .or_else(|| node.get("additionalProperties").filter(|a| a.is_object()));
            if let Some(child) = child {
                expand(doc, child, &mut next, 0);
            }
        }
        here = next;
    }
    here.iter().find_map(|node| {
        if node.get("example") == Some(wrong) {
            Some("example")
        } else if node.get("default") == Some(wrong) {
            Some("default")
        } else {
            None
        }
    })
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

    /// Operations that share a method and a path in the model (AWS's `POST /#X-Amz-Target=..`)
    /// are judged each against its own response schema, not the first one's.
    #[test]
    fn operations_of_one_path_are_judged_each_by_its_schema() {
        let text = r#"
openapi: 3.0.3
info: {title: Aws, version: '1'}
paths:
  /#X-Amz-Target=Svc.A:
    post:
      operationId: A
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}
  /#X-Amz-Target=Svc.B:
    post:
      operationId: B
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {t: {type: string, format: date-time}}}
"#;
        let spec = codegen::Spec::new("aws.yaml", text.to_owned());
        let doc = spec.load().unwrap().raw;
        let (api, _) = codegen::model_of(&spec).unwrap();
        let mut schemas = Schemas::new(&doc);
        let call = |op: usize, body: &str| Call {
            op,
            pass: "static".to_owned(),
            kind: "unexpected".to_owned(),
            message: "the body does not decode".to_owned(),
            request: json!({}),
            response: json!({"status": 200, "headers": {"content-type": "application/json"},
                "body": body}),
        };
        let a = judge(
            &call(0, r#"{"n": 1}"#),
            &doc,
            &api.operations[0],
            &mut schemas,
        );
        assert_eq!(a.map(|v| v.class), Some(Class::Generator));
        let b = judge(
            &call(1, r#"{"t": "string"}"#),
            &doc,
            &api.operations[1],
            &mut schemas,
        );
        assert_eq!(b.map(|v| v.class), Some(Class::Mock));
    }

    /// A violation in a query parameter is the generator's, unless Prism cannot read it (an
    /// exploded object whose properties have capitals: Prism lowercases the query's keys) or
    /// OpenAPI gives it no form (objects in a query parameter's array or object).
    #[test]
    fn query_objects_prism_cannot_read_are_not_the_generator_s() {
        let text = r#"
openapi: 3.0.3
info: {title: Ses, version: '1'}
paths:
  /send:
    get:
      operationId: send
      parameters:
        - name: Filter
          in: query
          required: true
          schema: {type: object, required: [Name], properties: {Name: {type: string}}}
        - name: tags
          in: query
          schema: {type: array, items: {$ref: '#/components/schemas/Tag'}}
        - name: rule
          in: query
          schema: {type: object, properties: {tag: {$ref: '#/components/schemas/Tag'}}}
        - {name: limit, in: query, schema: {type: integer, maximum: 5}}
      responses: {'204': {description: ok}}
components:
  schemas:
    Tag: {type: object, properties: {key: {type: string}}}
"#;
        let spec = codegen::Spec::new("ses.yaml", text.to_owned());
        let doc = spec.load().unwrap().raw;
        let (api, _) = codegen::model_of(&spec).unwrap();
        let op = &api.operations[0];
        let class = |name: &str| {
            let v = json!({"location": ["request", "query", name], "message": "wrong"});
            request_fault(&doc, op, &v, &json!({})).0
        };
        assert_eq!(class("filter"), Class::Mock);
        // A `422`'s list names the place without `request`.
        let v = json!({"location": ["query", "filter"], "message": "wrong"});
        assert_eq!(request_fault(&doc, op, &v, &json!({})).0, Class::Mock);
        // Prism reads no XML body.
        let v = json!({"location": ["body"], "message": "Request body must be object"});
        let xml = json!({"headers": {"content-type": "text/xml"}});
        assert_eq!(request_fault(&doc, op, &v, &xml).0, Class::Mock);
        let json = json!({"headers": {"content-type": "application/json"}});
        assert_eq!(request_fault(&doc, op, &v, &json).0, Class::Generator);
        assert_eq!(class("tags"), Class::Spec);
        assert_eq!(class("rule"), Class::Spec);
        assert_eq!(class("limit"), Class::Generator);
    }

    /// Prism's static answer without examples of the body is made of the schemas' own examples
    /// and defaults: one that breaks its own schema is the spec's (Mailchimp: `enabled`, a
    /// boolean with `example: "true"`; a string with `default: false`).
    #[test]
    fn a_schema_example_that_breaks_its_type_is_found() {
        let doc = json!({"components": {"schemas": {
            "Rule": {"type": "object", "properties": {
                "enabled": {"type": "boolean", "example": "true"},
                "notify": {"allOf": [{"type": "string", "default": false}]}}}}}});
        let list = json!({"type": "object", "properties": {"rules": {"type": "array",
            "items": {"$ref": "#/components/schemas/Rule"}}}});
        let found = |at: &str, v: Value| own_example(&doc, &list, at, &v);
        assert_eq!(found("/rules/0/enabled", json!("true")), Some("example"));
        assert_eq!(found("/rules/0/notify", json!(false)), Some("default"));
        assert_eq!(found("/rules/0/enabled", json!("string")), None);
        assert_eq!(found("/rules/0/other", json!("true")), None);
    }
}
