//! `$ref`s: schemas by reference (components, aliases and their cycles, targets elsewhere in
//! the document) and chains of references to parameters, bodies, responses and headers.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};

use super::{Node, Resolver, SCHEMA_PREFIX};
use crate::diag::join;
use crate::model::*;
use crate::names;
use crate::refs::{self, Elsewhere, Target};

impl<'a, 's> Resolver<'a, 's> {
    /// The description written beside a `$ref` (which `openapiv3` drops), else the target's.
    pub(super) fn sibling_description(&self, pointer: &str, reference: &str) -> Option<String> {
        let beside = self
            .raw
            .pointer(pointer)
            .and_then(|v| v.get("description"))
            .and_then(|d| d.as_str());
        if let Some(d) = beside {
            return Some(d.to_owned());
        }
        match self.lookup_schema(reference)?.0 {
            Node::Inline(s) => s.schema_data.description.clone(),
            Node::Ref(_) => None,
        }
    }

    /// The schema a `$ref` names, and its JSON pointer: a component, or a schema elsewhere in
    /// the document.
    pub(super) fn lookup_schema(&self, reference: &str) -> Option<(Node<'a>, String)> {
        if let Some(name) = reference
            .strip_prefix(SCHEMA_PREFIX)
            .filter(|n| !n.contains('/'))
        {
            let target = self.components()?.schemas.get(name)?;
            return Some((Node::from(target), join("/components/schemas", name)));
        }
        let elsewhere: &'a Elsewhere = self.elsewhere;
        let schema = elsewhere.schemas.get(reference)?;
        Some((Node::Inline(schema), refs::pointer(reference)?))
    }

    pub(super) fn no_schema(&mut self, reference: &str, pointer: &str) {
        let message = if reference.starts_with("#/") {
            format!("`$ref: {reference}` points to no schema")
        } else {
            format!(
                "`$ref: {reference}`: only references within this document (`#/...`) are supported"
            )
        };
        self.sink.error(pointer, message);
    }

    pub(super) fn reference_type(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let direct = reference
            .strip_prefix(SCHEMA_PREFIX)
            .filter(|n| !n.contains('/'));
        let Some(name) = direct else {
            return self.elsewhere_type(reference, pointer);
        };
        if let Some(rust) = self.names.components.get(name) {
            return TypeRef::Named(rust.clone());
        }
        let Some(target) = self.components().and_then(|c| c.schemas.get(name)) else {
            self.sink
                .error(pointer, format!("`$ref: {reference}` points to no schema"));
            return TypeRef::Json;
        };
        let target_pointer = join("/components/schemas", name);
        let hint = names::type_name(name);
        self.alias_type(
            name,
            reference,
            Node::from(target),
            &target_pointer,
            &hint,
            pointer,
        )
    }

    /// The type of an alias (a schema reached through `$ref` under `key`), guarding against
    /// `$ref` cycles: through an inline object (`A: {type: array, items: {properties: {a:
    /// {$ref: A}}}}`) the cycle reaches a type, which resolving A again finds at its place;
    /// a cycle of aliases alone is an error at `pointer`.
    fn alias_type(
        &mut self,
        key: &str,
        reference: &str,
        node: Node<'a>,
        target_pointer: &str,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match self.alias_cycle(key) {
            Some(true) => return self.schema_type(node, target_pointer, hint),
            Some(false) => {
                self.sink.error(
                    pointer,
                    format!(
                        "`$ref: {reference}` is part of a reference cycle that never reaches a type"
                    ),
                );
                return TypeRef::Json;
            }
            None => {}
        }
        self.guards
            .aliases
            .push((key.to_owned(), self.guards.inline.len()));
        let ty = self.schema_type(node, target_pointer, hint);
        self.guards.aliases.pop();
        ty
    }

    /// Whether `key` is an alias being resolved (a `$ref` cycle), and if so whether an inline
    /// nominal type was entered since (the cycle then goes through a type).
    fn alias_cycle(&self, key: &str) -> Option<bool> {
        let (_, depth) = self.guards.aliases.iter().find(|(k, _)| k == key)?;
        Some(self.guards.inline.len() > *depth)
    }

