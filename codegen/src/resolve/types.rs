//! Nominal types: component schemas declared and defined, structs (with `allOf` merged),
//! string enums and `oneOf`/`anyOf` unions; after resolution, pruning and recursion boxing.

use std::collections::{HashMap, HashSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::schemas::{field_constraints, is_nominal};
use super::{multipart, unique, Node, Resolver};
use crate::diag::join;
use crate::model::*;
use crate::names;

/// The parts of an object schema, with `allOf` members merged in.
#[derive(Default)]
struct Parts<'a> {
    /// (wire name, schema, JSON pointer), in order.
    props: Vec<(String, Node<'a>, String)>,
    required: Vec<String>,
    additional: Option<(&'a AdditionalProperties, String)>,
}

impl<'a, 's> Resolver<'a, 's> {
    /// Reserves a Rust type name for every nominal component schema; two schemas that map to the
    /// same name are an error naming both.
    pub(super) fn declare_components(&mut self) {
        let Some(components) = self.components() else {
            return;
        };
        for (name, schema) in &components.schemas {
            let pointer = join("/components/schemas", name);
            if let ReferenceOr::Item(schema) = schema {
                if is_nominal(schema) {
                    // Names that differ only in case or punctuation (`address`, `Address`):
                    // the later one is numbered, and told.
                    let wanted = names::type_name(name);
                    let previous = self.names.used.get(&wanted).cloned();
                    let rust = self.names.reserve(&wanted, &pointer);
                    if let Some(previous) = previous {
                        self.sink.warn(
                            &pointer,
                            format!("schema `{name}` maps to the Rust type `{wanted}`, as does the schema at #{previous}: it is `{rust}`"),
                        );
                    }
                    self.names.components.insert(name.clone(), rust);
                }
            }
        }
    }

    pub(super) fn define_components(&mut self) {
        let Some(components) = self.components() else {
            return;
        };
        let multipart = multipart::components(self.raw);
        for (name, schema) in &components.schemas {
            let pointer = join("/components/schemas", name);
            match schema {
                ReferenceOr::Item(schema) => {
                    if let Some(rust) = self.names.components.get(name).cloned() {
                        // A multipart body's component: its binary properties are files.
                        self.binary_as_bytes = multipart.contains(name);
                        self.define(&rust, schema, &pointer);
                        self.binary_as_bytes = false;
                    } else {
                        // Aliases are expanded where they are used; resolve once to report
                        // problems even when unused.
                        self.schema_type(Node::Inline(schema), &pointer, &names::type_name(name));
                    }
                }
                ReferenceOr::Reference { reference } => {
                    self.schema_type(Node::Ref(reference), &pointer, &names::type_name(name));
                }
            }
        }
    }

    /// Defines the nominal type `rust` from `schema`.
    pub(super) fn define(&mut self, rust: &str, schema: &'a Schema, pointer: &str) {
        let doc = schema.schema_data.description.clone();
        let def = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                TypeDef::Enum(self.enum_def(rust, doc, s, schema, pointer))
            }
            SchemaKind::OneOf { one_of } => {
                TypeDef::Union(self.union_def(rust, doc, one_of, pointer, "oneOf"))
            }
            SchemaKind::AnyOf { any_of } => {
                TypeDef::Union(self.union_def(rust, doc, any_of, pointer, "anyOf"))
            }
            SchemaKind::Any(a)
                if a.properties.is_empty() && (!a.one_of.is_empty() || !a.any_of.is_empty()) =>
            {
                let (members, key) = if a.one_of.is_empty() {
                    (&a.any_of, "anyOf")
                } else {
                    (&a.one_of, "oneOf")
                };
                TypeDef::Union(self.union_def(rust, doc, members, pointer, key))
            }
            SchemaKind::Type(Type::Object(_)) | SchemaKind::Any(_) | SchemaKind::AllOf { .. } => {
                let mut parts = Parts::default();
                let mut visiting = Vec::new();
                self.object_parts(Node::Inline(schema), pointer, &mut parts, &mut visiting);
                TypeDef::Struct(self.struct_def(rust, doc, parts, pointer))
            }
            _ => return,
        };
        self.table.push(def);
    }

    /// A `oneOf`/`anyOf` as an untagged enum: one variant per member, tried in order, and a
    /// fallback holding any other value.
    fn union_def(
        &mut self,
        rust: &str,
        doc: Option<String>,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
        key: &str,
    ) -> UnionDef {
        let mut taken = HashSet::new();
        let mut variants = Vec::new();
        let mut member_types = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_pointer = join(&join(pointer, key), i);
            let hint = format!("{rust}{}", i + 1);
            let ty = self.schema_type(Node::from(member), &member_pointer, &hint);
            member_types.push(ty.clone());
            let base = match (&ty, member) {
                (_, ReferenceOr::Reference { reference }) => {
                    names::type_name(reference.rsplit('/').next().unwrap_or(reference))
                }
                (TypeRef::Named(n), _) => n
                    .strip_prefix(rust)
                    .filter(|r| !r.is_empty())
                    .map_or_else(|| n.clone(), |r| format!("Variant{r}")),
                (TypeRef::String | TypeRef::Secret, _) => "Text".to_owned(),
                (TypeRef::I32 | TypeRef::I64, _) => "Integer".to_owned(),
                (TypeRef::F32 | TypeRef::F64, _) => "Number".to_owned(),
                (TypeRef::Bool, _) => "Boolean".to_owned(),
                (TypeRef::Array(_), _) => "List".to_owned(),
                (TypeRef::Map(_) | TypeRef::Json, _) => "Object".to_owned(),
                (TypeRef::Nullable(_), _) => "Nullable".to_owned(),
                (TypeRef::Bytes, _) => "Bytes".to_owned(),
                (TypeRef::File, _) => "File".to_owned(),
                (TypeRef::Date, _) => "Date".to_owned(),
                (TypeRef::DateTime, _) => "DateTime".to_owned(),
            };
            if variants.iter().any(|v: &UnionVariant| v.ty == ty) {
                continue;
            }
            variants.push(UnionVariant {
                name: unique(base, &mut taken),
                ty,
                boxed: false,
            });
        }
        let tag = self.union_tag(members, &member_types, &variants, pointer);
        UnionDef {
            name: rust.to_owned(),
            doc,
            variants,
            fallback: unique("Other".to_owned(), &mut taken),
            tag,
        }
    }

    /// The union's `discriminator`, when every member is a `$ref` to an object schema: each
    /// member is named by the `mapping` values that point at it, else by its schema name.
    /// Otherwise the members are tried in order, with a warning.
    fn union_tag(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        member_types: &[TypeRef],
        variants: &[UnionVariant],
        pointer: &str,
    ) -> Option<UnionTag> {
        let at = join(pointer, "discriminator");
        let raw = self.raw.pointer(&at)?;
        let Some(property) = raw.get("propertyName").and_then(|p| p.as_str()) else {
            self.sink.warn(
                &at,
                "`discriminator` has no `propertyName`: the members are tried in order",
            );
            return None;
        };
        let mapping: Vec<(&str, &str)> = raw
            .get("mapping")
            .and_then(|m| m.as_object())
            .map(|m| {
                m.iter()
                    .filter_map(|(value, target)| Some((value.as_str(), target.as_str()?)))
                    .collect()
            })
            .unwrap_or_default();
        let mut values = Vec::new();
        for (member, ty) in members.iter().zip(member_types) {
            let ReferenceOr::Reference { reference } = member else {
                self.sink.warn(
                    &at,
                    "`discriminator` with an inline member is not supported: the members are tried in order",
                );
                return None;
            };
            let schema_name = reference.rsplit('/').next().unwrap_or(reference);
            let Some(index) = variants.iter().position(|v| v.ty == *ty) else {
                continue;
            };
            let object = self
                .deref_schema(Node::from(member))
                .is_some_and(|target| match &target.schema_kind {
                    SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
                    SchemaKind::Any(a) => !a.properties.is_empty() || !a.all_of.is_empty(),
                    _ => false,
                });
            if !object || !matches!(ty, TypeRef::Named(_)) {
                self.sink.warn(
                    &at,
                    format!("`discriminator` member `{reference}` is not an object: the members are tried in order"),
                );
                return None;
            }
            let mut mapped: Vec<&str> = mapping
                .iter()
                .filter(|(_, target)| {
                    *target == reference || target.rsplit('/').next() == Some(schema_name)
                })
                .map(|(value, _)| *value)
                .collect();
            if mapped.is_empty() {
                mapped.push(schema_name);
            }
            for value in mapped {
                if !values.iter().any(|(v, _): &(String, usize)| v == value) {
                    values.push((value.to_owned(), index));
                }
            }
        }
        Some(UnionTag {
            property: property.to_owned(),
            values,
        })
    }

    fn enum_def(
        &mut self,
        rust: &str,
        doc: Option<String>,
        s: &openapiv3::StringType,
        schema: &Schema,
        pointer: &str,
    ) -> EnumDef {
        // `x-ms-enum.values[]` documents single values (`description`) and names their
        // variants (`name`) where a spec provides them.
        let ms_values: Vec<&serde_json::Value> = schema
            .schema_data
            .extensions
            .get("x-ms-enum")
            .and_then(|e| e.get("values"))
            .and_then(|v| v.as_array())
            .map(|values| values.iter().collect())
            .unwrap_or_default();
        let ms_value = |value: &str, key: &str| -> Option<&str> {
            ms_values
                .iter()
                .find(|v| v.get("value").and_then(serde_json::Value::as_str) == Some(value))
                .and_then(|v| v.get(key))
                .and_then(serde_json::Value::as_str)
        };
        let mut taken = HashSet::new();
        let mut variants = Vec::new();
        for (i, value) in s.enumeration.iter().enumerate() {
            let Some(value) = value else { continue };
            if variants.iter().any(|v: &Variant| v.wire == *value) {
                self.sink.warn(
                    &join(&join(pointer, "enum"), i),
                    format!("enum value {value:?} is listed twice; kept once"),
                );
                continue;
            }
            let name = ms_value(value, "name").unwrap_or(value);
            let name = unique(names::type_name(name), &mut taken);
            variants.push(Variant {
                name,
                wire: value.clone(),
                doc: ms_value(value, "description").map(str::to_owned),
            });
        }
        let fallback = unique("Unknown".to_owned(), &mut taken);
        EnumDef {
            name: rust.to_owned(),
            doc,
            variants,
            fallback,
        }
    }

    /// Collects the properties of an object schema, merging `allOf` members (followed through
    /// `$ref`s) in order; a property defined differently by two members is reported, and the
    /// later definition wins.
    fn object_parts(
        &mut self,
        node: Node<'a>,
        pointer: &str,
        parts: &mut Parts<'a>,
        visiting: &mut Vec<String>,
    ) {
        let (schema, pointer) = match node {
            Node::Inline(s) => (s, pointer.to_owned()),
            Node::Ref(reference) => {
                if visiting.iter().any(|v| v == reference) {
                    self.sink.error(
                        pointer,
                        format!("`allOf` through `$ref: {reference}` includes itself"),
                    );
                    return;
                }
                let Some((target, target_pointer)) = self.lookup_schema(reference) else {
                    self.no_schema(reference, pointer);
                    return;
                };
                visiting.push(reference.to_owned());
                self.object_parts(target, &target_pointer, parts, visiting);
                visiting.pop();
                return;
            }
        };
        let empty: &'a [ReferenceOr<Schema>] = &[];
        let (properties, required, additional, all_of) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (
                Some(&o.properties),
                o.required.as_slice(),
                o.additional_properties.as_ref(),
                empty,
            ),
            SchemaKind::Any(a) => (
                Some(&a.properties),
                a.required.as_slice(),
                a.additional_properties.as_ref(),
                a.all_of.as_slice(),
            ),
            SchemaKind::AllOf { all_of } => (None, &[][..], None, all_of.as_slice()),
            _ => {
                self.sink.warn(
                    &pointer,
                    "an `allOf` member that is not an object is ignored",
                );
                return;
            }
        };
        for (i, member) in all_of.iter().enumerate() {
            let member_pointer = join(&join(&pointer, "allOf"), i);
            self.object_parts(Node::from(member), &member_pointer, parts, visiting);
        }
        for (wire, prop) in properties.into_iter().flatten() {
            let prop_pointer = join(&join(&pointer, "properties"), wire);
            let node = Node::from(prop);
            if let Some(i) = parts.props.iter().position(|(w, _, _)| w == wire) {
                if !parts.props[i].1.same_as(&node) {
                    let previous = parts.props[i].2.clone();
                    self.sink.warn(
                        &prop_pointer,
                        format!("`allOf` conflict: property `{wire}` is also defined, differently, at #{previous}; this definition wins"),
                    );
                }
                parts.props[i] = (wire.clone(), node, prop_pointer);
            } else {
                parts.props.push((wire.clone(), node, prop_pointer));
            }
        }
        for r in required {
            if !parts.required.contains(r) {
                parts.required.push(r.clone());
            }
        }
        if let Some(a) = additional {
            parts.additional = Some((a, join(&pointer, "additionalProperties")));
        }
    }

    fn struct_def(
        &mut self,
        rust: &str,
        doc: Option<String>,
        parts: Parts<'a>,
        pointer: &str,
    ) -> StructDef {
        let Parts {
            props,
            required,
            additional,
        } = parts;
        let mut fields = Vec::new();
        let mut taken: HashMap<String, String> = HashMap::new();
        for (wire, node, prop_pointer) in &props {
            let wire = wire.clone();
            let prop_pointer = prop_pointer.clone();
            let node = *node;
            // Names that differ only in case or punctuation (`@id` and `id`): the later ones
            // are numbered; serde keeps each wire name.
            // The property as written (siblings of a `$ref` included), looked up once.
            let beside = self.raw.pointer(&prop_pointer);
            // Azure's `x-ms-client-name` names the field; the wire name stays.
            let client_name = beside
                .and_then(|v| v.get("x-ms-client-name"))
                .and_then(serde_json::Value::as_str);
            let base = names::snake_name(client_name.unwrap_or(&wire));
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains_key(&name) {
                name = format!("{}_{n}", names::unraw(&base));
                n += 1;
            }
            taken.insert(name.clone(), wire.clone());
            let hint = format!("{rust}{}", names::type_name(&wire));
            let ty = self.schema_type(node, &prop_pointer, &hint);
            let (nullable, mut doc, constraints) = match node {
                Node::Inline(s) => (
                    s.schema_data.nullable,
                    s.schema_data.description.clone(),
                    field_constraints(s),
                ),
                Node::Ref(r) => (
                    self.is_nullable(node),
                    self.sibling_description(&prop_pointer, r),
                    Constraints::default(),
                ),
            };
            // `readOnly` and `writeOnly`, beside a `$ref` or on the schema; and `default`.
            let flag = |key: &str| beside.and_then(|v| v.get(key)).and_then(|v| v.as_bool());
            let target = self.deref_schema(node).map(|s| &s.schema_data);
            let read_only = flag("readOnly")
                .or(target.map(|d| d.read_only))
                .unwrap_or(false);
            let write_only = flag("writeOnly")
                .or(target.map(|d| d.write_only))
                .unwrap_or(false);
            if let Some(default) = target.and_then(|d| d.default.as_ref()) {
                add_note(&mut doc, &format!("Default: `{default}`."));
            }
            // A read-only property is absent from requests, a write-only one from responses: an
            // `Option` either way, so neither side has to invent it (`None` is left out).
            if read_only {
                add_note(&mut doc, "Read-only: set by the service.");
            }
            if write_only {
                add_note(&mut doc, "Write-only: never returned by the service.");
            }
            fields.push(Field {
                name,
                wire: wire.clone(),
                doc,
                ty,
                required: required.contains(&wire) && !read_only && !write_only,
                nullable,
                boxed: false,
                constraints,
            });
        }
        for name in &required {
            if !props.iter().any(|(w, _, _)| w == name) {
                self.sink.warn(
                    &join(pointer, "required"),
                    format!("required property `{name}` is not among the properties; ignored"),
                );
            }
        }
        let additional = match additional {
            Some((AdditionalProperties::Schema(schema), at)) => {
                let node = Node::from(schema.as_ref());
                let ty = self.schema_type(node, &at, &format!("{rust}Value"));
                let mut field = "additional_properties".to_owned();
                while fields.iter().any(|f| f.name == field) {
                    field.push('_');
                }
                Some(Remainder {
                    field,
                    ty: self.nullable(node, ty),
                })
            }
            _ => None,
        };
        StructDef {
            name: rust.to_owned(),
            doc,
            fields,
            additional,
        }
    }
}

