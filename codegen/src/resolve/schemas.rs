//! Schemas: the Rust type of a schema at its place (scalars, arrays, maps, inline nominal
//! types named from their place), and the schema helpers the other parts read.

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

use super::patterns::{compile_pattern, rust_pattern};
use super::{Node, Resolver};
use crate::diag::join;
use crate::model::*;
use crate::names;

/// Deeper nesting than this is reported instead of followed.
const MAX_DEPTH: usize = 48;

/// Whether a schema becomes a named Rust type (struct or enum) rather than an alias.
pub(super) fn is_nominal(schema: &Schema) -> bool {
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

pub(super) fn enum_values(s: &openapiv3::StringType) -> Vec<&str> {
    s.enumeration.iter().flatten().map(String::as_str).collect()
}

impl<'a, 's> Resolver<'a, 's> {
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
        if let Some(existing) = enum_key
            .as_ref()
            .and_then(|k| self.names.inline_enums.get(k))
        {
            return TypeRef::Named(existing.clone());
        }
        if let Some(existing) = self.names.defined_at.get(pointer) {
            return TypeRef::Named(existing.clone());
        }
        let name = self.names.reserve(hint, pointer);
        self.names
            .defined_at
            .insert(pointer.to_owned(), name.clone());
        self.guards.inline.push((schema, name.clone()));
        self.define(&name, schema, pointer);
        self.guards.inline.pop();
        if let Some(key) = enum_key {
            self.names.inline_enums.insert(key, name.clone());
        }
        TypeRef::Named(name)
    }

    /// The Rust type of a schema used at `pointer`; inline structs and enums are named `hint`.
    pub(super) fn schema_type(&mut self, node: Node<'a>, pointer: &str, hint: &str) -> TypeRef {
        if self.guards.depth >= MAX_DEPTH {
            self.sink.error(
                pointer,
                format!("schemas nest more than {MAX_DEPTH} levels deep here: not followed"),
            );
            return TypeRef::Json;
        }
        self.guards.depth += 1;
        let ty = self.schema_type_inner(node, pointer, hint);
        self.guards.depth -= 1;
        ty
    }

    fn schema_type_inner(&mut self, node: Node<'a>, pointer: &str, hint: &str) -> TypeRef {
        let schema = match node {
            Node::Ref(reference) => return self.reference_type(reference, pointer),
            Node::Inline(schema) => schema,
        };
        if is_nominal(schema) {
            let address: *const Schema = schema;
            if let Some((_, name)) = self.guards.inline.iter().find(|(a, _)| *a == address) {
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
                    TypeRef::File
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
                    TypeRef::Array(Box::new(self.nullable(node, inner)))
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
                TypeRef::Map(Box::new(self.nullable(node, inner)))
            }
            // A free-form object: any JSON value.
            _ => TypeRef::Json,
        }
    }

    pub(super) fn unsupported(&mut self, pointer: &str, what: &str) {
        self.sink.warn(
            pointer,
            format!("{what} is not typed yet: generated as a JSON value (serde_json::Value)"),
        );
    }
}

impl<'a> Resolver<'a, '_> {
    /// An array item or map value of `node`: `Option<T>` when its schema says `nullable: true`,
    /// on the schema itself or on the one a `$ref` names (plaid.com's `PlaidError`, `null` in
    /// its examples); a JSON value holds `null` already.
    pub(super) fn nullable(&self, node: Node<'a>, ty: TypeRef) -> TypeRef {
        if self.is_nullable(node) && ty != TypeRef::Json {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    /// Whether `node`'s schema, or the one its `$ref`s lead to, says `nullable: true`.
    pub(super) fn is_nullable(&self, node: Node<'a>) -> bool {
        self.deref_schema(node)
            .is_some_and(|s| s.schema_data.nullable)
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

/// The date type of a `format: date` or `format: date-time` string.
pub(super) fn date_type(s: &openapiv3::StringType) -> Option<TypeRef> {
    match &s.format {
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Date) => Some(TypeRef::Date),
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => Some(TypeRef::DateTime),
        _ => None,
    }
}

pub(super) fn field_constraints(schema: &Schema) -> Constraints {
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
