//! Resolve and check: `openapiv3::OpenAPI` -> [`crate::model::Api`]. Follows every `$ref`, names every
//! type, compiles every pattern and reports each problem with its JSON pointer.

mod azure;
mod multipart;

use std::collections::{BTreeMap, HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema,
    SchemaKind, StatusCode, Type, VariantOrUnknownOrEmpty,
};

use crate::diag::{join, Sink};
use crate::model::*;
use crate::names;
use crate::refs::{self, Elsewhere, Target};
use crate::resolve_security::{self, Declared};

/// How a structured value in parameter `p` is flattened: query parameters of style `form` or
/// `deepObject` only.
fn structured_style(p: &Parameter) -> Option<QueryStyle> {
    let Parameter::Query {
        style,
        parameter_data,
        ..
    } = p
    else {
        return None;
    };
    match style {
        openapiv3::QueryStyle::DeepObject => Some(QueryStyle::DeepObject),
        openapiv3::QueryStyle::Form if parameter_data.explode == Some(false) => {
            Some(QueryStyle::Form)
        }
        openapiv3::QueryStyle::Form => Some(QueryStyle::FormExplode),
        _ => None,
    }
}

/// A schema seen through `ReferenceOr<Schema>` or `ReferenceOr<Box<Schema>>`.
#[derive(Clone, Copy)]
enum Node<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for Node<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(s) => Node::Inline(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for Node<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(s) => Node::Inline(s),
        }
    }
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Resolves one loaded spec into the model of module `module`.
pub fn resolve(
    doc: &OpenAPI,
    raw: &serde_json::Value,
    module: &str,
    source: &str,
    selection: &Selection,
    sink: &mut Sink<'_>,
) -> Option<Api> {
    let conventions = conventions(raw, sink);
    let errors_before = sink.errors.len();
    let elsewhere = Elsewhere::collect(raw);
    let schemes = Declared::collect(raw, sink);
    let mut r = Resolver {
        doc,
        raw,
        elsewhere: &elsewhere,
        elsewhere_types: HashMap::new(),
        defined_at: HashMap::new(),
        sink,
        conventions,
        component_names: HashMap::new(),
        used_names: HashMap::new(),
        types: Vec::new(),
        type_index: HashMap::new(),
        alias_stack: Vec::new(),
        inline_stack: Vec::new(),
        depth: 0,
        inline_enums: HashMap::new(),
        skip_unsupported: selection.skip_unsupported,
        binary_as_bytes: false,
        schemes,
        root_security: Security::default(),
    };
    r.declare_components();
    r.define_components();
    r.root_security = match &doc.security {
        Some(requirements) => r.security(requirements, "/security"),
        None => Security {
            alternatives: Vec::new(),
            anonymous: true,
        },
    };
    if selection.skip_unsupported {
        // What a model cannot hold (a pattern no engine compiles, a `$ref` out of reach) was
        // replaced where it was found (no check, a JSON value): say so, and go on.
        let reasons: Vec<_> = r.sink.errors.drain(errors_before..).collect();
        for reason in reasons {
            r.sink.warn(
                &reason.pointer,
                format!(
                    "--skip-unsupported: generated without it: {}",
                    reason.message
                ),
            );
        }
    }
    let operations = r.operations(selection);
    let mut types = std::mem::take(&mut r.types);
    if selection.filters() {
        prune(&mut types, &operations);
    }
    mark_boxed(&mut types);
    let servers = r.servers();
    let server = servers
        .first()
        .map(|s| s.url.clone())
        .unwrap_or_else(|| "/".to_owned());
    if r.sink.errors.len() > errors_before {
        return None;
    }
    let holder = resolve_security::holder_name(|name| r.used_names.contains_key(name));
    let security = std::mem::take(&mut r.schemes).into_model(holder);
    Some(Api {
        module: module.to_owned(),
        source: source.to_owned(),
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        server,
        service: None,
        servers,
        conventions: r.conventions.clone(),
        types,
        operations,
        security,
        root_security: r.root_security.clone(),
        tag_features: Default::default(),
    })
}

struct Resolver<'a, 's> {
    doc: &'a OpenAPI,
    raw: &'a serde_json::Value,
    /// Targets of `$ref`s that name no component directly.
    elsewhere: &'a Elsewhere,
    /// Those targets' types, by reference text, once resolved.
    elsewhere_types: HashMap<String, TypeRef>,
    /// Inline nominal types by the pointer of their schema: a `$ref` to that place and the
    /// place itself share one type, whichever is resolved first.
    defined_at: HashMap<String, String>,
    sink: &'a mut Sink<'s>,
    conventions: Conventions,
    /// Component schema name -> its Rust type (nominal types get a name, aliases resolve).
    component_names: HashMap<String, String>,
    /// Rust type name -> pointer of the schema that took it.
    used_names: HashMap<String, String>,
    types: Vec<TypeDef>,
    type_index: HashMap<String, usize>,
    /// Component aliases being resolved, to catch `$ref` cycles that never reach a type.
    alias_stack: Vec<(String, usize)>,
    /// Inline nominal schemas being defined, by address: reaching one again (through an
    /// `allOf` that includes its container) refers to the type in progress.
    inline_stack: Vec<(*const Schema, String)>,
    /// How deep `schema_type` is nested, bounded so no input can exhaust the stack.
    depth: usize,
    /// Inline string enums already defined: their values -> the type's name.
    inline_enums: HashMap<String, String>,
    /// `--skip-unsupported`: a check the client cannot make (a pattern no engine compiles) is
    /// left out with a warning.
    skip_unsupported: bool,
    /// Set while resolving a `multipart/form-data` body: `format: binary` strings are bytes
    /// (file parts) there, and text everywhere else (JSON cannot carry raw bytes).
    binary_as_bytes: bool,
    /// `components.securitySchemes`, read once.
    schemes: Declared,
    /// The root-level requirement, which operations without their own inherit.
    root_security: Security,
}

/// Deeper nesting than this is reported instead of followed.
const MAX_DEPTH: usize = 48;

/// Whether a schema becomes a named Rust type (struct or enum) rather than an alias.
fn is_nominal(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => !enum_values(s).is_empty(),
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Any(a) => {
            !a.properties.is_empty()
                || substantive(&a.all_of).count() > 1
                || !a.one_of.is_empty()
                || !a.any_of.is_empty()
        }
        SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
            !members.is_empty()
        }
        // `allOf` of several schemas is merged into one struct; of one, it is that schema.
        SchemaKind::AllOf { all_of } => substantive(all_of).count() > 1,
        _ => false,
    }
}

/// The parts of an object schema, with `allOf` members merged in.
#[derive(Default)]
struct Parts<'a> {
    /// (wire name, schema, JSON pointer), in order.
    props: Vec<(String, Node<'a>, String)>,
    required: Vec<String>,
    additional: Option<(&'a AdditionalProperties, String)>,
}

impl Node<'_> {
    fn same_as(&self, other: &Node<'_>) -> bool {
        match (self, other) {
            (Node::Ref(a), Node::Ref(b)) => a == b,
            (Node::Inline(a), Node::Inline(b)) => a == b,
            _ => false,
        }
    }
}

/// The `allOf` members that say something about the type: members that only annotate
/// (`{description: ...}`) are left out.
fn substantive(
    members: &[ReferenceOr<Schema>],
) -> impl Iterator<Item = (usize, &ReferenceOr<Schema>)> {
    members.iter().enumerate().filter(|(_, m)| match m {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(s) => s.schema_kind != SchemaKind::Any(openapiv3::AnySchema::default()),
    })
}

fn enum_values(s: &openapiv3::StringType) -> Vec<&str> {
    s.enumeration.iter().flatten().map(String::as_str).collect()
}

