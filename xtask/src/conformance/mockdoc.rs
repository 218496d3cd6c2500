//! The document Prism serves: the one the client was generated from, with two of Prism's limits
//! worked around by rewriting it into an instance of the same API that Prism can serve. Neither
//! changes what is checked of the client: its requests are recorded as it sent them, and judged
//! against the original document.
//!
//! - **Routes**: Prism matches a request by its path alone, so a path key that carries a query
//!   or a fragment (AWS's `/#X-Amz-Target=Svc.Op` and `/?Action=Send`, `/search?query={query}`,
//!   `/tags/{arn}#tagKeys`) is never matched, and several of them share a path. Each such key
//!   becomes a path of its own, `<path>/__conformance/<n>`, and the runner appends that suffix
//!   to the path of the operation's requests before they reach Prism (the client's path is
//!   kept in the record: the original one).
//! - **Any media type**: Prism cannot answer a response declared as `*/*` with an object: asked
//!   for JSON it finds no content (`406`), otherwise it writes text and fails (`500 Cannot
//!   serialise complex objects as text`). Such a response (of a schema other than a string)
//!   is declared `application/json` instead: one of the answers `*/*` allows, and the one
//!   servers that declare it (springdoc) send.

use serde_json::{Map, Value};

use codegen::model::Api;

/// The path suffix each operation's requests get (`None`: routed as they are), in the model's
/// order, and the document for Prism.
pub fn mock_document(api: &Api, doc: &Value) -> (Vec<Option<String>>, Value) {
    let mut out = doc.clone();
    let mut routes = Vec::new();
    let mut renamed: Map<String, Value> = Map::new();
    for op in &api.operations {
        let key = super::plan::path_key(doc, op);
        let route = match key {
            Some(key) if key != op.path => {
                let n = match renamed.get(key) {
                    Some(n) => n.as_u64().unwrap_or(0),
                    None => {
                        let n = renamed.len() as u64;
                        renamed.insert(key.to_owned(), Value::from(n));
                        n
                    }
                };
                Some(format!("/__conformance/{n}"))
            }
            _ => None,
        };
        routes.push(route);
    }
    if let Some(paths) = out.get_mut("paths").and_then(Value::as_object_mut) {
        let mut rewritten = Map::new();
        for (key, item) in std::mem::take(paths) {
            let new_key = match renamed.get(&key).and_then(Value::as_u64) {
                Some(n) => {
                    let path = key.split(['?', '#']).next().unwrap_or("");
                    format!("{}/__conformance/{n}", path.trim_end_matches('/'))
                }
                None => key,
            };
            rewritten.insert(new_key, item);
        }
        *paths = rewritten;
    }
    let paths: Vec<String> = out
        .get("paths")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for key in paths {
        let methods = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        for method in methods {
            let pointer = format!("/paths/{}/{method}/responses", escape(&key));
            let Some(responses) = out.pointer(&pointer).and_then(Value::as_object) else {
                continue;
            };
            let codes: Vec<String> = responses.keys().cloned().collect();
            for code in codes {
                let at = format!("{pointer}/{}/content", escape(&code));
                let content = out.pointer(&at).cloned();
                let Some(Value::Object(content)) = content else {
                    continue;
                };
                if let Some(content) = json_for_any(doc, content) {
                    if let Some(slot) = out.pointer_mut(&at) {
                        *slot = Value::Object(content);
                    }
                }
            }
        }
    }
    (routes, out)
}

/// The content with its `*/*` declared `application/json`, when it has no JSON media type and
/// the `*/*` schema is not a string (`None`: leave it).
fn json_for_any(doc: &Value, content: Map<String, Value>) -> Option<Map<String, Value>> {
    let json = |k: &str| {
        let essence = k
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json")
    };
    if content.keys().any(|k| json(k)) {
        return None;
    }
    let schema = content.get("*/*")?.get("schema")?;
    let mut schema = schema;
    for _ in 0..32 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => schema = r.strip_prefix('#').and_then(|p| doc.pointer(p))?,
            None => break,
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("string") {
        return None;
    }
    Some(
        content
            .into_iter()
            .map(|(k, v)| {
                if k == "*/*" {
                    ("application/json".to_owned(), v)
                } else {
                    (k, v)
                }
            })
            .collect(),
    )
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn routes_and_any_media_are_made_servable() {
        let text = r#"
openapi: 3.0.3
info: {title: Mock, version: '1'}
paths:
  /tags/{arn}:
    get:
      operationId: listTags
      parameters:
        - {name: arn, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            '*/*': {schema: {$ref: '#/components/schemas/Tags'}}
        '404':
          description: missing
          content:
            '*/*': {schema: {type: string}}
  /tags/{arn}#tagKeys:
    delete:
      operationId: untag
      parameters:
        - {name: arn, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: ok}}
  /#X-Amz-Target=Svc.A:
    post:
      operationId: a
      responses: {'204': {description: ok}}
  /#X-Amz-Target=Svc.B:
    post:
      operationId: b
      responses: {'204': {description: ok}}
components:
  schemas:
    Tags: {type: object, properties: {tags: {type: array, items: {type: string}}}}
"#;
        let spec = codegen::Spec::new("mock.yaml", text.to_owned());
        let doc = spec.load().unwrap().raw;
        let (api, _) = codegen::model_of(&spec).unwrap();
        let (routes, mock) = mock_document(&api, &doc);
        let ids: Vec<&str> = api
            .operations
            .iter()
            .map(|o| o.operation_id.as_str())
            .collect();
        assert_eq!(ids, ["listTags", "untag", "a", "b"]);
        let expected = [
            None,
            Some("/__conformance/0".to_owned()),
            Some("/__conformance/1".to_owned()),
            Some("/__conformance/2".to_owned()),
        ];
        assert_eq!(routes, expected);
        let keys: Vec<&String> = mock["paths"].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "/tags/{arn}",
                "/tags/{arn}/__conformance/0",
                "/__conformance/1",
                "/__conformance/2"
            ]
        );
        let responses = &mock["paths"]["/tags/{arn}"]["get"]["responses"];
        assert_eq!(
            responses["200"]["content"],
            json!({"application/json": {"schema": {"$ref": "#/components/schemas/Tags"}}})
        );
        assert_eq!(
            responses["404"]["content"],
            json!({"*/*": {"schema": {"type": "string"}}})
        );
    }
}
