//! Discriminated `allOf` hierarchies as the union the resolver types.
//!
//! A component schema with a `discriminator` and no `oneOf`/`anyOf` of its own is a polymorphic
//! base when other components extend it (`allOf: [{$ref: base}, ...]`, Swagger 2.0's and
//! Azure's inheritance): a value typed as the base is one of its descendants, told apart by the
//! discriminator property. The base keeps its name for its own fields (the descendants' `allOf`
//! still merges them), and a component `<Base>Union` is added: an `anyOf` of every descendant and
//! the base itself, with the discriminator and a `mapping` of every value (the explicit mapping,
//! else each schema's `x-ms-discriminator-value`, else its name). Every other `$ref` to the base is pointed at the union, so a
//! response or property typed as the base decodes into the subtype its discriminator names,
//! with the fields only that subtype has (the Azure SDK for Rust's `<Base>Union` enums do the
//! same).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::diag::{escape_token, join, unescape_token, Sink};

const PREFIX: &str = "#/components/schemas/";

/// Adds the union of every polymorphic base and points the base's uses at it.
pub(super) fn unions(doc: &mut Value, sink: &mut Sink<'_>, moves: &mut Vec<(String, String)>) {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let parents = parents_of(schemas);
    let mut added: BTreeMap<String, Value> = BTreeMap::new();
    for (base, schema) in schemas {
        let Some(property) = discriminator(schema) else {
            continue;
        };
        let descendants = descendants(base, &parents);
        if descendants.is_empty() {
            continue;
        }
        let union = format!("{base}Union");
        if schemas.contains_key(&union) {
            sink.warn(
                &join("/components/schemas", base),
                format!("a discriminated base with subtypes, but `{union}` is taken: values typed `{base}` decode as `{base}` only"),
            );
            continue;
        }
        let mut members: Vec<&str> = descendants.iter().map(String::as_str).collect();
        members.push(base);
        added.insert(union, union_of(schema, &property, &members, schemas));
        moves.push((
            join("/components/schemas", format!("{base}Union")),
            join(&join("/components/schemas", base), "discriminator"),
        ));
    }
    if added.is_empty() {
        return;
    }
    let bases: Vec<String> = added
        .keys()
        .map(|u| u.trim_end_matches("Union").to_owned())
        .collect();
    retarget(doc, &bases, false);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.extend(added);
    }
}

/// The discriminator property of a schema that is not already a union.
fn discriminator(schema: &Value) -> Option<String> {
    if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        return None;
    }
    let d = schema.get("discriminator")?;
    d.get("propertyName")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Each component's direct parents: the components its `allOf` references.
fn parents_of(schemas: &Map<String, Value>) -> BTreeMap<String, Vec<String>> {
    schemas
        .iter()
        .map(|(name, schema)| {
            let parents = schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|m| m.get("$ref")?.as_str()?.strip_prefix(PREFIX))
                .map(unescape_token)
                .collect();
            (name.clone(), parents)
        })
        .collect()
}

/// Every component that extends `base`, directly or through others, in the document's order.
fn descendants(base: &str, parents: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut frontier = vec![base.to_owned()];
    while let Some(current) = frontier.pop() {
        for (name, of) in parents {
            if of.contains(&current) && name != base && !found.contains(name) {
                found.push(name.clone());
                frontier.push(name.clone());
            }
        }
    }
    found.sort();
    found
}

/// `anyOf` the members with the base's discriminator and a mapping of every value.
fn union_of(base: &Value, property: &str, members: &[&str], schemas: &Map<String, Value>) -> Value {
    let explicit: Vec<(String, String)> = base
        .pointer("/discriminator/mapping")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(value, target)| {
                    let target = target.as_str()?;
                    let name = target.strip_prefix(PREFIX).unwrap_or(target);
                    Some((value.clone(), unescape_token(name)))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut mapping = Map::new();
    for member in members {
        let mut values: Vec<&str> = explicit
            .iter()
            .filter(|(_, target)| target == member)
            .map(|(value, _)| value.as_str())
            .collect();
        // Implicitly, a schema's value is its `x-ms-discriminator-value` (Azure's, kept when a
        // Swagger 2.0 document is published as 3.0), else its name.
        if values.is_empty() {
            let azure = schemas
                .get(*member)
                .and_then(|s| s.get("x-ms-discriminator-value"))
                .and_then(Value::as_str);
            values.push(azure.unwrap_or(member));
        }
        for value in values {
            let target = format!("{PREFIX}{}", escape_token(member));
            mapping
                .entry(value.to_owned())
                .or_insert(Value::String(target));
        }
    }
    let refs: Vec<Value> = members
        .iter()
        .map(|m| json!({ "$ref": format!("{PREFIX}{}", escape_token(m)) }))
        .collect();
    // `anyOf`, not `oneOf`: a descendant's value is also a valid base (its `allOf` adds to the
    // base, which does not forbid more properties), so a validator reading the document (a mock
    // server) finds two members match. The discriminator picks the one the client decodes.
    let mut union = json!({
        "anyOf": refs,
        "discriminator": { "propertyName": property, "mapping": mapping },
    });
    if let Some(d) = base.get("description") {
        union["description"] = d.clone();
    }
    union
}

/// Points every `$ref` to one of `bases` at its union, but those that make a schema extend the
/// base (members of an `allOf`).
fn retarget(node: &mut Value, bases: &[String], in_all_of: bool) {
    match node {
        Value::Object(map) => {
            if !in_all_of {
                if let Some(Value::String(reference)) = map.get_mut("$ref") {
                    let name = reference.strip_prefix(PREFIX).map(unescape_token);
                    if let Some(name) = name.filter(|n| bases.contains(n)) {
                        *reference = format!("{PREFIX}{}", escape_token(&format!("{name}Union")));
                    }
                }
            }
            for (key, value) in map.iter_mut() {
                // Examples and extensions are data.
                if key.starts_with("x-") || key == "example" || key == "examples" {
                    continue;
                }
                retarget(value, bases, key == "allOf");
            }
        }
        Value::Array(items) => {
            for item in items {
                retarget(item, bases, in_all_of);
            }
        }
        _ => {}
    }
}