impl<'a, 's> Resolver<'a, 's> {
    fn components(&self) -> Option<&'a openapiv3::Components> {
        self.doc.components.as_ref()
    }

    /// Reserves a Rust type name for every nominal component schema; two schemas that map to the
    /// same name are an error naming both.
    fn declare_components(&mut self) {
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
                    let previous = self.used_names.get(&wanted).cloned();
                    let rust = self.reserve_name(&wanted, &pointer);
                    if let Some(previous) = previous {
                        self.sink.warn(
                            &pointer,
                            format!("schema `{name}` maps to the Rust type `{wanted}`, as does the schema at #{previous}: it is `{rust}`"),
                        );
                    }
                    self.component_names.insert(name.clone(), rust);
                }
            }
        }
    }

    fn define_components(&mut self) {
        let Some(components) = self.components() else {
            return;
        };
        let multipart = multipart::components(self.raw);
        for (name, schema) in &components.schemas {
            let pointer = join("/components/schemas", name);
            match schema {
                ReferenceOr::Item(schema) => {
                    if let Some(rust) = self.component_names.get(name).cloned() {
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
    fn define(&mut self, rust: &str, schema: &'a Schema, pointer: &str) {
        let doc = schema.schema_data.description.clone();
        let def = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                TypeDef::Enum(self.enum_def(rust, doc, s, schema, pointer))
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                TypeDef::Union(self.union_def(rust, doc, members, pointer, "oneOf"))
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
        self.type_index.insert(rust.to_owned(), self.types.len());
        self.types.push(def);
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
                    false,
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
                Some(nullable(node, ty))
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

    /// The description written beside a `$ref` (which `openapiv3` drops), else the target's.
    fn sibling_description(&self, pointer: &str, reference: &str) -> Option<String> {
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
    fn lookup_schema(&self, reference: &str) -> Option<(Node<'a>, String)> {
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

    fn no_schema(&mut self, reference: &str, pointer: &str) {
        let message = if reference.starts_with("#/") {
            format!("`$ref: {reference}` points to no schema")
        } else {
            format!(
                "`$ref: {reference}`: only references within this document (`#/...`) are supported"
            )
        };
        self.sink.error(pointer, message);
    }

    /// Registers an inline nominal type under a name derived from its place.
    fn inline_type(&mut self, hint: &str, schema: &'a Schema, pointer: &str) -> TypeRef {
        // Inline string enums with the same values are one type (`state: [open, closed]` is
        // written in many places of large specs): less code to compile, values interchangeable.
        // Azure's `x-ms-enum.name` names an inline enum; places that give one name and the
        // same values share it.
        let ms_name = schema
            .schema_data
            .extensions
            .get("x-ms-enum")
            .and_then(|e| e.get("name"))
            .and_then(serde_json::Value::as_str)
            .map(names::type_name);
        let hint = ms_name.as_deref().unwrap_or(hint);
        let enum_key = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => Some(format!(
                "{}\u{1}{}",
                ms_name.as_deref().unwrap_or(""),
                enum_values(s).join("\u{0}")
            )),
            _ => None,
        };
        if let Some(existing) = enum_key.as_ref().and_then(|k| self.inline_enums.get(k)) {
            return TypeRef::Named(existing.clone());
        }
        if let Some(existing) = self.defined_at.get(pointer) {
            return TypeRef::Named(existing.clone());
        }
        let name = self.reserve_name(hint, pointer);
        self.defined_at.insert(pointer.to_owned(), name.clone());
        self.inline_stack.push((schema, name.clone()));
        self.define(&name, schema, pointer);
        self.inline_stack.pop();
        if let Some(key) = enum_key {
            self.inline_enums.insert(key, name.clone());
        }
        TypeRef::Named(name)
    }

    /// A type name not taken yet: `hint`, else `hint2`, `hint3`...; `pointer` is what it names.
    fn reserve_name(&mut self, hint: &str, pointer: &str) -> String {
        let mut name = hint.to_owned();
        let mut n = 2;
        while self.used_names.contains_key(&name) {
            name = format!("{hint}{n}");
            n += 1;
        }
        self.used_names.insert(name.clone(), pointer.to_owned());
        name
    }

    /// The Rust type of a schema used at `pointer`; inline structs and enums are named `hint`.
    fn schema_type(&mut self, node: Node<'a>, pointer: &str, hint: &str) -> TypeRef {
        if self.depth >= MAX_DEPTH {
            self.sink.error(
                pointer,
                format!("schemas nest more than {MAX_DEPTH} levels deep here: not followed"),
            );
            return TypeRef::Json;
        }
        self.depth += 1;
        let ty = self.schema_type_inner(node, pointer, hint);
        self.depth -= 1;
        ty
    }

    fn schema_type_inner(&mut self, node: Node<'a>, pointer: &str, hint: &str) -> TypeRef {
        let schema = match node {
            Node::Ref(reference) => return self.reference_type(reference, pointer),
            Node::Inline(schema) => schema,
        };
        if is_nominal(schema) {
            let address: *const Schema = schema;
            if let Some((_, name)) = self.inline_stack.iter().find(|(a, _)| *a == address) {
                return TypeRef::Named(name.clone());
            }
            return self.inline_type(hint, schema, pointer);
        }
        let secret = schema
            .schema_data
            .extensions
            .get("x-ms-secret")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let date = date_type(s);
                if let (Some(p), None) = (&s.pattern, &date) {
                    self.pattern(p, &join(pointer, "pattern"));
                }
                let binary = matches!(
                    s.format,
                    VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
                );
                if secret {
                    TypeRef::Secret
                } else if let Some(date) = date {
                    date
                } else if binary && self.binary_as_bytes {
                    TypeRef::Bytes
                } else {
                    TypeRef::String
                }
            }
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(n)) => match &n.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => {
                    let item_hint = format!("{hint}Item");
                    let node = Node::from(items);
                    let inner = self.schema_type(node, &join(pointer, "items"), &item_hint);
                    TypeRef::Array(Box::new(nullable(node, inner)))
                }
                None => TypeRef::Array(Box::new(TypeRef::Json)),
            },
            SchemaKind::Type(Type::Object(o)) => {
                self.map_type(o.additional_properties.as_ref(), pointer, hint)
            }
            SchemaKind::Any(a) if a.typ.as_deref() == Some("object") || a.typ.is_none() => {
                if a.properties.is_empty() && substantive(&a.all_of).count() == 1 {
                    if let Some((i, member)) = substantive(&a.all_of).next() {
                        return self.schema_type(
                            Node::from(member),
                            &join(&join(pointer, "allOf"), i),
                            hint,
                        );
                    }
                }
                if !a.all_of.is_empty() || !a.one_of.is_empty() || !a.any_of.is_empty() {
                    self.unsupported(
                        pointer,
                        "a schema mixing `allOf`/`oneOf`/`anyOf` with other keywords",
                    );
                    return TypeRef::Json;
                }
                self.map_type(a.additional_properties.as_ref(), pointer, hint)
            }
            SchemaKind::AllOf { all_of } if substantive(all_of).count() <= 1 => {
                match substantive(all_of).next() {
                    Some((i, member)) => self.schema_type(
                        Node::from(member),
                        &join(&join(pointer, "allOf"), i),
                        hint,
                    ),
                    None => TypeRef::Json,
                }
            }
            SchemaKind::AllOf { .. } => {
                self.unsupported(pointer, "`allOf` with several schemas");
                TypeRef::Json
            }
            SchemaKind::OneOf { .. } => {
                self.unsupported(pointer, "`oneOf`");
                TypeRef::Json
            }
            SchemaKind::AnyOf { .. } => {
                self.unsupported(pointer, "`anyOf`");
                TypeRef::Json
            }
            SchemaKind::Not { .. } => {
                self.unsupported(pointer, "`not`");
                TypeRef::Json
            }
            // A scalar `type` with keywords of another type (`uniqueItems` on a string, string
            // values in an integer `enum`): typed by its `type`.
            SchemaKind::Any(a)
                if a.all_of.is_empty()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && a.properties.is_empty()
                    && scalar_of_any(a, secret).is_some() =>
            {
                if !a.enumeration.is_empty() {
                    self.sink.warn(
                        pointer,
                        format!(
                            "the `enum` values do not all fit `type: {}`: typed as that type, values not checked",
                            a.typ.as_deref().unwrap_or_default()
                        ),
                    );
                }
                scalar_of_any(a, secret).unwrap_or(TypeRef::Json)
            }
            SchemaKind::Any(_) => {
                self.unsupported(pointer, "a schema whose type cannot be determined");
                TypeRef::Json
            }
        }
    }

    fn map_type(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        pointer: &str,
        hint: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let node = Node::from(schema.as_ref());
                let inner = self.schema_type(
                    node,
                    &join(pointer, "additionalProperties"),
                    &format!("{hint}Value"),
                );
                TypeRef::Map(Box::new(nullable(node, inner)))
            }
            // A free-form object: any JSON value.
            _ => TypeRef::Json,
        }
    }

    fn unsupported(&mut self, pointer: &str, what: &str) {
        self.sink.warn(
            pointer,
            format!("{what} is not typed yet: generated as a JSON value (serde_json::Value)"),
        );
    }

    fn reference_type(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let direct = reference
            .strip_prefix(SCHEMA_PREFIX)
            .filter(|n| !n.contains('/'));
        let Some(name) = direct else {
            return self.elsewhere_type(reference, pointer);
        };
        if let Some(rust) = self.component_names.get(name) {
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
        self.alias_stack
            .push((key.to_owned(), self.inline_stack.len()));
        let ty = self.schema_type(node, target_pointer, hint);
        self.alias_stack.pop();
        ty
    }

    /// Whether `key` is an alias being resolved (a `$ref` cycle), and if so whether an inline
    /// nominal type was entered since (the cycle then goes through a type).
    fn alias_cycle(&self, key: &str) -> Option<bool> {
        let (_, depth) = self.alias_stack.iter().find(|(k, _)| k == key)?;
        Some(self.inline_stack.len() > *depth)
    }

    /// The type of a schema a `$ref` reaches outside `#/components/schemas/<name>` (a
    /// component's property, a schema inside an operation): resolved once at its own place,
    /// named from that place.
    fn elsewhere_type(&mut self, reference: &str, pointer: &str) -> TypeRef {
        if let Some(ty) = self.elsewhere_types.get(reference) {
            return ty.clone();
        }
        let Some((node, target_pointer)) = self.lookup_schema(reference) else {
            self.no_schema(reference, pointer);
            return TypeRef::Json;
        };
        let hint = elsewhere_hint(&target_pointer);
        let ty = self.alias_type(reference, reference, node, &target_pointer, &hint, pointer);
        self.elsewhere_types
            .insert(reference.to_owned(), ty.clone());
        ty
    }

    /// Checks that a pattern compiles with an engine the generated crate can use.
    fn pattern(&mut self, source: &str, pointer: &str) -> Option<Pattern> {
        match compile_pattern(source) {
            Ok(engine) => Some(Pattern {
                source: rust_pattern(source).into_owned(),
                engine,
            }),
            Err(e) if self.skip_unsupported => {
                self.sink.warn(
                    pointer,
                    format!("--skip-unsupported: generated without it: pattern {source:?} cannot be enforced, so it is not checked: {e}"),
                );
                None
            }
            Err(e) => {
                self.sink.error(
                    pointer,
                    format!("pattern {source:?} cannot be enforced: {e}"),
                );
                None
            }
        }
    }

    /// Follows `$ref`s to the real schema, for reading constraints.
    fn deref_schema(&self, node: Node<'a>) -> Option<&'a Schema> {
        let mut node = node;
        for _ in 0..32 {
            match node {
                Node::Inline(s) => return Some(s),
                Node::Ref(r) => node = self.lookup_schema(r)?.0,
            }
        }
        None
    }

    fn operations(&mut self, selection: &Selection) -> Vec<Operation> {
        let mut out: Vec<Operation> = Vec::new();
        let mut names_seen: HashMap<String, String> = HashMap::new();
        let mut ids_seen: HashMap<String, String> = HashMap::new();
        for (path, item) in self.doc.paths.iter() {
            let item_pointer = join("/paths", path);
            // A path item borrowed from another path: its operations again, under this path
            // (their operationIds are the other path's, so their functions are numbered).
            let elsewhere: &'a Elsewhere = self.elsewhere;
            let (item, borrowed) = match item {
                ReferenceOr::Item(item) => (item, false),
                ReferenceOr::Reference { reference } => match elsewhere.path_items.get(reference) {
                    Some(item) => (item, true),
                    None => {
                        self.sink.error(
                            &item_pointer,
                            format!("path item `$ref: {reference}` points to no path item in this document"),
                        );
                        continue;
                    }
                },
            };
            for (method_name, op) in item.iter() {
                let pointer = join(&item_pointer, method_name);
                if !selected(selection, op, method_name, path) {
                    continue;
                }
                let errors_before = self.sink.errors.len();
                let derived_name = op.operation_id.is_none();
                let resolved = self.operation(path, method_name, op, &item.parameters, &pointer);
                if selection.skip_unsupported && self.sink.errors.len() > errors_before {
                    // Left out with the reasons as warnings; the rest of the spec goes on.
                    let reasons: Vec<_> = self.sink.errors.drain(errors_before..).collect();
                    for reason in reasons {
                        self.sink.warn(
                            &reason.pointer,
                            format!(
                                "operation left out (--skip-unsupported): {}",
                                reason.message
                            ),
                        );
                    }
                    continue;
                }
                let Some(mut op) = resolved else {
                    continue;
                };
                // A name derived from method and path (`/a/{id}` and `/a/{id}/`, say) takes the
                // first free numbered form; a name the spec chose is the spec's to fix.
                if derived_name && names_seen.contains_key(&op.name) {
                    let free = (2..)
                        .map(|n| format!("{}_{n}", op.name))
                        .find(|name| !names_seen.contains_key(name))
                        .unwrap_or_default();
                    self.sink.warn(
                        &pointer,
                        format!(
                            "the operation has no operationId and its derived name `{}` is taken (by #{}): it is `{free}`",
                            op.name, names_seen[&op.name]
                        ),
                    );
                    op.name = free;
                }
                // Two operationIds that differ only in case or punctuation (`getThing`,
                // `get_thing`) are both valid: the later function is numbered, and told. The
                // same operationId twice breaks OpenAPI's uniqueness rule: an error.
                let duplicate = ids_seen
                    .get(&op.operation_id)
                    .filter(|_| !derived_name && !borrowed);
                if duplicate.is_none() && names_seen.contains_key(&op.name) {
                    let free = (2..)
                        .map(|n| format!("{}_{n}", names::unraw(&op.name)))
                        .find(|name| !names_seen.contains_key(name))
                        .unwrap_or_default();
                    self.sink.warn(
                        &pointer,
                        format!(
                            "operation `{}` maps to the function `{}`, as does the operation at #{}: it is `{free}`",
                            op.operation_id, op.name, names_seen[&op.name]
                        ),
                    );
                    op.name = free;
                }
                if let Some(other) = duplicate.or_else(|| names_seen.get(&op.name)) {
                    let message = format!(
                        "operationId `{}` is used twice (OpenAPI requires it to be unique), here and at #{other}",
                        op.operation_id
                    );
                    if selection.skip_unsupported {
                        self.sink.warn(
                            &pointer,
                            format!("operation left out (--skip-unsupported): {message}"),
                        );
                    } else {
                        self.sink.error(&pointer, message);
                    }
                    continue;
                }
                if !derived_name && !borrowed {
                    ids_seen.insert(op.operation_id.clone(), pointer.clone());
                }
                names_seen.insert(op.name.clone(), pointer);
                out.push(op);
            }
        }
        out
    }

    fn operation(
        &mut self,
        path: &str,
        method_name: &str,
        op: &'a openapiv3::Operation,
        path_params: &'a [ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Option<Operation> {
        let method = match method_name {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            _ => Method::Trace,
        };
        let operation_id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method_name} {path}"));
        let name = names::snake_name(&operation_id);
        let type_prefix = names::type_name(&operation_id);
        let errors_before = self.sink.errors.len();

        // Path-level parameters first; an operation parameter with the same name and location
        // replaces one.
        let mut declared: Vec<(&'a Parameter, String)> = Vec::new();
        for (i, p) in path_params.iter().enumerate() {
            let ptr = join(
                &join(&pointer[..pointer.rfind('/').unwrap_or(0)], "parameters"),
                i,
            );
            if let Some(p) = self.deref_parameter(p, &ptr) {
                declared.push((p, ptr));
            }
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let ptr = join(&join(pointer, "parameters"), i);
            if let Some(p) = self.deref_parameter(p, &ptr) {
                let key = (p.parameter_data_ref().name.clone(), location_of(p));
                declared
                    .retain(|(q, _)| (q.parameter_data_ref().name.clone(), location_of(q)) != key);
                declared.push((p, ptr));
            }
        }

        // Path parameters first, in the order the path names them, then the others in the
        // spec's order: arguments keep their places when a spec lists its parameters in another
        // order (Azure's files often put `subscriptionId` last, or reorder it between versions).
        declared.sort_by_key(|(p, _)| match p {
            Parameter::Path { parameter_data, .. } => path
                .find(&format!("{{{}}}", parameter_data.name))
                .unwrap_or(usize::MAX - 1),
            _ => usize::MAX,
        });

        let mut params = Vec::new();
        let mut constants = Vec::new();
        let mut arg_names: HashSet<String> = ["client".to_owned(), "body".to_owned()].into();
        for (p, ptr) in &declared {
            let data = p.parameter_data_ref();
            let Some(location) = location_of(p) else {
                self.sink.warn(
                    ptr,
                    format!(
                        "cookie parameter `{}` is not supported; it is never sent",
                        data.name
                    ),
                );
                continue;
            };
            let required = data.required || location == Location::Path;
            if location == Location::Path && !data.required {
                self.sink.error(
                    ptr,
                    format!("path parameter `{}` must be `required: true`", data.name),
                );
            }
            // `content: {application/json: ...}`: the value as JSON text (in the query, the
            // path or a header).
            let (schema, schema_ptr, as_json) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => (schema, join(ptr, "schema"), false),
                ParameterSchemaOrContent::Content(content) => match content.first() {
                    Some((
                        media_type,
                        openapiv3::MediaType {
                            schema: Some(schema),
                            ..
                        },
                    )) if content.len() == 1 && is_json(media_type) => {
                        let at = join(&join(&join(ptr, "content"), media_type.as_str()), "schema");
                        (schema, at, true)
                    }
                    _ => {
                        self.sink.error(
                            ptr,
                            format!(
                                "parameter `{}` uses `content`, which is supported only as one JSON media type",
                                data.name
                            ),
                        );
                        continue;
                    }
                },
            };
            let node = Node::from(schema);
            let Some(target) = self.deref_schema(node) else {
                self.schema_type(node, &schema_ptr, "Unused");
                continue;
            };
            // A required parameter whose schema admits exactly one value is a constant.
            if let SchemaKind::Type(Type::String(s)) = &target.schema_kind {
                let values = enum_values(s);
                if required && values.len() == 1 && !as_json {
                    constants.push(ConstParam {
                        wire: data.name.clone(),
                        location,
                        value: values[0].to_owned(),
                    });
                    continue;
                }
            }
            let hint = format!("{type_prefix}{}", names::type_name(&data.name));
            let ty = match self.schema_type(node, &schema_ptr, &hint) {
                ty if as_json => ParamType::Structured {
                    ty,
                    style: QueryStyle::Json,
                },
                TypeRef::String | TypeRef::Secret => ParamType::Str,
                TypeRef::Named(n) if self.is_enum(&n) => ParamType::Enum(n),
                // A `oneOf` parameter (`integer` or `string`, say) is passed as its text.
                TypeRef::Named(n) if self.is_union(&n) => {
                    self.sink.warn(
                        &schema_ptr,
                        format!(
                            "parameter `{}` is one of several types: it is taken as text (`&str`)",
                            data.name
                        ),
                    );
                    ParamType::Str
                }
                TypeRef::I32 => ParamType::I32,
                TypeRef::I64 => ParamType::I64,
                TypeRef::F32 | TypeRef::F64 => ParamType::F64,
                TypeRef::Bool => ParamType::Bool,
                TypeRef::Date => ParamType::Date,
                TypeRef::DateTime => ParamType::DateTime,
                TypeRef::Array(inner) => {
                    // A query list has no null item: `nullable` items are sent as their type.
                    let item = match inner.non_null() {
                        TypeRef::String | TypeRef::Secret => Some(ParamType::Str),
                        TypeRef::Named(n) if self.is_enum(n) => Some(ParamType::Enum(n.clone())),
                        TypeRef::I32 => Some(ParamType::I32),
                        TypeRef::I64 => Some(ParamType::I64),
                        TypeRef::F32 | TypeRef::F64 => Some(ParamType::F64),
                        TypeRef::Bool => Some(ParamType::Bool),
                        TypeRef::Date => Some(ParamType::Date),
                        TypeRef::DateTime => Some(ParamType::DateTime),
                        _ => None,
                    };
                    match item {
                        Some(item) => {
                            // `style: form` (the query default) explodes unless told otherwise.
                            let explode = data.explode.unwrap_or(matches!(
                                p,
                                Parameter::Query {
                                    style: openapiv3::QueryStyle::Form,
                                    ..
                                }
                            ));
                            // `pipeDelimited` and `spaceDelimited` (Swagger 2.0's `pipes` and
                            // `ssv`) join the items with their own character.
                            let delimiter = match p {
                                Parameter::Query {
                                    style: openapiv3::QueryStyle::PipeDelimited,
                                    ..
                                } => '|',
                                Parameter::Query {
                                    style: openapiv3::QueryStyle::SpaceDelimited,
                                    ..
                                } => ' ',
                                _ => ',',
                            };
                            ParamType::List {
                                item: Box::new(item),
                                explode,
                                delimiter,
                            }
                        }
                        None => {
                            let ty = TypeRef::Array(inner);
                            match structured_style(p) {
                                Some(style) => {
                                    // OpenAPI defines no query form for an object in an array.
                                    self.sink.warn(
                                        &schema_ptr,
                                        format!(
                                            "parameter `{}` is an array of objects or arrays: each item is sent as JSON text",
                                            data.name
                                        ),
                                    );
                                    ParamType::Structured { ty, style }
                                }
                                None => {
                                    self.sink.error(
                                        &schema_ptr,
                                        format!("parameter `{}` is an array of objects or arrays, which can only be sent in the query (style form or deepObject)", data.name),
                                    );
                                    continue;
                                }
                            }
                        }
                    }
                }
                other => match structured_style(p) {
                    Some(style) => ParamType::Structured { ty: other, style },
                    None => {
                        self.sink.error(
                            &schema_ptr,
                            format!("parameter `{}` is an object or a free-form value, which can only be sent in the query (style form or deepObject), not the {}", data.name, location.as_str()),
                        );
                        continue;
                    }
                },
            };
            let constraints = self.constraints(target, &schema_ptr);
            let mut doc = data.description.clone();
            if let Some(default) = &target.schema_data.default {
                let note = if required {
                    format!("Default: `{default}`.")
                } else {
                    format!("Default: `{default}` (the service's, when `None`).")
                };
                // One line: parameters are listed as items of the operation's docs.
                doc = Some(match doc {
                    Some(d) if !d.trim().is_empty() => format!("{} {note}", d.trim_end()),
                    _ => note,
                });
            }
            let client_name = data
                .extensions
                .get("x-ms-client-name")
                .and_then(serde_json::Value::as_str);
            let arg = unique_snake(
                names::snake_name(client_name.unwrap_or(&data.name)),
                &mut arg_names,
            );
            params.push(Param {
                name: arg,
                wire: data.name.clone(),
                location,
                doc,
                required,
                ty,
                constraints,
            });
        }

        let mut declared_path_params: Vec<String> = declared
            .iter()
            .filter(|(p, _)| matches!(p, Parameter::Path { .. }))
            .map(|(p, _)| p.parameter_data_ref().name.clone())
            .collect();
        let (path, fixed_query) = self.split_path_query(
            path,
            &mut params,
            &mut declared_path_params,
            &constants,
            pointer,
        );
        constants.extend(fixed_query);
        let path_parts = self.path_parts(path, &params, &constants, &declared_path_params, pointer);
        let body = self.request_body(op, pointer, &type_prefix);
        let (success, error) = self.responses(op, pointer, &type_prefix);
        let security = match &op.security {
            Some(requirements) => self.security(requirements, &join(pointer, "security")),
            None => self.root_security.clone(),
        };
        let pageable = azure::pageable(&op.extensions, pointer, self.sink);
        let long_running = azure::long_running(&op.extensions, pointer, self.sink);

        if self.sink.errors.len() > errors_before {
            return None;
        }
        Some(Operation {
            name,
            operation_id,
            method,
            path: path.to_owned(),
            path_parts: path_parts?,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            tags: op.tags.clone(),
            params,
            constants,
            body,
            success: success?,
            error,
            security,
            pageable,
            long_running,
        })
    }

    fn is_union(&self, name: &str) -> bool {
        self.type_index
            .get(name)
            .and_then(|i| self.types.get(*i))
            .is_some_and(|t| matches!(t, TypeDef::Union(_)))
    }

    fn is_enum(&self, name: &str) -> bool {
        self.type_index
            .get(name)
            .and_then(|i| self.types.get(*i))
            .is_some_and(|t| matches!(t, TypeDef::Enum(_)))
    }

    fn deref_parameter(
        &mut self,
        p: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<&'a Parameter> {
        self.follow(p, "parameters", |c| &c.parameters, "parameter", pointer)
    }

    /// Follows a chain of `$ref`s into `#/components/<section>/` to the item, reporting a
    /// dangling or cyclic chain at `pointer`.
    fn follow<T: Target>(
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
    fn chase<T: Target>(
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

    /// A parameter's constraints (its pattern was reported, if bad, with its type).
    fn constraints(&mut self, schema: &Schema, pointer: &str) -> Constraints {
        let c = field_constraints(schema);
        if let (Some(min), Some(max)) = (c.min_length, c.max_length) {
            if min > max {
                self.sink.error(
                    pointer,
                    format!("minLength {min} is greater than maxLength {max}: no value is valid"),
                );
            }
        }
        c
    }

    /// A path key with a query (`/search?type=a`) or a fragment (`/#Action=Delete`, which some
    /// specs use to tell operations on one path apart): the path before it, and its fixed
    /// `name=value` pairs as query constants (a `{param}` value is the declared query parameter,
    /// sent already). A warning names the key.
    ///
    /// A `name={x}` pair whose `x` is declared `in: path` but is not in the path is that
    /// parameter, sent in the query as `name` (what the key says, though the spec says path).
    fn split_path_query<'p>(
        &mut self,
        path: &'p str,
        params: &mut [Param],
        declared_path_params: &mut Vec<String>,
        constants: &[ConstParam],
        pointer: &str,
    ) -> (&'p str, Vec<ConstParam>) {
        let Some(at) = path.find(['?', '#']) else {
            return (path, Vec::new());
        };
        let (head, tail) = (&path[..at], &path[at + 1..]);
        let mut fixed = Vec::new();
        for pair in tail.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let taken = params
                .iter()
                .any(|p| p.location == Location::Query && p.wire == name)
                || constants
                    .iter()
                    .chain(&fixed)
                    .any(|c| c.location == Location::Query && c.wire == name);
            if taken {
                continue;
            }
            if let Some(var) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                let in_query = !head.contains(value);
                if let Some(p) = params
                    .iter_mut()
                    .find(|p| in_query && p.location == Location::Path && p.wire == var)
                {
                    self.sink.warn(
                        pointer,
                        format!("path parameter `{var}` appears only in the key's query (`{pair}`): it is sent as the query parameter `{name}`"),
                    );
                    p.location = Location::Query;
                    p.wire = name.to_owned();
                    declared_path_params.retain(|d| d != var);
                }
                continue;
            }
            fixed.push(ConstParam {
                wire: name.to_owned(),
                location: Location::Query,
                value: value.to_owned(),
            });
        }
        self.sink.warn(
            pointer,
            format!(
                "the path {path:?} carries a query or fragment: the path is {head:?}, and its fixed pairs are sent as query parameters"
            ),
        );
        (head, fixed)
    }

    fn path_parts(
        &mut self,
        path: &str,
        params: &[Param],
        constants: &[ConstParam],
        declared_path_params: &[String],
        pointer: &str,
    ) -> Option<Vec<PathPart>> {
        let mut parts = Vec::new();
        let mut rest = path;
        let mut used = HashSet::new();
        let mut ok = true;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.sink.error(
                    pointer,
                    format!("path template {path:?} has an unclosed `{{`"),
                );
                return None;
            };
            let name = &rest[open + 1..open + close];
            if let Some(i) = params
                .iter()
                .position(|p| p.location == Location::Path && p.wire == name)
            {
                parts.push(PathPart::Param(i));
                used.insert(name.to_owned());
            } else if let Some(c) = constants
                .iter()
                .find(|c| c.location == Location::Path && c.wire == name)
            {
                parts.push(PathPart::Const(c.value.clone()));
                used.insert(name.to_owned());
            } else {
                // A declared parameter that failed to resolve was reported already.
                let declared = declared_path_params.iter().any(|d| d == name);
                if !declared {
                    self.sink.error(pointer, format!("path template {path:?} uses `{{{name}}}`, which no path parameter declares"));
                }
                ok = false;
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for p in params.iter().filter(|p| p.location == Location::Path) {
            if !used.contains(&p.wire) {
                self.sink.error(
                    pointer,
                    format!(
                        "path parameter `{}` does not appear in the path {path:?}",
                        p.wire
                    ),
                );
                ok = false;
            }
        }
        ok.then_some(parts)
    }

    fn request_body(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> Option<RequestBody> {
        let body_ptr = join(pointer, "requestBody");
        let body = self.follow(
            op.request_body.as_ref()?,
            "requestBodies",
            |c| &c.request_bodies,
            "request body",
            &body_ptr,
        )?;
        // JSON first, then the forms, text, and raw bytes.
        let pick = |want: Encoding| {
            body.content
                .iter()
                .find(|(ct, _)| media_encoding(ct) == Some(want))
        };
        let chosen = [
            Encoding::Json,
            Encoding::Form,
            Encoding::Multipart,
            Encoding::Text,
            Encoding::Bytes,
        ]
        .into_iter()
        .find_map(|e| pick(e).map(|m| (e, m)));
        let Some((encoding, (content_type, media))) = chosen else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.sink.error(
                &body_ptr,
                format!("request body media types {types:?} are not supported yet"),
            );
            return None;
        };
        let media_ptr = join(&join(&body_ptr, "content"), content_type);
        let ty = match (encoding, &media.schema) {
            (Encoding::Text, _) => TypeRef::String,
            (Encoding::Bytes, _) => TypeRef::Bytes,
            (_, Some(schema)) => {
                self.binary_as_bytes = encoding == Encoding::Multipart;
                let ty = self.schema_type(
                    Node::from(schema),
                    &join(&media_ptr, "schema"),
                    &format!("{type_prefix}Body"),
                );
                self.binary_as_bytes = false;
                ty
            }
            (_, None) => TypeRef::Json,
        };
        let parts = if encoding == Encoding::Multipart {
            self.form_parts(&ty, &media_ptr)?
        } else {
            Vec::new()
        };
        Some(RequestBody {
            name: "body".to_owned(),
            doc: body.description.clone(),
            required: body.required,
            ty,
            content_type: content_type.clone(),
            encoding,
            parts,
        })
    }

    /// The parts of a `multipart/form-data` body: the properties of its object schema.
    fn form_parts(&mut self, ty: &TypeRef, pointer: &str) -> Option<Vec<FormPart>> {
        let fields = match ty {
            TypeRef::Named(name) => match self.type_index.get(name).map(|&i| &self.types[i]) {
                Some(TypeDef::Struct(s)) => Some(&s.fields),
                _ => None,
            },
            _ => None,
        };
        let Some(fields) = fields else {
            self.sink.error(
                pointer,
                "a multipart/form-data body needs an object schema (its properties are the parts)",
            );
            return None;
        };
        Some(
            fields
                .iter()
                .map(|f| FormPart {
                    field: f.name.clone(),
                    wire: f.wire.clone(),
                    file: f.ty == TypeRef::Bytes,
                    optional: !f.required || f.nullable,
                })
                .collect(),
        )
    }

    fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> (Option<Success>, TypeRef) {
        let responses_ptr = join(pointer, "responses");
        type Body = Option<(TypeRef, Encoding)>;
        let mut successes: Vec<(u16, Option<String>, Body)> = Vec::new();
        let mut errors: BTreeMap<String, Option<TypeRef>> = BTreeMap::new();
        for (code, response) in &op.responses.responses {
            let ptr = join(&responses_ptr, code.to_string());
            let status = match code {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => r * 100,
            };
            let (doc, ty) = self.response(response, &ptr, &format!("{type_prefix}Response"));
            if (200..300).contains(&status) {
                // `2XX`: any success status (0 stands for it until the statuses are settled).
                let status = match code {
                    StatusCode::Range(_) => 0,
                    StatusCode::Code(_) => status,
                };
                successes.push((status, doc, ty));
            } else {
                // Only JSON error bodies are typed; others are kept as text.
                errors.insert(
                    ptr,
                    ty.filter(|(_, e)| *e == Encoding::Json).map(|(t, _)| t),
                );
            }
        }
        // Only `default` (below) makes it the success; otherwise it is the other errors.
        let default_is_error = !successes.is_empty();
        if let Some(default) = op.responses.default.as_ref().filter(|_| default_is_error) {
            let ptr = join(&responses_ptr, "default");
            let (_, ty) = self.response(default, &ptr, &format!("{type_prefix}Error"));
            errors.insert(
                ptr,
                ty.filter(|(_, e)| *e == Encoding::Json).map(|(t, _)| t),
            );
        }
        let success = match successes.as_slice() {
            // Only `default`: it describes every answer, successes included.
            [] if op.responses.default.is_some() => {
                let ptr = join(&responses_ptr, "default");
                let (doc, ty) = match &op.responses.default {
                    Some(default) => {
                        self.response(default, &ptr, &format!("{type_prefix}Response"))
                    }
                    None => (None, None),
                };
                errors.clear();
                Some(success(Vec::new(), doc, ty))
            }
            // Only redirects: the client follows them; what arrives is the target's body.
            [] if op
                .responses
                .responses
                .keys()
                .any(|c| matches!(c, StatusCode::Code(c) if (300..400).contains(c))) =>
            {
                Some(success(
                    Vec::new(),
                    None,
                    Some((TypeRef::Bytes, Encoding::Bytes)),
                ))
            }
            // Only errors listed: a 2xx is still a success, with nothing known of its body.
            [] => {
                self.sink.warn(
                    &responses_ptr,
                    "the operation lists no 2xx response: any 2xx is taken as success and its body ignored",
                );
                Some(success(Vec::new(), None, None))
            }
            [(status, doc, ty)] => Some(success(vec![*status], doc.clone(), ty.clone())),
            // Several success statuses: an enum, so the caller can tell them apart (`200`
            // updated, `201` created), even when they share a body type.
            [(_, doc, _), ..] => {
                let statuses: Vec<u16> = successes.iter().map(|(s, _, _)| *s).collect();
                let hint = format!("{type_prefix}Success");
                let name = self.reserve_name(&hint, &responses_ptr);
                let variants = successes
                    .iter()
                    .map(|(status, doc, body)| StatusVariant {
                        name: status_variant_name(*status),
                        status: Some(*status).filter(|s| *s != 0),
                        doc: doc.clone(),
                        ty: body.as_ref().map(|(ty, _)| ty.clone()),
                        encoding: body.as_ref().map_or(Encoding::Json, |(_, e)| *e),
                    })
                    .collect();
                let mut s = success(statuses, doc.clone(), None);
                s.by_status = Some(StatusEnum { name, variants });
                Some(s)
            }
        };
        // A `2XX` range among the successes: every 2xx status is one.
        let mut success = success;
        if let Some(s) = &mut success {
            if s.statuses.contains(&0) {
                s.statuses.clear();
            }
            s.headers = self.response_headers(op, &responses_ptr, type_prefix);
        }
        let mut error_types: Vec<TypeRef> = errors.into_values().flatten().collect();
        error_types.dedup();
        let error = match error_types.as_slice() {
            [one] => one.clone(),
            _ => TypeRef::Json,
        };
        (success, error)
    }

    /// The headers the 2xx responses declare (the first declaration of a name wins; OpenAPI
    /// ignores `Content-Type` here), as a struct named `{type_prefix}Headers`.
    fn response_headers(
        &mut self,
        op: &'a openapiv3::Operation,
        responses_ptr: &str,
        type_prefix: &str,
    ) -> Option<HeaderSet> {
        let mut fields: Vec<HeaderField> = Vec::new();
        let mut taken = HashSet::new();
        for (code, response) in &op.responses.responses {
            let status = match code {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => r * 100,
            };
            if !(200..300).contains(&status) {
                continue;
            }
            let ptr = join(responses_ptr, code.to_string());
            // Reported with the body, if it does not resolve.
            let Some(response) = self.chase(response, "responses", |c| &c.responses).ok() else {
                continue;
            };
            for (wire, header) in &response.headers {
                let header_ptr = join(&join(&ptr, "headers"), wire);
                if wire.eq_ignore_ascii_case("content-type")
                    || fields.iter().any(|f| f.wire.eq_ignore_ascii_case(wire))
                {
                    continue;
                }
                let Some(header) = self.chase(header, "headers", |c| &c.headers).ok() else {
                    self.sink.warn(
                        &header_ptr,
                        "the header's `$ref` points to no header: it is not typed",
                    );
                    continue;
                };
                let ty = match &header.format {
                    openapiv3::ParameterSchemaOrContent::Schema(schema) => self
                        .deref_schema(Node::from(schema))
                        .map_or(TypeRef::String, header_type),
                    openapiv3::ParameterSchemaOrContent::Content(_) => TypeRef::String,
                };
                let name = unique_snake(names::snake_name(wire), &mut taken);
                fields.push(HeaderField {
                    name,
                    wire: wire.clone(),
                    doc: header.description.clone().filter(|d| !d.trim().is_empty()),
                    ty,
                });
            }
        }
        if fields.is_empty() {
            return None;
        }
        let name = self.reserve_name(&format!("{type_prefix}Headers"), responses_ptr);
        Some(HeaderSet { name, fields })
    }

    fn response(
        &mut self,
        response: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
        hint: &str,
    ) -> (Option<String>, Option<(TypeRef, Encoding)>) {
        let Some(response) =
            self.follow(response, "responses", |c| &c.responses, "response", pointer)
        else {
            return (None, None);
        };
        let doc = Some(response.description.clone()).filter(|d| !d.is_empty());
        if response.content.is_empty() {
            return (doc, None);
        }
        let pick = |want: Encoding| {
            response
                .content
                .iter()
                .find(|(ct, _)| media_encoding(ct) == Some(want))
        };
        let chosen = [Encoding::Json, Encoding::Text, Encoding::Bytes]
            .into_iter()
            .find_map(|e| pick(e).map(|m| (e, m)));
        let Some((encoding, (content_type, media))) = chosen else {
            let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
            self.sink.warn(
                pointer,
                format!("response media types {types:?} are not decoded yet: the body is ignored"),
            );
            return (doc, None);
        };
        let ty = match (encoding, &media.schema) {
            (Encoding::Text, _) => TypeRef::String,
            (Encoding::Bytes, _) => TypeRef::Bytes,
            (_, Some(schema)) => self.schema_type(
                Node::from(schema),
                &join(&join(&join(pointer, "content"), content_type), "schema"),
                hint,
            ),
            (_, None) => TypeRef::Json,
        };
        (doc, Some((ty, encoding)))
    }

    fn security(
        &mut self,
        requirements: &[openapiv3::SecurityRequirement],
        pointer: &str,
    ) -> Security {
        let token_scope = self.conventions.token_scope.as_deref();
        self.schemes
            .requirement(requirements, pointer, token_scope, self.sink)
    }

    /// A server URL with its variables replaced by their defaults (a client picks another
    /// server with `ClientBuilder::base_url`).
    fn server_url(&mut self, server: &openapiv3::Server, pointer: &str) -> Option<String> {
        let mut url = String::new();
        let mut rest = server.url.as_str();
        while let Some(open) = rest.find('{') {
            url.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                self.sink
                    .error(&join(pointer, "url"), "unclosed `{` in the server URL");
                return None;
            };
            let name = &rest[open + 1..open + close];
            let default = server
                .variables
                .as_ref()
                .and_then(|v| v.get(name))
                .map(|v| v.default.clone());
            match default {
                Some(d) => url.push_str(&d),
                None => {
                    self.sink.error(
                        &join(pointer, "url"),
                        format!("server URL variable `{{{name}}}` has no entry in `variables`"),
                    );
                    return None;
                }
            }
            rest = &rest[open + close + 1..];
        }
        url.push_str(rest);
        Some(url)
    }

    /// The spec's servers, each named from its `x-name`, else its `description`, else its place.
    fn servers(&mut self) -> Vec<Server> {
        let mut taken = HashSet::new();
        let mut out = Vec::new();
        for (i, server) in self.doc.servers.iter().enumerate() {
            let pointer = join("/servers", i);
            let Some(url) = self.server_url(server, &pointer) else {
                continue;
            };
            let named = server
                .extensions
                .get("x-name")
                .and_then(serde_json::Value::as_str)
                .or(server.description.as_deref());
            let name = match named {
                Some(n) => names::type_name(n),
                None => format!("Server{}", i + 1),
            };
            out.push(Server {
                name: unique(name, &mut taken),
                url,
                doc: server.description.clone(),
            });
        }
        out
    }
}

