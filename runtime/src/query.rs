//! Query parameters that are objects, free-form values or arrays of objects, flattened into
//! `name=value` pairs the way the parameter's `style` and `explode` say (OpenAPI 3.0, "Style
//! Values").
//!
//! The value goes through `serde_json::Value` once, so the flattening is compiled once for the
//! crate, not once per parameter type. Where the OpenAPI table leaves a case open (an object
//! nested in an object, an object in an array), the value is sent as compact JSON text.

use serde_json::Value;

use super::error::InvalidParameter;

/// How a structured query parameter becomes pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `style: form, explode: true` (the default): an object's properties as their own pairs
    /// (`a=1&b=2`), an array's items as repeated pairs (`name=1&name=2`).
    FormExplode,
    /// `style: form, explode: false`: one pair, `name=a,1,b,2` for an object, `name=1,2` for an
    /// array.
    Form,
    /// `style: deepObject`: `name[a]=1&name[b]=2`; nested objects nest the brackets
    /// (`name[a][c]=3`), arrays repeat the key (`name[a]=1&name[a]=2`).
    DeepObject,
    /// `content: {application/json: ...}`: one pair, the value as compact JSON text.
    Json,
}

/// Appends the pairs of `value`, parameter `name`, in `style`; nothing for `null`.
pub fn push<T: serde::Serialize + ?Sized>(
    out: &mut Vec<(String, String)>,
    name: &'static str,
    style: QueryStyle,
    value: &T,
) -> Result<(), InvalidParameter> {
    let value = serde_json::to_value(value).map_err(|e| InvalidParameter {
        parameter: name,
        constraint: "serializable as a query value".into(),
        value: e.to_string(),
    })?;
    flatten(out, name, style, &value);
    Ok(())
}

/// A `content: {application/json: ...}` path or header parameter: the value as compact JSON
/// text.
pub fn json_text<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<String, InvalidParameter> {
    serde_json::to_string(value).map_err(|e| InvalidParameter {
        parameter: name,
        constraint: "serializable as JSON".into(),
        value: e.to_string(),
    })
}

/// The pairs of one JSON value.
pub fn flatten(out: &mut Vec<(String, String)>, name: &str, style: QueryStyle, value: &Value) {
    match (style, value) {
        (QueryStyle::Json, value) => out.push((name.to_owned(), value.to_string())),
        (_, Value::Null) => {}
        (QueryStyle::DeepObject, Value::Object(map)) => {
            for (key, item) in map {
                flatten(out, &format!("{name}[{key}]"), style, item);
            }
        }
        (QueryStyle::FormExplode, Value::Object(map)) => {
            for (key, item) in map {
                match item {
                    Value::Array(items) => {
                        for item in items {
                            if let Some(text) = text(item) {
                                out.push((key.clone(), text));
                            }
                        }
                    }
                    _ => {
                        if let Some(text) = text(item) {
                            out.push((key.clone(), text));
                        }
                    }
                }
            }
        }
        (QueryStyle::Form, Value::Object(map)) => {
            let mut parts = Vec::with_capacity(map.len() * 2);
            for (key, item) in map {
                if let Some(text) = text(item) {
                    parts.push(key.clone());
                    parts.push(text);
                }
            }
            out.push((name.to_owned(), parts.join(",")));
        }
        (QueryStyle::Form, Value::Array(items)) => {
            let parts: Vec<String> = items.iter().filter_map(text).collect();
            out.push((name.to_owned(), parts.join(",")));
        }
        (QueryStyle::FormExplode | QueryStyle::DeepObject, Value::Array(items)) => {
            for item in items {
                if let Some(text) = text(item) {
                    out.push((name.to_owned(), text));
                }
            }
        }
        (_, scalar) => {
            if let Some(text) = text(scalar) {
                out.push((name.to_owned(), text));
            }
        }
    }
}

/// A value as query text: strings as they are, numbers and booleans as JSON writes them,
/// arrays and objects as compact JSON; `None` for `null`.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}
