//! Swagger 2.0 schemas and references in their 3.0 form.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::diag::unescape_token as unescape;

/// Each definition's discriminator values: for a definition with a `discriminator`, the
/// definitions that extend it directly (`allOf: [{$ref: base}]`), each under its
/// `x-ms-discriminator-value` or, by default, its name.
pub(super) fn discriminator_values(
    definitions: &Map<String, Value>,
) -> HashMap<String, Vec<(String, String)>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (name, schema) in definitions {
        let parents = schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| m.get("$ref")?.as_str()?.strip_prefix("#/definitions/"));
        for parent in parents {
            let parent = unescape(parent);
            let has_discriminator = definitions
                .get(&parent)
                .and_then(|p| p.get("discriminator"))
                .is_some();
            if !has_discriminator {
                continue;
            }
            let value = schema
                .get("x-ms-discriminator-value")
                .and_then(Value::as_str)
                .unwrap_or(name);
            out.entry(parent)
                .or_default()
                .push((value.to_owned(), name.clone()));
        }
    }
    out
}

/// Adds a 3.0 discriminator's `mapping` to a translated schema.
pub(super) fn add_mapping(schema: &mut Value, values: &[(String, String)]) {
    let Some(discriminator) = schema
        .get_mut("discriminator")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mapping: Map<String, Value> = values
        .iter()
        .map(|(value, name)| {
            let target = format!("#/components/schemas/{}", crate::diag::escape_token(name));
            (value.clone(), Value::String(target))
        })
        .collect();
    discriminator.insert("mapping".into(), Value::Object(mapping));
}

/// A 2.0 `$ref` -> its 3.0 place.
pub(super) fn reference(text: &str) -> String {
    for (old, new) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ] {
        if let Some(rest) = text.strip_prefix(old) {
            return format!("{new}{rest}");
        }
    }
    text.to_owned()
}

/// A 2.0 schema -> 3.0: same shape but for `x-nullable`, `discriminator`, `type: file` and
/// references.
pub(super) fn schema_of(schema: &Value) -> Value {
    let Some(map) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "$ref" => {
                let text = value.as_str().map_or_else(String::new, reference);
                out.insert(key.clone(), Value::String(text));
            }
            "x-nullable" => {
                if value.as_bool() == Some(true) {
                    out.insert("nullable".into(), Value::Bool(true));
                }
            }
            "discriminator" => {
                let value = match value.as_str() {
                    Some(property) => json!({ "propertyName": property }),
                    None => value.clone(),
                };
                out.insert(key.clone(), value);
            }
            "type" if value.as_str() == Some("file") => {
                out.insert("type".into(), json!("string"));
                out.insert("format".into(), json!("binary"));
            }
            "properties" => {
                let properties = value
                    .as_object()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), schema_of(v))).collect())
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Object(properties));
            }
            "items" | "additionalProperties" | "not" => {
                out.insert(key.clone(), each_schema(value));
            }
            "allOf" | "anyOf" | "oneOf" => {
                out.insert(key.clone(), each_schema(value));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

/// A schema, or an array of schemas, translated.
fn each_schema(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(schema_of).collect()),
        Value::Object(_) => schema_of(value),
        other => other.clone(),
    }
}