/// An array item or map value of `node`: `Option<T>` when its schema says `nullable: true` (on
/// the schema itself, as for properties; a JSON value holds `null` already).
fn nullable(node: Node<'_>, ty: TypeRef) -> TypeRef {
    match node {
        Node::Inline(s) if s.schema_data.nullable && ty != TypeRef::Json => {
            TypeRef::Nullable(Box::new(ty))
        }
        _ => ty,
    }
}

fn location_of(p: &Parameter) -> Option<Location> {
    match p {
        Parameter::Path { .. } => Some(Location::Path),
        Parameter::Query { .. } => Some(Location::Query),
        Parameter::Header { .. } => Some(Location::Header),
        Parameter::Cookie { .. } => None,
    }
}

fn success(statuses: Vec<u16>, doc: Option<String>, body: Option<(TypeRef, Encoding)>) -> Success {
    let (ty, encoding) = match body {
        Some((ty, encoding)) => (Some(ty), encoding),
        None => (None, Encoding::Json),
    };
    Success {
        statuses,
        doc,
        ty,
        encoding,
        by_status: None,
        headers: None,
    }
}

/// The variant of a success status: its reason phrase (RFC 9110), `Status{code}` for the
/// others, `Other` for a `2XX` range (stood for by 0).
fn status_variant_name(status: u16) -> String {
    let name = match status {
        0 => "Other",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        other => return format!("Status{other}"),
    };
    name.to_owned()
}

