//! `type` lists, `const`, and the keywords that belong to one JSON type.

use serde_json::{Map, Value};

use super::schema::Plan;
use super::Translator;
use crate::diag::join;

/// Keywords of one JSON type, moved to that type's member when `type` lists several.
fn keyword_type(key: &str) -> Option<&'static str> {
    Some(match key {
        "minLength" | "maxLength" | "pattern" | "contentMediaType" | "contentEncoding"
        | "contentSchema" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "numeric",
        "items" | "prefixItems" | "minItems" | "maxItems" | "uniqueItems" | "contains"
        | "minContains" | "maxContains" | "unevaluatedItems" => "array",
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "patternProperties"
        | "unevaluatedProperties"
        | "propertyNames"
        | "dependentRequired"
        | "dependentSchemas" => "object",
        _ => return None,
    })
}

/// The JSON type of a value, as `type` names it (`integer` for a number without fraction).
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl Translator<'_, '_> {
    /// `const: v` -> `enum: [v]`.
    pub(super) fn constant(&mut self, map: &mut Map<String, Value>, now: &str, before: &str) {
        let Some(value) = map.remove("const") else {
            return;
        };
        if value.is_null() {
            map.insert("nullable".into(), Value::Bool(true));
            map.remove("enum");
            self.null_only(map, before);
            return;
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            if !values.contains(&value) {
                self.sink.warn(
                    &join(before, "const"),
                    "`const` is not among the `enum` values: the `const` is kept",
                );
            }
        }
        if !map.contains_key("type") {
            map.insert("type".into(), Value::String(json_type(&value).into()));
        }
        map.insert("enum".into(), Value::Array(vec![value]));
        self.moved(join(now, "enum"), join(before, "const"));
    }

    /// `type: [..]`: `null` becomes `nullable`; several other types an `anyOf`, one per type.
    pub(super) fn types(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) {
        let mut names: Vec<String> = Vec::new();
        let mut null = false;
        match map.get("type") {
            Some(Value::String(t)) if t == "null" => null = true,
            Some(Value::Array(ts)) => {
                for t in ts {
                    match t.as_str() {
                        Some("null") => null = true,
                        Some(t) if !names.iter().any(|n| n == t) => names.push(t.to_owned()),
                        _ => {}
                    }
                }
            }
            _ => return,
        }
        if null {
            map.insert("nullable".into(), Value::Bool(true));
        }
        // An integral value reads as an integer when it may be one.
        names.sort_by_key(|n| n == "number");
        match names.len() {
            0 => {
                map.remove("type");
                if null {
                    self.null_only(map, before);
                }
            }
            1 => {
                map.insert("type".into(), Value::String(names.remove(0)));
            }
            _ => self.several_types(map, names, now, before, plan),
        }
    }

    fn several_types(
        &mut self,
        map: &mut Map<String, Value>,
        names: Vec<String>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) {
        if map.contains_key("anyOf") {
            map.remove("type");
            self.sink.warn(
                &join(before, "type"),
                "a list of types beside `anyOf` has no OpenAPI 3.0 form: the types are left out, `anyOf` types the value",
            );
            return;
        }
        let format_type = map.get("format").and_then(Value::as_str).map(|f| match f {
            "int32" | "int64" => "integer",
            "float" | "double" => "number",
            _ => "string",
        });
        let values: Option<Vec<Value>> = map.get("enum").and_then(Value::as_array).cloned();
        let mut members = Vec::new();
        for name in &names {
            let mut member = Map::new();
            member.insert("type".into(), Value::String(name.clone()));
            for (key, value) in map.iter() {
                let fits = match keyword_type(key) {
                    Some("numeric") => name == "integer" || name == "number",
                    Some(t) => t == name,
                    None => false,
                };
                if fits {
                    member.insert(key.clone(), value.clone());
                }
            }
            let format_fits = format_type == Some(name.as_str());
            if format_fits {
                if let Some(f) = map.get("format") {
                    member.insert("format".into(), f.clone());
                }
            }
            if let Some(values) = &values {
                let fitting: Vec<Value> = values
                    .iter()
                    .filter(|v| {
                        let t = json_type(v);
                        t == name || (t == "integer" && name == "number")
                    })
                    .cloned()
                    .collect();
                if fitting.is_empty() {
                    continue;
                }
                member.insert("enum".into(), Value::Array(fitting));
            }
            members.push(member);
        }
        if members.is_empty() {
            map.remove("type");
            return;
        }
        map.retain(|k, _| keyword_type(k).is_none() && k != "format" && k != "enum" && k != "type");
        if members.len() == 1 {
            map.extend(members.remove(0));
            return;
        }
        for j in 0..members.len() {
            let tokens = vec!["anyOf".into(), j.to_string()];
            self.built_child(plan, now, tokens, before.to_owned());
        }
        plan.skip.insert("anyOf");
        map.insert(
            "anyOf".into(),
            Value::Array(members.into_iter().map(Value::Object).collect()),
        );
    }
}
