//! Keywords with another form in 3.0: exclusive bounds, content encoding, tuples, `patternProperties`, `unevaluated*`.

use serde_json::{Map, Value};

use super::schema::Plan;
use super::Translator;
use crate::diag::join;

/// Keywords under which `unevaluatedProperties` sees more than the schema's own `properties`.
const COMPOSING: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "$ref",
    "if",
    "then",
    "else",
    "dependentSchemas",
];

/// Media types whose content is text (JSON, XML, forms, `text/*`): a string of them is text.
fn is_textual(media_type: &str) -> bool {
    let m = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    m.starts_with("text/")
        || m.contains("json")
        || m.contains("xml")
        || m.contains("yaml")
        || m == "application/x-www-form-urlencoded"
        || m == "application/javascript"
}

impl Translator<'_, '_> {
    /// Numeric `exclusiveMinimum`/`exclusiveMaximum` -> the bound and the 3.0 boolean.
    pub(super) fn exclusive_bounds(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
    ) {
        for (exclusive, bound, lower) in [
            ("exclusiveMinimum", "minimum", true),
            ("exclusiveMaximum", "maximum", false),
        ] {
            let Some(Value::Number(n)) = map.get(exclusive).cloned() else {
                continue;
            };
            let x = n.as_f64().unwrap_or(f64::NAN);
            let stricter = match map.get(bound).and_then(Value::as_f64) {
                Some(b) if lower => x >= b,
                Some(b) => x <= b,
                None => true,
            };
            if stricter {
                map.insert(bound.into(), Value::Number(n));
                map.insert(exclusive.into(), Value::Bool(true));
                self.moved(join(now, bound), join(before, exclusive));
            } else {
                map.remove(exclusive);
            }
        }
    }

