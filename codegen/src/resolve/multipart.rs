//! Component schemas that `multipart/form-data` bodies send: their `format: binary` properties
//! are file parts (bytes), where elsewhere they would be text. FastAPI writes every upload's
//! body as such a component (`Body_upload_file_post`).

use std::collections::HashSet;

use serde_json::Value;

const SCHEMAS: &str = "#/components/schemas/";
const BODIES: &str = "#/components/requestBodies/";

/// The names of the components a `multipart/form-data` request body refers to directly.
pub(super) fn components(raw: &Value) -> HashSet<String> {
    let mut out = HashSet::new();
    let paths = raw.get("paths").and_then(Value::as_object);
    for item in paths.into_iter().flat_map(|p| p.values()) {
        let Some(item) = item.as_object() else {
            continue;
        };
        for op in item.values() {
            let Some(mut body) = op.get("requestBody") else {
                continue;
            };
            // A body may be a component itself.
            if let Some(name) = body.get("$ref").and_then(Value::as_str) {
                let target = name.strip_prefix(BODIES).map(crate::diag::unescape_token);
                match target.and_then(|t| raw.pointer("/components/requestBodies")?.get(t)) {
                    Some(b) => body = b,
                    None => continue,
                }
            }
            let schema = body.pointer("/content/multipart~1form-data/schema/$ref");
            if let Some(name) = schema
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(SCHEMAS))
            {
                out.insert(crate::diag::unescape_token(name));
            }
        }
    }
    out
}
