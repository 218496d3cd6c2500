//! The models of a module (structs, string enums, unions), the Rust type of a value
//! (`TypeRef`), and the checks a value's schema sets on it (`Constraints`, `Pattern`).

/// A model of the module.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// An object: a struct.
    Struct(StructDef),
    /// A string enum.
    Enum(EnumDef),
    /// `oneOf`/`anyOf`: the first member a value decodes as, else the fallback.
    Union(UnionDef),
}

/// A value of one of several types: an enum with a variant per type.
#[derive(Debug, Clone)]
pub struct UnionDef {
    /// The Rust name.
    pub name: String,
    /// The schema's description.
    pub doc: Option<String>,
    /// One per type, in the spec's order.
    pub variants: Vec<UnionVariant>,
    /// The variant holding a value that matches no member (a JSON value).
    pub fallback: String,
    /// The spec's `discriminator`: the variant is the one its property names, not the first
    /// that fits.
    pub tag: Option<UnionTag>,
}

/// A `discriminator`: which property names the variant, and the value of each variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionTag {
    /// The property, as on the wire.
    pub property: String,
    /// Wire value -> index into the union's variants, in the spec's order.
    pub values: Vec<(String, usize)>,
}

/// One type of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The variant's Rust name.
    pub name: String,
    /// The type it holds.
    pub ty: TypeRef,
    /// Set by cycle detection, as for struct fields.
    pub boxed: bool,
}

impl TypeDef {
    /// The Rust name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Union(u) => &u.name,
        }
    }
}

/// An object schema, as a struct.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// The Rust name.
    pub name: String,
    /// The schema's description.
    pub doc: Option<String>,
    /// The properties, in the spec's order.
    pub fields: Vec<Field>,
    /// A free-form remainder (`additionalProperties`) kept beside the fixed fields.
    pub additional: Option<Remainder>,
}

/// The free-form remainder of an object: its own field, a map of the values.
#[derive(Debug, Clone, PartialEq)]
pub struct Remainder {
    /// The field's Rust name (`additional_properties`, unless a property takes it).
    pub field: String,
    /// The type of each value.
    pub ty: TypeRef,
}

/// A property of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The property's name on the wire.
    pub wire: String,
    /// The property's description.
    pub doc: Option<String>,
    /// The field's type (without the `Option` of an optional field).
    pub ty: TypeRef,
    /// Whether the object's `required` lists it.
    pub required: bool,
    /// `nullable: true`: a required field that may be `null` is still an `Option`.
    pub nullable: bool,
    /// Set by cycle detection: the field refers back to its own struct without indirection.
    pub boxed: bool,
    /// Constraints of an inline string or number property, checked in request bodies.
    pub constraints: Constraints,
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// The Rust name.
    pub name: String,
    /// The schema's description.
    pub doc: Option<String>,
    /// The values the spec lists, in its order.
    pub variants: Vec<Variant>,
    /// The variant that carries a value the spec does not list (`Unknown` unless taken).
    pub fallback: String,
}

/// One value of a string enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub wire: String,
    /// Its description (`x-ms-enum`'s).
    pub doc: Option<String>,
}

impl TypeRef {
    /// Whether the type is, or holds, a `chrono` date.
    pub fn has_date(&self) -> bool {
        match self {
            TypeRef::Date | TypeRef::DateTime => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.has_date()
            }
            _ => false,
        }
    }

    /// The type without a `Nullable` around it.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner,
            other => other,
        }
    }
}

/// The Rust type of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// A string the spec marks `x-ms-secret`.
    Secret,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// Any JSON value (free-form objects, schemas without a type).
    Json,
    /// A type of this module, by Rust name.
    Named(String),
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// A map from string keys (`additionalProperties`).
    Map(Box<TypeRef>),
    /// An array item or map value that may be `null` (`nullable: true` on `items` or
    /// `additionalProperties`): `Option<T>`.
    Nullable(Box<TypeRef>),
    /// Raw bytes: a body of a non-JSON, non-text media type.
    Bytes,
    /// A file part of a `multipart/form-data` body (`format: binary` in its schema):
    /// `rt::FilePart`, in memory or read as the request is sent.
    File,
    /// `format: date`: `chrono::NaiveDate`.
    Date,
    /// `format: date-time`: `chrono::DateTime<chrono::Utc>` (RFC 3339 on the wire).
    DateTime,
}

/// The checks of a value, from its schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`, in characters.
    pub min_length: Option<usize>,
    /// `maxLength`, in characters.
    pub max_length: Option<usize>,
    /// `pattern`.
    pub pattern: Option<Pattern>,
    /// `format: uuid`.
    pub uuid: bool,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
}

/// A `pattern`, translated for the engine that runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as the engine reads it.
    pub source: String,
    /// The engine that compiles it.
    pub engine: Engine,
}

/// The regex engine a pattern needs: `regex` when it can, `fancy-regex` for lookaround and
/// backreferences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Engine {
    /// `regex`.
    Regex,
    /// `fancy-regex`: lookaround, backreferences.
    Fancy,
}