    /// `contentEncoding`/`contentMediaType` -> `format: byte`/`binary`.
    pub(super) fn content_keywords(&mut self, map: &mut Map<String, Value>, before: &str) {
        let encoding = map.remove("contentEncoding");
        let media_type = map.remove("contentMediaType");
        if map.remove("contentSchema").is_some() {
            self.sink.warn(
                &join(before, "contentSchema"),
                "`contentSchema` (the document the string holds) has no OpenAPI 3.0 form: typed as the string, not decoded",
            );
        }
        let string = match map.get("type") {
            None => true,
            Some(t) => t == "string",
        };
        if !string || (encoding.is_none() && media_type.is_none()) {
            return;
        }
        let format = match encoding.as_ref().and_then(Value::as_str) {
            Some(e) if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") => {
                Some("byte")
            }
            Some(e) if e.eq_ignore_ascii_case("binary") => Some("binary"),
            Some(_) => None,
            None => media_type
                .as_ref()
                .and_then(Value::as_str)
                .filter(|m| !is_textual(m))
                .map(|_| "binary"),
        };
        map.entry("type")
            .or_insert_with(|| Value::String("string".into()));
        if let Some(format) = format {
            map.entry("format")
                .or_insert_with(|| Value::String(format.into()));
        }
    }

    /// `prefixItems` (a tuple) -> `items` of its schemas.
    pub(super) fn tuple(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) {
        let (key, rest_key) = if map.get("prefixItems").is_some_and(Value::is_array) {
            ("prefixItems", "items")
        } else if map.get("items").is_some_and(Value::is_array) {
            ("items", "additionalItems")
        } else {
            return;
        };
        let Some(Value::Array(positions)) = map.remove(key) else {
            return;
        };
        let count = positions.len();
        let rest = map.remove(rest_key);
        let closed = rest == Some(Value::Bool(false))
            || (rest.is_none() && map.get("unevaluatedItems") == Some(&Value::Bool(false)));
        if closed {
            map.remove("unevaluatedItems");
        }
        let mut candidates: Vec<(Value, String)> = positions
            .into_iter()
            .enumerate()
            .map(|(i, s)| (s, join(&join(before, key), i)))
            .collect();
        if let Some(rest) = rest.filter(|r| *r != Value::Bool(false)) {
            candidates.push((rest, join(before, rest_key)));
        }
        let members = distinct_schemas(candidates);
        if closed && !map.contains_key("maxItems") {
            map.insert("maxItems".into(), Value::from(count));
        }
        map.entry("type")
            .or_insert_with(|| Value::String("array".into()));
        let what = match members.len() {
            0 => "any values".to_owned(),
            1 => "its one item schema".to_owned(),
            n => format!("any of its {n} item schemas (`anyOf`, a union)"),
        };
        self.sink.warn(
            &join(before, key),
            format!("a tuple (`{key}`, {count} position{s}) has no OpenAPI 3.0 form: typed as an array of {what}; the schema of each position is not checked", s = plural(count)),
        );
        self.one_or_any_of(map, "items", members, now, plan);
    }

    /// Puts `members` under `key`: the one schema, or `anyOf` of them, with where each was.
    fn one_or_any_of(
        &mut self,
        map: &mut Map<String, Value>,
        key: &'static str,
        mut members: Vec<(Value, String)>,
        now: &str,
        plan: &mut Plan,
    ) {
        match members.len() {
            0 => {}
            1 => {
                let (schema, at) = members.remove(0);
                map.insert(key.into(), schema);
                self.moved_child(plan, now, key, "", at);
            }
            _ => {
                let mut any_of = Vec::new();
                for (j, (schema, at)) in members.into_iter().enumerate() {
                    any_of.push(schema);
                    let tokens = vec![key.to_owned(), "anyOf".into(), j.to_string()];
                    self.built_child(plan, now, tokens, at);
                }
                plan.skip.insert(key);
                map.insert(key.into(), serde_json::json!({ "anyOf": any_of }));
            }
        }
    }

    /// `patternProperties` -> `additionalProperties` of the pattern schemas.
    pub(super) fn pattern_properties(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) {
        let Some(Value::Object(patterns)) = map.remove("patternProperties") else {
            return;
        };
        let count = patterns.len();
        let mut candidates: Vec<(Value, String)> = patterns
            .into_iter()
            .map(|(p, s)| (s, join(&join(before, "patternProperties"), p)))
            .collect();
        match map.remove("additionalProperties") {
            Some(Value::Bool(true)) => {
                candidates.push((
                    Value::Object(Map::new()),
                    join(before, "additionalProperties"),
                ));
            }
            Some(schema @ Value::Object(_)) => {
                candidates.push((schema, join(before, "additionalProperties")));
            }
            _ => {}
        }
        let members = distinct_schemas(candidates);
        let what = if members.len() == 1 {
            "its schema".to_owned()
        } else {
            format!("any of its {} schemas (`anyOf`, a union)", members.len())
        };
        self.sink.warn(
            &join(before, "patternProperties"),
            format!("`patternProperties` ({count} pattern{s}) has no OpenAPI 3.0 form: typed as a map of {what}; keys are not checked against the pattern{s}", s = plural(count)),
        );
        self.one_or_any_of(map, "additionalProperties", members, now, plan);
    }

    /// `unevaluatedProperties`/`unevaluatedItems` -> `additionalProperties`/`items` where
    /// nothing else evaluates properties or items (then they mean the same).
    pub(super) fn unevaluated(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) {
        let composed = COMPOSING.iter().any(|k| map.contains_key(*k));
        for (key, target) in [
            ("unevaluatedProperties", "additionalProperties"),
            ("unevaluatedItems", "items"),
        ] {
            let Some(value) = map.remove(key) else {
                continue;
            };
            if value == Value::Bool(true) {
                continue;
            }
            if !composed && !map.contains_key(target) {
                if value.is_object() {
                    plan.overrides
                        .insert((target.into(), String::new()), join(before, key));
                }
                self.moved(join(now, target), join(before, key));
                if target == "items" && value == Value::Bool(false) {
                    map.insert("maxItems".into(), Value::from(0));
                } else {
                    map.insert(target.into(), value);
                }
            } else if !composed {
                // `items`/`additionalProperties` already evaluate everything else.
            } else {
                let what = if value == Value::Bool(false) {
                    format!(
                        "values with unknown {} are not refused",
                        if target == "items" {
                            "items"
                        } else {
                            "properties"
                        }
                    )
                } else {
                    "the values it describes are not typed by it".to_owned()
                };
                self.sink.warn(
                    &join(before, key),
                    format!("`{key}` beside `allOf`/`anyOf`/`oneOf`/`$ref` has no OpenAPI 3.0 form: left out; {what}"),
                );
            }
        }
    }
}

/// The schemas of `candidates` (each with where it is written), `true` read as `{}`, each
/// once: where it is first written.
fn distinct_schemas(candidates: Vec<(Value, String)>) -> Vec<(Value, String)> {
    let mut members: Vec<(Value, String)> = Vec::new();
    for (schema, at) in candidates {
        let schema = if schema == Value::Bool(true) {
            Value::Object(Map::new())
        } else {
            schema
        };
        if !members.iter().any(|(s, _)| *s == schema) {
            members.push((schema, at));
        }
    }
    members
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