/// How a media type is encoded, or `None` when it cannot be (multipart).
fn media_encoding(content_type: &str) -> Option<Encoding> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if is_json(&essence) {
        Some(Encoding::Json)
    } else if essence == "application/x-www-form-urlencoded" {
        Some(Encoding::Form)
    } else if essence.starts_with("text/") {
        Some(Encoding::Text)
    } else if essence == "multipart/form-data" {
        Some(Encoding::Multipart)
    } else if essence.starts_with("multipart/") {
        None
    } else {
        Some(Encoding::Bytes)
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// `name`, or `name2`, `name3`... whichever is free first.
fn unique(name: String, taken: &mut HashSet<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{name}{n}");
        n += 1;
    }
    candidate
}

/// Like [`unique`] for snake names: `name_`, `name__`... keeps raw identifiers valid.
fn unique_snake(name: String, taken: &mut HashSet<String>) -> String {
    let mut candidate = name.clone();
    while !taken.insert(candidate.clone()) {
        candidate = format!("{}_", names::unraw(&candidate));
    }
    candidate
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

/// The scalar type of a schema openapiv3 could not read as one type (keywords of several
/// types), by its `type` and `format`.
fn scalar_of_any(a: &openapiv3::AnySchema, secret: bool) -> Option<TypeRef> {
    let format = a.format.as_deref().unwrap_or_default();
    Some(match a.typ.as_deref()? {
        "string" if secret => TypeRef::Secret,
        "string" if format == "date" => TypeRef::Date,
        "string" if format == "date-time" => TypeRef::DateTime,
        "string" => TypeRef::String,
        "integer" if format == "int32" => TypeRef::I32,
        "integer" => TypeRef::I64,
        "number" if format == "float" => TypeRef::F32,
        "number" => TypeRef::F64,
        "boolean" => TypeRef::Bool,
        _ => return None,
    })
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

/// A header's type: scalars as declared, anything else as its text.
fn header_type(schema: &Schema) -> TypeRef {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => date_type(s).unwrap_or(TypeRef::String),
        SchemaKind::Type(Type::Integer(i)) => match &i.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
            _ => TypeRef::I64,
        },
        SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
        SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
        _ => TypeRef::String,
    }
}

