//! `$ref`s that point outside `#/components/<section>/<name>`: into a component's properties
//! (`#/components/schemas/Base/properties/id`), into another operation
//! (`#/paths/~1jobs/get/responses/401`), anywhere in the document. Their targets are read once
//! from the raw JSON, before resolution, so the resolver borrows them like the components.

use std::collections::HashMap;

use openapiv3::{Header, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;

/// The targets of the document's other local `$ref`s, by reference text, as each kind of
/// object that target can be read as.
#[derive(Default)]
pub struct Elsewhere {
    pub schemas: HashMap<String, Schema>,
    pub responses: HashMap<String, ReferenceOr<Response>>,
    pub parameters: HashMap<String, ReferenceOr<Parameter>>,
    pub bodies: HashMap<String, ReferenceOr<RequestBody>>,
    pub headers: HashMap<String, ReferenceOr<Header>>,
    /// Path items (`/support/ip-address: {$ref: '#/paths/~1ip-address'}`).
    pub path_items: HashMap<String, PathItem>,
}

/// What a `$ref` can point to in [`Elsewhere`].
pub trait Target: Sized {
    fn find<'e>(elsewhere: &'e Elsewhere, reference: &str) -> Option<&'e ReferenceOr<Self>>;
}

macro_rules! target {
    ($ty:ty, $field:ident) => {
        impl Target for $ty {
            fn find<'e>(
                elsewhere: &'e Elsewhere,
                reference: &str,
            ) -> Option<&'e ReferenceOr<Self>> {
                elsewhere.$field.get(reference)
            }
        }
    };
}

target!(Response, responses);
target!(Parameter, parameters);
target!(RequestBody, bodies);
target!(Header, headers);

impl Elsewhere {
    /// Every local `$ref` of `raw` that names no component directly, read as each kind it
    /// parses as.
    pub fn collect(raw: &serde_json::Value) -> Elsewhere {
        let mut references = Vec::new();
        walk(raw, &mut references, 0);
        references.sort_unstable();
        references.dedup();
        let mut out = Elsewhere::default();
        for reference in references {
            let Some(target) = target(raw, reference) else {
                continue;
            };
            fn read<T: DeserializeOwned>(value: &serde_json::Value) -> Option<T> {
                serde_json::from_value(value.clone()).ok()
            }
            if let Some(s) = read(target) {
                out.schemas.insert(reference.to_owned(), s);
            }
            if let Some(r) = read(target) {
                out.responses.insert(reference.to_owned(), r);
            }
            if let Some(p) = read(target) {
                out.parameters.insert(reference.to_owned(), p);
            }
            if let Some(b) = read(target) {
                out.bodies.insert(reference.to_owned(), b);
            }
            if let Some(h) = read(target) {
                out.headers.insert(reference.to_owned(), h);
            }
            if reference.starts_with("#/paths/") {
                if let Some(item) = read(target) {
                    out.path_items.insert(reference.to_owned(), item);
                }
            }
        }
        out
    }
}

/// Whether `reference` names a component directly (`#/components/schemas/Name`).
pub fn names_a_component(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, name)| !name.contains('/'))
}

/// The JSON pointer of a local `$ref` (`#/a~1b/%7Bid%7D` -> `/a~1b/{id}`), percent-decoded as
/// a URI fragment is.
pub fn pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_encoding::percent_decode_str(fragment)
        .decode_utf8()
        .ok()?;
    Some(decoded.into_owned())
}

fn target<'v>(raw: &'v serde_json::Value, reference: &str) -> Option<&'v serde_json::Value> {
    raw.pointer(&pointer(reference)?)
}

/// Deeper than any real document; bounds the walk on hostile input.
const MAX_DEPTH: usize = 256;

fn walk<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(reference)) = map.get("$ref") {
                if reference.starts_with("#/") && !names_a_component(reference) {
                    out.push(reference);
                }
            }
            for item in map.values() {
                walk(item, out, depth + 1);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                walk(item, out, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_into_properties_and_paths_are_read() {
        let raw = serde_json::json!({
            "paths": {"/jobs/{id}": {"get": {"responses": {"401": {"description": "no"}}}}},
            "components": {"schemas": {"Base": {"properties": {"id": {"type": "string"}}}}},
            "x": [{"$ref": "#/components/schemas/Base/properties/id"},
                  {"$ref": "#/paths/~1jobs~1%7Bid%7D/get/responses/401"},
                  {"$ref": "#/components/schemas/Base"}]
        });
        let e = Elsewhere::collect(&raw);
        assert!(e
            .schemas
            .contains_key("#/components/schemas/Base/properties/id"));
        assert!(e
            .responses
            .contains_key("#/paths/~1jobs~1%7Bid%7D/get/responses/401"));
        // A component by name is the resolver's own business.
        assert!(!e.schemas.contains_key("#/components/schemas/Base"));
        assert!(names_a_component("#/components/schemas/Base"));
        assert!(!names_a_component(
            "#/components/schemas/Base/properties/id"
        ));
    }
}