/// Appends a paragraph to a description (or makes it the description).
fn add_note(doc: &mut Option<String>, note: &str) {
    match doc {
        Some(text) if !text.trim().is_empty() => {
            text.truncate(text.trim_end().len());
            text.push_str("\n\n");
            text.push_str(note);
        }
        _ => *doc = Some(note.to_owned()),
    }
}

/// Keeps only the types the operations reach (parameters, bodies, responses, and through them).
pub(super) fn prune(types: &mut Vec<TypeDef>, operations: &[Operation]) {
    let mut roots = Vec::new();
    for op in operations {
        crate::usage::roots(op, &mut roots);
    }
    let keep = crate::usage::reachable(types, roots);
    types.retain(|t| keep.contains(t.name()));
}

/// Boxes every field that leads back to its own struct without a `Vec` or map in between, so
/// recursive types have a finite size.
pub(super) fn mark_boxed(types: &mut [TypeDef]) {
    let named = |ty: &TypeRef| match ty {
        TypeRef::Named(n) => Some(n.clone()),
        _ => None,
    };
    let edges: HashMap<String, Vec<String>> = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some((
                s.name.clone(),
                s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
            )),
            TypeDef::Union(u) => Some((
                u.name.clone(),
                u.variants.iter().filter_map(|v| named(&v.ty)).collect(),
            )),
            TypeDef::Enum(_) => None,
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_owned()];
        let mut seen = HashSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(edges.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    for t in types.iter_mut() {
        match t {
            TypeDef::Struct(s) => {
                let own = s.name.clone();
                for f in &mut s.fields {
                    if let TypeRef::Named(n) = &f.ty {
                        f.boxed = reaches(n, &own);
                    }
                }
            }
            TypeDef::Union(u) => {
                let own = u.name.clone();
                for v in &mut u.variants {
                    if let TypeRef::Named(n) = &v.ty {
                        v.boxed = reaches(n, &own);
                    }
                }
            }
            TypeDef::Enum(_) => {}
        }
    }
}