/// The date type of a `format: date` or `format: date-time` string.
fn date_type(s: &openapiv3::StringType) -> Option<TypeRef> {
    match &s.format {
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Date) => Some(TypeRef::Date),
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => Some(TypeRef::DateTime),
        _ => None,
    }
}

fn field_constraints(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    match &schema.schema_kind {
        // A date's type checks it; string constraints on its text are not enforced.
        SchemaKind::Type(Type::String(s)) if date_type(s).is_some() => {}
        SchemaKind::Type(Type::String(s)) => {
            c.min_length = s.min_length.filter(|n| *n > 0);
            c.max_length = s.max_length;
            c.pattern = s.pattern.as_ref().and_then(|p| {
                compile_pattern(p).ok().map(|engine| Pattern {
                    source: rust_pattern(p).into_owned(),
                    engine,
                })
            });
            c.uuid = matches!(&s.format, VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid");
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|v| v as f64);
            c.maximum = i.maximum.map(|v| v as f64);
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
        }
        _ => {}
    }
    c
}

/// Compiles a pattern with `regex`, else `fancy-regex`; the error of the better engine otherwise.
pub fn compile_pattern(source: &str) -> Result<Engine, String> {
    let source = &*rust_pattern(source);
    // A bound like `.{1,2097152}` takes the engines seconds to refuse, at every use of the
    // schema: refused at once.
    if let Some(bound) = repetition_bounds(source).find(|b| *b > MAX_REPETITION) {
        return Err(format!(
            "a repetition bound of {bound} is more than the engines enforce ({MAX_REPETITION} at most)"
        ));
    }
    // The same limit as the generated runtime's (`runtime/pattern_*.rs`): bounded repetitions
    // such as `\S{0,5000}` need more than the default 10 MiB.
    const SIZE_LIMIT: usize = 64 << 20;
    let regex = regex::RegexBuilder::new(source)
        .size_limit(SIZE_LIMIT)
        .build();
    match regex {
        Ok(_) => Ok(Engine::Regex),
        Err(regex_error) => match fancy_regex::RegexBuilder::new(source)
            .delegate_size_limit(SIZE_LIMIT)
            .build()
        {
            Ok(_) => Ok(Engine::Fancy),
            Err(fancy_error) => Err(format!("regex: {regex_error}; fancy-regex: {fancy_error}")),
        },
    }
}