    /// The type of a schema a `$ref` reaches outside `#/components/schemas/<name>` (a
    /// component's property, a schema inside an operation): resolved once at its own place,
    /// named from that place.
    fn elsewhere_type(&mut self, reference: &str, pointer: &str) -> TypeRef {
        if let Some(ty) = self.table.elsewhere.get(reference) {
            return ty.clone();
        }
        let Some((node, target_pointer)) = self.lookup_schema(reference) else {
            self.no_schema(reference, pointer);
            return TypeRef::Json;
        };
        let hint = elsewhere_hint(&target_pointer);
        let ty = self.alias_type(reference, reference, node, &target_pointer, &hint, pointer);
        self.table
            .elsewhere
            .insert(reference.to_owned(), ty.clone());
        ty
    }

    /// Follows `$ref`s to the real schema, for reading constraints.
    pub(super) fn deref_schema(&self, node: Node<'a>) -> Option<&'a Schema> {
        let mut node = node;
        for _ in 0..32 {
            match node {
                Node::Inline(s) => return Some(s),
                Node::Ref(r) => node = self.lookup_schema(r)?.0,
            }
        }
        None
    }

    /// dangling or cyclic chain at `pointer`.
    pub(super) fn follow<T: Target>(
        &mut self,
        start: &'a ReferenceOr<T>,
        section: &str,
        map: impl Fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        what: &str,
        pointer: &str,
    ) -> Option<&'a T> {
        match self.chase(start, section, map) {
            Ok(item) => Some(item),
            Err(Some(reference)) => {
                self.sink
                    .error(pointer, format!("`$ref: {reference}` points to no {what}"));
                None
            }
            Err(None) => {
                self.sink.error(
                    pointer,
                    format!("{what} `$ref` chain is too long or cyclic"),
                );
                None
            }
        }
    }

    /// Follows `$ref`s to the item: into `#/components/<section>/`, or anywhere else in the
    /// document. `Err(Some(reference))` names the `$ref` that dangles, `Err(None)` means the
    /// chain is too long or cyclic.
    pub(super) fn chase<T: Target>(
        &self,
        start: &'a ReferenceOr<T>,
        section: &str,
        map: impl Fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Result<&'a T, Option<&'a str>> {
        let prefix = format!("#/components/{section}/");
        let elsewhere: &'a Elsewhere = self.elsewhere;
        let mut current = start;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(item) => return Ok(item),
                ReferenceOr::Reference { reference } => {
                    current = reference
                        .strip_prefix(prefix.as_str())
                        .filter(|name| !name.contains('/'))
                        .and_then(|name| map(self.components()?).get(name))
                        .or_else(|| T::find(elsewhere, reference))
                        .ok_or(Some(reference.as_str()))?;
                }
            }
        }
        Err(None)
    }
}

/// The constraints of a property schema. Patterns were checked (and reported) when the
/// property's type was resolved; one that does not compile is left out here.
/// A type name for a schema reached by a `$ref` at `pointer` (outside the components' names):
/// its last two meaningful segments (`/components/schemas/applicationBase/properties/id` ->
/// `ApplicationBaseId`), skipping the keywords, indexes, paths and media types between them.
fn elsewhere_hint(pointer: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "components",
        "schemas",
        "properties",
        "items",
        "schema",
        "content",
        "paths",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "responses",
        "parameters",
        "requestBody",
        "requestBodies",
    ];
    let segments: Vec<String> = pointer
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .filter(|s| {
            !s.is_empty()
                && !KEYWORDS.contains(&s.as_str())
                && !s.contains('/')
                && s.parse::<u64>().is_err()
                && s.chars().any(char::is_alphanumeric)
        })
        .collect();
    let tail = &segments[segments.len().saturating_sub(2)..];
    let name = names::type_name(&tail.join("_"));
    if name.is_empty() {
        "Referenced".to_owned()
    } else {
        name
    }
}
