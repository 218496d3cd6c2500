//! Schemas: each one's own keywords rewritten, then its children walked with where they are in the file.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::{Translator, MAX_DEPTH};
use crate::diag::join;

/// JSON Schema keywords with no OpenAPI 3.0 form that constrain values the client does not
/// check anyway: dropped with a warning.
const UNCHECKED: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
];

/// How the children of a schema are found once it is rewritten.
#[derive(Default)]
pub(super) struct Plan {
    /// (keyword, index or "") -> the pointer in the file of a child that moved there.
    pub(super) overrides: HashMap<(String, String), String>,
    /// Children built from several places: (tokens below the schema, pointer in the file).
    pub(super) extra: Vec<(Vec<String>, String)>,
    /// Keywords whose children are all in `extra`.
    pub(super) skip: HashSet<&'static str>,
}

/// A `null`-union to merge: its member, the union's own keywords, the member's pointer.
pub(super) struct Merge {
    pub(super) member: Value,
    pub(super) annotations: Map<String, Value>,
    pub(super) before: String,
}

impl Translator<'_, '_> {
    /// The child schema at `key` (then `sub`, an index or a name, unless empty) was written at
    /// `before` in the file: [`Self::children`] walks it from there, and diagnostics about it
    /// are mapped back there.
    pub(super) fn moved_child(
        &mut self,
        plan: &mut Plan,
        now: &str,
        key: &str,
        sub: &str,
        before: String,
    ) {
        let mut at = join(now, key);
        if !sub.is_empty() {
            at = join(&at, sub);
        }
        plan.overrides
            .insert((key.to_owned(), sub.to_owned()), before.clone());
        self.moved(at, before);
    }

    /// A child schema at `tokens` below the schema, built from what was written at `before`:
    /// walked from the plan's `extra`, and diagnostics about it mapped back there.
    pub(super) fn built_child(
        &mut self,
        plan: &mut Plan,
        now: &str,
        tokens: Vec<String>,
        before: String,
    ) {
        let at = tokens.iter().fold(now.to_owned(), |at, t| join(&at, t));
        plan.extra.push((tokens, before.clone()));
        self.moved(at, before);
    }

    /// Appends `member` (written at `before` in the file) to the schema's `allOf`, which is made
    /// an array first if it is not one.
    pub(super) fn push_all_of(
        &mut self,
        map: &mut Map<String, Value>,
        member: Value,
        before: String,
        now: &str,
        plan: &mut Plan,
    ) {
        let all_of = map
            .entry("allOf")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !all_of.is_array() {
            *all_of = Value::Array(Vec::new());
        }
        if let Value::Array(members) = all_of {
            let index = members.len();
            members.push(member);
            self.moved_child(plan, now, "allOf", &index.to_string(), before);
        }
    }

