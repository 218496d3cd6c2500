//! `null` in 3.1 (`null`-unions, `type: 'null'` alone) as 3.0's `nullable`.

use serde_json::{Map, Value};

use super::schema::{Merge, Plan};
use super::Translator;
use crate::diag::join;

/// Keywords that only annotate a schema: a `null`-union whose other keywords are these is
/// merged with its member.
fn annotates(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key,
            "title"
                | "description"
                | "default"
                | "example"
                | "examples"
                | "readOnly"
                | "writeOnly"
                | "deprecated"
                | "nullable"
                | "externalDocs"
                | "xml"
        )
}

/// Whether a schema admits only `null`.
fn is_null_only(v: &Value) -> bool {
    let Some(m) = v.as_object() else {
        return false;
    };
    if m.contains_key("$ref") {
        return false;
    }
    let type_null = match m.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => false,
    };
    let enum_null = matches!(m.get("enum"), Some(Value::Array(vs)) if !vs.is_empty() && vs.iter().all(Value::is_null));
    type_null || enum_null || m.get("const") == Some(&Value::Null)
}

impl Translator<'_, '_> {
    /// `anyOf`/`oneOf` with a `null` member (`Optional[X]` as FastAPI writes it).
    pub(super) fn null_members(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) -> Option<Merge> {
        for key in ["anyOf", "oneOf"] {
            let has_null =
                matches!(map.get(key), Some(Value::Array(ms)) if ms.iter().any(is_null_only));
            if !has_null {
                continue;
            }
            let Some(Value::Array(members)) = map.remove(key) else {
                continue;
            };
            let mut kept: Vec<(usize, Value)> = members
                .into_iter()
                .enumerate()
                .filter(|(_, m)| !is_null_only(m))
                .collect();
            map.insert("nullable".into(), Value::Bool(true));
            match kept.len() {
                0 => self.null_only(map, before),
                1 => {
                    let (i, member) = kept.remove(0);
                    let member_before = join(&join(before, key), i);
                    let mergeable = member.is_object()
                        && member.get("$ref").is_none()
                        && map.keys().all(|k| annotates(k));
                    if mergeable {
                        return Some(Merge {
                            member,
                            annotations: std::mem::take(map),
                            before: member_before,
                        });
                    }
                    self.push_all_of(map, member, member_before, now, plan);
                }
                _ => {
                    for (k, (i, _)) in kept.iter().enumerate() {
                        if k != *i {
                            let b = join(&join(before, key), i);
                            self.moved_child(plan, now, key, &k.to_string(), b);
                        }
                    }
                    map.insert(
                        key.into(),
                        Value::Array(kept.into_iter().map(|(_, m)| m).collect()),
                    );
                }
            }
        }
        None
    }

    /// A schema that admits only `null`: 3.0 has no null type.
    pub(super) fn null_only(&mut self, map: &Map<String, Value>, before: &str) {
        let typed = [
            "type",
            "properties",
            "items",
            "allOf",
            "anyOf",
            "oneOf",
            "$ref",
        ]
        .iter()
        .any(|k| map.contains_key(*k));
        if !typed {
            self.sink.warn(
                before,
                "only `null` is valid here and OpenAPI 3.0 has no null type: generated as an optional JSON value (serde_json::Value)",
            );
        }
    }
}