/// The largest `{n}` / `{n,m}` bound a pattern may use.
const MAX_REPETITION: u64 = 100_000;

/// The numbers of the `{n}`, `{n,}` and `{n,m}` quantifiers of a pattern (escaped braces
/// excepted).
fn repetition_bounds(source: &str) -> impl Iterator<Item = u64> + '_ {
    let mut escaped = false;
    source.char_indices().filter_map(move |(at, c)| {
        let open = c == '{' && !escaped;
        escaped = c == '\\' && !escaped;
        if !open {
            return None;
        }
        let body = &source[at + 1..];
        let body = &body[..body.find('}')?];
        if !body.chars().all(|c| c.is_ascii_digit() || c == ',') {
            return None;
        }
        body.split(',').filter_map(|n| n.parse::<u64>().ok()).max()
    })
}

/// Java's POSIX classes (`\p{Alpha}`, ASCII like the Rust engines' `[:alpha:]`), which specs
/// generated from Java or Smithy models write though OpenAPI patterns are ECMA-262.
const JAVA_CLASSES: &[(&str, &str)] = &[
    ("Lower", "lower"),
    ("Upper", "upper"),
    ("ASCII", "ascii"),
    ("Alpha", "alpha"),
    ("Digit", "digit"),
    ("Alnum", "alnum"),
    ("Punct", "punct"),
    ("Graph", "graph"),
    ("Print", "print"),
    ("Blank", "blank"),
    ("Cntrl", "cntrl"),
    ("XDigit", "xdigit"),
    ("Space", "space"),
];