    /// A schema at `now` in the translated document, written at `before` in the file; `root`
    /// is the schema that encloses it at the top (what `#/$defs/...` is read against).
    pub(super) fn schema(&mut self, node: &mut Value, now: &str, before: &str, root: &str) {
        if self.depth >= MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.sink.warn(
                    before,
                    format!("schemas nest more than {MAX_DEPTH} levels deep here: not translated from OpenAPI 3.1"),
                );
            }
            return;
        }
        match node {
            Value::Bool(true) => {
                *node = Value::Object(Map::new());
                return;
            }
            Value::Bool(false) => {
                *node = serde_json::json!({"not": {}});
                self.sink.warn(
                    before,
                    "the schema `false` (no value is valid) has no OpenAPI 3.0 form: read as `not: {}`",
                );
                return;
            }
            Value::Object(_) => {}
            _ => return,
        }
        self.depth += 1;
        self.schema_object(node, now, before, root);
        self.depth -= 1;
    }

    fn schema_object(&mut self, node: &mut Value, now: &str, before: &str, root: &str) {
        let Some(map) = node.as_object_mut() else {
            return;
        };
        let mut plan = Plan::default();
        if let Some(merge) = self.normalize(map, now, before, root, &mut plan) {
            self.merge(node, merge, now, root);
            return;
        }
        self.children(node, now, before, root, plan);
    }

    /// A `null`-union merged with its one member: the member takes the union's place, then
    /// the union's annotations (its `title`, `description`, `default`) go on top.
    fn merge(&mut self, node: &mut Value, merge: Merge, now: &str, root: &str) {
        let Merge {
            member,
            mut annotations,
            before: member_before,
        } = merge;
        *node = member;
        let first_move = self.moves.len();
        self.schema(node, now, &member_before, root);
        let Some(map) = node.as_object_mut() else {
            return;
        };
        let keys: Vec<String> = map
            .keys()
            .filter(|k| !annotations.contains_key(*k))
            .cloned()
            .collect();
        for key in keys {
            let n = join(now, &key);
            if !self.moves[first_move..].iter().any(|(m, _)| *m == n) {
                self.moved(n, join(&member_before, &key));
            }
        }
        examples_to_example(&mut annotations);
        for (k, v) in annotations {
            map.insert(k, v);
        }
        map.insert("nullable".into(), Value::Bool(true));
    }

    /// Rewrites one schema's own keywords; `Some` when it is a `null`-union to merge.
    fn normalize(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        root: &str,
        plan: &mut Plan,
    ) -> Option<Merge> {
        for key in ["$schema", "$id", "$comment", "$vocabulary"] {
            map.remove(key);
        }
        for key in ["$anchor", "$dynamicAnchor"] {
            if let Some(Value::String(name)) = map.remove(key) {
                self.anchors.entry(name).or_insert_with(|| now.to_owned());
            }
        }
        if let Some(dynamic) = map.remove("$dynamicRef") {
            if !map.contains_key("$ref") {
                map.insert("$ref".into(), dynamic);
                self.sink.warn(
                    &join(before, "$dynamicRef"),
                    "`$dynamicRef` is followed as a `$ref` (to the anchor of that name)",
                );
            }
        }
        if map.get("$ref").is_some_and(Value::is_string) {
            self.ref_siblings(map, now, before, plan);
        }
        if let Some(Value::String(reference)) = map.get("$ref") {
            let reference = reference.clone();
            self.note_ref(&reference, now, before, root);
        }
        if let Some(merge) = self.null_members(map, now, before, plan) {
            return Some(merge);
        }
        self.constant(map, now, before);
        self.types(map, now, before, plan);
        examples_to_example(map);
        self.exclusive_bounds(map, now, before);
        self.content_keywords(map, before);
        self.tuple(map, now, before, plan);
        self.pattern_properties(map, now, before, plan);
        self.unevaluated(map, now, before, plan);
        self.drop_unchecked(map, before);
        None
    }

    /// Keywords the client does not check, and properties declared `false`: left out, warned.
    fn drop_unchecked(&mut self, map: &mut Map<String, Value>, before: &str) {
        let unchecked: Vec<&str> = UNCHECKED
            .iter()
            .copied()
            .filter(|k| map.remove(*k).is_some())
            .collect();
        if let Some(first) = unchecked.first() {
            let list = unchecked
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.sink.warn(
                &join(before, first),
                format!("{list}: no OpenAPI 3.0 form; not checked by the client (left out)"),
            );
        }
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            let never: Vec<String> = properties
                .iter()
                .filter(|(_, v)| **v == Value::Bool(false))
                .map(|(k, _)| k.clone())
                .collect();
            for name in never {
                properties.remove(&name);
                self.sink.warn(
                    &join(&join(before, "properties"), &name),
                    format!("property `{name}` is declared `false` (it must never be present): left out"),
                );
            }
        }
    }

    /// Translates the children of a rewritten schema, each with where it is in the file.
    fn children(&mut self, node: &mut Value, now: &str, before: &str, root: &str, plan: Plan) {
        let Some(map) = node.as_object() else {
            return;
        };
        let Plan {
            overrides,
            mut extra,
            skip,
        } = plan;
        let at = |key: &str, sub: &str| {
            overrides
                .get(&(key.to_owned(), sub.to_owned()))
                .cloned()
                .unwrap_or_else(|| {
                    let b = join(before, key);
                    if sub.is_empty() {
                        b
                    } else {
                        join(&b, sub)
                    }
                })
        };
        let mut slots: Vec<(Vec<String>, String)> = Vec::new();
        for key in ["items", "additionalProperties", "not"] {
            if skip.contains(key) {
                continue;
            }
            match map.get(key) {
                Some(Value::Object(_)) => slots.push((vec![key.into()], at(key, ""))),
                Some(Value::Bool(_)) if key != "additionalProperties" => {
                    slots.push((vec![key.into()], at(key, "")));
                }
                _ => {}
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if skip.contains(key) {
                continue;
            }
            if let Some(Value::Array(members)) = map.get(key) {
                for i in 0..members.len() {
                    let i = i.to_string();
                    slots.push((vec![key.into(), i.clone()], at(key, &i)));
                }
            }
        }
        for key in ["properties", "$defs", "definitions"] {
            if let Some(Value::Object(entries)) = map.get(key) {
                for name in entries.keys() {
                    slots.push((vec![key.into(), name.clone()], at(key, name)));
                }
            }
        }
        slots.append(&mut extra);
        for (tokens, child_before) in slots {
            let mut child_now = now.to_owned();
            let mut target = Some(&mut *node);
            for token in &tokens {
                child_now = join(&child_now, token);
                target = target.and_then(|t| match t {
                    Value::Object(m) => m.get_mut(token),
                    Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
                    _ => None,
                });
            }
            if let Some(child) = target {
                self.schema(child, &child_now, &child_before, root);
            }
        }
    }
}

/// `examples: [a, ...]` (JSON Schema) -> `example: a` (OpenAPI 3.0).
fn examples_to_example(map: &mut Map<String, Value>) {
    if let Some(examples) = map.remove("examples") {
        if let Some(first) = examples.as_array().and_then(|e| e.first()) {
            map.entry("example").or_insert_with(|| first.clone());
        }
    }
}