/// The `\p{Name}` / `\P{Name}` at the start of `rest` (after the backslash), if `Name` is a
/// Java POSIX class or `all`: its length and its Rust class items (for inside a class).
fn java_class(rest: &str) -> Option<(usize, String)> {
    let negated = rest.starts_with('P');
    let body = rest.strip_prefix(['p', 'P'])?.strip_prefix('{')?;
    let name = &body[..body.find('}')?];
    let len = 1 + 1 + name.len() + 1;
    if name == "all" {
        return Some((
            len,
            if negated {
                String::new()
            } else {
                "\\s\\S".to_owned()
            },
        ));
    }
    let (_, posix) = JAVA_CLASSES.iter().find(|(java, _)| *java == name)?;
    let caret = if negated { "^" } else { "" };
    Some((len, format!("[:{caret}{posix}:]")))
}

/// A `\uHHHH` escape at the start of `rest` (after the backslash): its length and value.
fn u_escape(rest: &str) -> Option<(usize, u32)> {
    let hex = rest.strip_prefix('u')?.get(..4)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((5, u32::from_str_radix(hex, 16).ok()?))
}

/// A legacy octal escape (`\0`, `\037`) at the start of `rest` (after the backslash); outside
/// a class only the ones that start with `0` (`\1` is a backreference there).
fn octal_escape(rest: &str, in_class: bool) -> Option<(usize, u32)> {
    let first = rest.chars().next()?;
    if !(first == '0' || in_class && ('1'..='3').contains(&first)) {
        return None;
    }
    let digits = rest
        .bytes()
        .take(3)
        .take_while(|b| (b'0'..=b'7').contains(b))
        .count();
    Some((digits, u32::from_str_radix(&rest[..digits], 8).ok()?))
}

/// Where a class stands, for reading a `-`.
#[derive(Clone, Copy, PartialEq)]
enum ClassAt {
    /// Just after `[` or `[^`.
    Start,
    /// After a character, which may start a range.
    Char,
    /// After a class escape (`\w`) or a completed range: a `-` here is a literal.
    NoRange,
    /// After a range's `-`: the next character ends it.
    RangeDash,
}

/// An OpenAPI pattern as the Rust engines read it.
///
/// Patterns are ECMA-262, where a class takes `[` and the pairs `&&`, `--`, `~~` literally
/// while the Rust engines read a nested class and set operations: those are escaped. A
/// pattern that uses Java's POSIX classes (`\p{Print}`) was written for Java, whose nested
/// classes and `&&` the Rust engines read alike: its classes are translated and the rest kept.
/// In both: a `-` that cannot make a range (`[\w-.]`, `[a-z-_]`) is a literal; legacy octal
/// escapes (`\037`) become `\x{1f}`; `\Z` is Java's end anchor; UTF-16 surrogate pairs (`\uD83D\uDE00`) become the
/// character they encode, and lone surrogates, which no Rust string holds, leave classes.
pub fn rust_pattern(source: &str) -> std::borrow::Cow<'_, str> {
    let java = source
        .match_indices('\\')
        .any(|(at, _)| java_class(&source[at + 1..]).is_some());
    if !java && !source.contains(['[', ']', '\\']) {
        return source.into();
    }
    let mut out = String::with_capacity(source.len() + 8);
    let mut class: Option<ClassAt> = None;
    let mut rest = source;
    // What an atom does to the class's state: ends a pending range, or may start one.
    let after_atom = |class: &mut Option<ClassAt>, can_start_range: bool| {
        if let Some(at) = class {
            *at = match *at {
                ClassAt::RangeDash => ClassAt::NoRange,
                _ if can_start_range => ClassAt::Char,
                _ => ClassAt::NoRange,
            };
        }
    };
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '\\' => {
                if let Some((len, items)) = java_class(rest).filter(|_| java) {
                    if class.is_some() {
                        out.push_str(&items);
                    } else {
                        out.push('[');
                        out.push_str(&items);
                        out.push(']');
                    }
                    rest = &rest[len..];
                    after_atom(&mut class, false);
                    continue;
                }
                if let Some((len, high)) =
                    u_escape(rest).filter(|(_, v)| (0xD800..0xE000).contains(v))
                {
                    rest = &rest[len..];
                    let low = rest
                        .strip_prefix('\\')
                        .and_then(u_escape)
                        .filter(|(_, v)| (0xDC00..0xE000).contains(v) && high < 0xDC00);
                    if let Some((len, low)) = low {
                        rest = &rest[1 + len..];
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        out.push_str(&format!("\\x{{{code:x}}}"));
                        after_atom(&mut class, true);
                    } else if class == Some(ClassAt::RangeDash) {
                        // `\u0020-\uDFFF`: the range stops before the surrogates.
                        out.push_str("\\x{d7ff}");
                        after_atom(&mut class, true);
                    } else if class.is_some() {
                        // A lone surrogate (or a range of them) matches nothing in UTF-8.
                        if let Some(tail) = rest.strip_prefix("-\\") {
                            if let Some((len, _)) =
                                u_escape(tail).filter(|(_, v)| (0xD800..0xE000).contains(v))
                            {
                                rest = &tail[len..];
                            }
                        }
                    } else {
                        out.push_str(&format!("\\u{high:04X}"));
                    }
                    continue;
                }
                // Java's and PCRE's `\Z`: the end, or before a final line break.
                if class.is_none() && rest.starts_with('Z') {
                    out.push_str(r"(?:\n?\z)");
                    rest = &rest[1..];
                    continue;
                }
                if let Some((len, value)) = octal_escape(rest, class.is_some()) {
                    rest = &rest[len..];
                    out.push_str(&format!("\\x{{{value:x}}}"));
                    after_atom(&mut class, true);
                    continue;
                }
                out.push(c);
                let Some(next) = rest.chars().next() else {
                    continue;
                };
                out.push(next);
                rest = &rest[next.len_utf8()..];
                let class_escape = matches!(next, 's' | 'S' | 'w' | 'W' | 'd' | 'D' | 'p' | 'P');
                after_atom(&mut class, !class_escape);
            }
            '[' if class.is_none() => {
                class = Some(ClassAt::Start);
                out.push(c);
                if let Some(tail) = rest.strip_prefix('^') {
                    out.push('^');
                    rest = tail;
                }
            }
            // Java: nested classes and `&&` mean what they mean to the Rust engines.
            '[' if java => {
                out.push(c);
                class = Some(ClassAt::Start);
            }
            '[' => {
                out.push_str("\\[");
                after_atom(&mut class, true);
            }
            ']' if class.is_some() => {
                // In Java a nested class closes here; the outer one stays open.
                class = if java && open_nested(&out) {
                    Some(ClassAt::NoRange)
                } else {
                    None
                };
                out.push(c);
            }
            '&' | '-' | '~' if class.is_some() && !java && rest.starts_with(c) => {
                // `&&` -> `\&&` is still an operator in the Rust engines: escape both.
                rest = &rest[1..];
                out.push('\\');
                out.push(c);
                out.push('\\');
                out.push(c);
                after_atom(&mut class, false);
            }
            '-' if class.is_some() => {
                let at = class.unwrap_or(ClassAt::Start);
                if at == ClassAt::Char && !rest.starts_with(']') {
                    out.push('-');
                    class = Some(ClassAt::RangeDash);
                } else if at == ClassAt::Start || rest.starts_with(']') {
                    out.push('-');
                    after_atom(&mut class, false);
                } else {
                    out.push_str("\\-");
                    after_atom(&mut class, false);
                }
            }
            _ => {
                out.push(c);
                after_atom(&mut class, true);
            }
        }
    }
    out.into()
}

/// Whether `out` has a class still open inside another one (Java's `[a[b]]`), counting
/// unescaped brackets.
fn open_nested(out: &str) -> bool {
    let mut depth = 0i32;
    let mut escaped = false;
    for c in out.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' => depth -= 1,
            _ => {}
        }
    }
    depth > 1
}

/// Whether an operation passes the selection's tag and name filters.
fn selected(selection: &Selection, op: &openapiv3::Operation, method: &str, path: &str) -> bool {
    let tag_ok = selection.tags.is_empty() || op.tags.iter().any(|t| selection.tags.contains(t));
    let id = op
        .operation_id
        .clone()
        .unwrap_or_else(|| format!("{method} {path}"));
    let name = names::snake_name(&id);
    let name_ok = selection.operations.is_empty()
        || selection
            .operations
            .iter()
            .any(|o| *o == id || names::snake_name(o) == name);
    tag_ok && name_ok
}

/// Keeps only the types the operations reach (parameters, bodies, responses, and through them).
fn prune(types: &mut Vec<TypeDef>, operations: &[Operation]) {
    let mut roots = Vec::new();
    for op in operations {
        crate::usage::roots(op, &mut roots);
    }
    let keep = crate::usage::reachable(types, roots);
    types.retain(|t| keep.contains(t.name()));
}

/// Boxes every field that leads back to its own struct without a `Vec` or map in between, so
/// recursive types have a finite size.
fn mark_boxed(types: &mut [TypeDef]) {
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

/// Reads the spec's `x-client` extension: the header conventions of the service.
fn conventions(raw: &serde_json::Value, sink: &mut Sink<'_>) -> Conventions {
    let Some(ext) = raw.get("x-client") else {
        return Conventions::default();
    };
    let Some(ext) = ext.as_object() else {
        sink.error("/x-client", "`x-client` must be an object");
        return Conventions::default();
    };
    let mut c = Conventions::default();
    for (key, value) in ext {
        let pointer = join("/x-client", key);
        let text = value.as_str().map(str::to_owned);
        match key.as_str() {
            "client-request-id-header" => c.client_request_id_header = text,
            "request-id-header" => c.request_id_header = text,
            "error-code-header" => c.error_code_header = text,
            "token-scope" => c.token_scope = text,
            "tag-features" => {
                match value.as_bool() {
                    Some(split) => c.tag_features = Some(split),
                    None => sink.error(&pointer, "`x-client.tag-features` must be true or false"),
                }
                continue;
            }
            "retry-after-ms-headers" => {
                c.retry_after_ms_headers = value
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                continue;
            }
            _ => {
                sink.warn(&pointer, format!("unknown `x-client` key `{key}`: ignored"));
                continue;
            }
        }
        if value.as_str().is_none() {
            sink.error(&pointer, format!("`x-client.{key}` must be a string"));
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_pick_the_engine_they_need() {
        assert_eq!(
            compile_pattern("^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$"),
            Ok(Engine::Regex)
        );
        assert_eq!(
            compile_pattern("^(?=.{2,60}$)[a-z0-9][a-z0-9]+(-[a-z0-9]+)*$"),
            Ok(Engine::Fancy)
        );
        assert!(compile_pattern("^[a-z").is_err());
        // ECMA-262 class syntax the Rust engines read otherwise (found in the corpus).
        assert_eq!(rust_pattern("[[A-Z0-9]{1,18}"), "[\\[A-Z0-9]{1,18}");
        assert_eq!(compile_pattern("[[A-Z0-9]{1,18}"), Ok(Engine::Regex));
        assert_eq!(rust_pattern("[a&&b]x&&"), "[a\\&\\&b]x&&");
        assert_eq!(rust_pattern("^[^[\\]]+$"), "^[^\\[\\]]+$");
        // Java's POSIX classes (AWS specs, generated from Smithy): the pattern is Java's, and
        // its intersections and nested classes are kept.
        assert_eq!(
            rust_pattern("[\\p{Print}&&[^|:/]]+"),
            "[[:print:]&&[^|:/]]+"
        );
        let checks = |pattern: &str, good: &str, bad: &str| {
            let re = regex::Regex::new(&rust_pattern(pattern)).unwrap();
            assert!(re.is_match(good) && !re.is_match(bad), "{pattern}");
        };
        checks("^[\\p{Print}&&[^|:/]]+$", "my-plan 1", "a|b");
        checks("^\\p{Print}+$", "abc", "a\u{7}");
        checks("^[\\-\\p{Alnum}_:.]+$", "node-1:a", "node 1");
        checks("^\\P{XDigit}$", "g", "f");
        checks("^[\\p{all}]+$", "any\nthing", "");
        // A `-` after a class escape is a literal, in either dialect.
        checks("^[\\w-.+]+@[\\w-.+]+$", "a.b-c@d.e", "a b@c");
        checks("^[a-z0-9\\s-_()]+$", "a-b_c (d)", "a#b");
        // A `-` after a range is a literal too; legacy octal escapes are characters.
        checks("^[a-zA-Z0-9-_]+$", "a-b_9", "a.b");
        checks("^[^/:\\|\\000-\\037]+$", "stream-1", "a\u{1f}b");
        // Surrogates (AWS's "any XML character" class): pairs are characters, lone ones go.
        checks(
            "^[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDBFF-\\uDC00\\uDFFF\\r\\n\\t]*$",
            "déjà vu\t",
            "\u{1}",
        );
        checks("^\\uD83D\\uDE00$", "😀", "x");
        // Huge bounds are refused at once (seldon's `^.{1,2097152}` took a minute to fail).
        assert!(compile_pattern("^.{1,2097152}")
            .unwrap_err()
            .contains("repetition bound"));
        assert_eq!(compile_pattern("\\{1,2097152\\}"), Ok(Engine::Regex));
        // `\Z` (Linode's domains): the end, or before a final line break.
        checks("\\A[a-z]+\\Z", "abc\n", "abc1");
        // Names Java does not define stay as they are (and Unicode ones keep working).
        assert_eq!(rust_pattern("\\p{L}+"), "\\p{L}+");
        // Large bounded repetitions, common in real specs, fit the raised size limit.
        assert_eq!(compile_pattern("\\S{0,5000}"), Ok(Engine::Regex));
        assert_eq!(compile_pattern("[\\w\\.-]{0,255}"), Ok(Engine::Regex));
    }

    /// The translation slices strings by hand: no input of its alphabet may panic it.
    #[test]
    fn pattern_translation_never_panics() {
        let alphabet: Vec<char> = "\\[]-&~^upPxX{}0137DdEfF8sw:é😀Print".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let _ = rust_pattern(&text);
            let _ = compile_pattern(&text);
        }
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/merge-patch+json; charset=utf-8"));
        assert!(!is_json("text/plain"));
    }
}
