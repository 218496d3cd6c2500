//! How the generated code writes a type: one spelling, which the emitters turn into tokens and
//! `api-diff` prints when it names the Rust item a change moves. A field, an argument or a body
//! is spelled here and nowhere else.

use std::fmt;

use proc_macro2::TokenStream;
use quote::{quote, ToTokens, TokenStreamExt};

use super::ident;
use crate::model::{Encoding, Field, Param, ParamType, RequestBody, TypeRef};

/// How a module writes a prelude name (`Option`, `Vec`, `String`, `Box`): in full
/// (`::std::vec::Vec`) where one of its types shadows it.
pub type Prelude<'a> = &'a dyn Fn(&'static str) -> &'static str;

/// The prelude as it is, where no type shadows it (reports).
pub fn plain(name: &'static str) -> &'static str {
    name
}

/// A Rust type as the generated code writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spelled {
    /// A path: `bool`, `str`, `rt::SecretString`, `::chrono::NaiveDate`, `::std::vec::Vec`.
    Path(&'static str),
    /// A type of the module, by its Rust name.
    Named(String),
    /// `Path<A, B>`.
    Generic(&'static str, Vec<Spelled>),
    /// `&T`.
    Ref(Box<Spelled>),
    /// `&[T]`.
    Slice(Box<Spelled>),
    /// `()`.
    Unit,
}

impl Spelled {
    fn generic(path: &'static str, args: impl IntoIterator<Item = Spelled>) -> Self {
        Spelled::Generic(path, args.into_iter().collect())
    }

    fn reference(self) -> Self {
        Spelled::Ref(Box::new(self))
    }

    fn slice(self) -> Self {
        Spelled::Slice(Box::new(self))
    }

    /// `Option<self>`.
    fn optional(self, std: Prelude) -> Self {
        Spelled::generic(std("Option"), [self])
    }
}

impl fmt::Display for Spelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spelled::Path(path) => f.write_str(path),
            Spelled::Named(name) => f.write_str(name),
            Spelled::Generic(path, args) => {
                write!(f, "{path}<")?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(">")
            }
            Spelled::Ref(inner) => write!(f, "&{inner}"),
            Spelled::Slice(inner) => write!(f, "&[{inner}]"),
            Spelled::Unit => f.write_str("()"),
        }
    }
}

impl ToTokens for Spelled {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            // Paths are the fixed texts of this file: they always parse.
            Spelled::Path(path) => tokens.extend(path.parse::<TokenStream>().unwrap_or_default()),
            Spelled::Named(name) => tokens.append(ident(name)),
            Spelled::Generic(path, args) => {
                let path = Spelled::Path(path);
                tokens.extend(quote!(#path<#(#args),*>));
            }
            Spelled::Ref(inner) => tokens.extend(quote!(&#inner)),
            Spelled::Slice(inner) => tokens.extend(quote!(&[#inner])),
            Spelled::Unit => tokens.extend(quote!(())),
        }
    }
}

impl Spelled {
    /// The tokens of this type with its references borrowed for `'a` (a call type's fields:
    /// `&'a str`, `Option<&'a [i64]>`).
    pub fn borrowed_for_a(&self) -> TokenStream {
        match self {
            Spelled::Generic(path, args) => {
                let path = Spelled::Path(path);
                let args = args.iter().map(Spelled::borrowed_for_a);
                quote!(#path<#(#args),*>)
            }
            Spelled::Ref(inner) => {
                let inner = inner.borrowed_for_a();
                quote!(&'a #inner)
            }
            Spelled::Slice(inner) => {
                let inner = inner.borrowed_for_a();
                quote!(&'a [#inner])
            }
            other => other.to_token_stream(),
        }
    }

    /// The type inside `Option<..>`, or the type itself.
    pub fn unwrap_optional(&self) -> &Spelled {
        match self {
            Spelled::Generic(path, args) if path.ends_with("Option") && args.len() == 1 => &args[0],
            other => other,
        }
    }
}

/// A value's type: a field's (before `Option` and `Box`), an item's, a response body's.
pub fn value(std: Prelude, ty: &TypeRef) -> Spelled {
    match ty {
        TypeRef::String => Spelled::Path(std("String")),
        TypeRef::Secret => Spelled::Path("rt::SecretString"),
        TypeRef::Bool => Spelled::Path("bool"),
        TypeRef::I32 => Spelled::Path("i32"),
        TypeRef::I64 => Spelled::Path("i64"),
        TypeRef::F32 => Spelled::Path("f32"),
        TypeRef::F64 => Spelled::Path("f64"),
        TypeRef::Json => Spelled::Path("serde_json::Value"),
        TypeRef::Date => Spelled::Path("::chrono::NaiveDate"),
        TypeRef::DateTime => {
            Spelled::generic("::chrono::DateTime", [Spelled::Path("::chrono::Utc")])
        }
        TypeRef::Bytes => Spelled::generic(std("Vec"), [Spelled::Path("u8")]),
        TypeRef::File => Spelled::Path("rt::FilePart"),
        TypeRef::Named(name) => Spelled::Named(name.clone()),
        TypeRef::Array(inner) => Spelled::generic(std("Vec"), [value(std, inner)]),
        TypeRef::Map(inner) => Spelled::generic(
            "std::collections::BTreeMap",
            [Spelled::Path(std("String")), value(std, inner)],
        ),
        TypeRef::Nullable(inner) => value(std, inner).optional(std),
    }
}

/// A struct field's type as declared: boxed when recursive, optional unless required and not
/// nullable.
pub fn field(std: Prelude, f: &Field) -> Spelled {
    let mut ty = value(std, &f.ty);
    if f.boxed {
        ty = Spelled::generic(std("Box"), [ty]);
    }
    if !f.required || f.nullable {
        ty = ty.optional(std);
    }
    ty
}

/// A value passed by reference: `&str` for strings, a slice for arrays and bytes, `&T`
/// otherwise (bodies, structured query values).
pub fn borrowed(std: Prelude, ty: &TypeRef) -> Spelled {
    match ty {
        TypeRef::String => Spelled::Path("str").reference(),
        TypeRef::Bytes => Spelled::Path("u8").slice(),
        TypeRef::Array(inner) => value(std, inner).slice(),
        other => value(std, other).reference(),
    }
}

/// A parameter's type, before `Option`.
pub fn param(std: Prelude, ty: &ParamType) -> Spelled {
    match ty {
        ParamType::Str => Spelled::Path("str").reference(),
        ParamType::Enum(name) => Spelled::Named(name.clone()),
        ParamType::I32 => Spelled::Path("i32"),
        ParamType::I64 => Spelled::Path("i64"),
        ParamType::F64 => Spelled::Path("f64"),
        ParamType::Bool => Spelled::Path("bool"),
        ParamType::Date => value(std, &TypeRef::Date),
        ParamType::DateTime => value(std, &TypeRef::DateTime),
        ParamType::List { item, .. } => param(std, item).slice(),
        ParamType::Structured { ty, .. } => borrowed(std, ty),
    }
}

/// A parameter's argument: its type, optional unless required.
pub fn argument(std: Prelude, p: &Param) -> Spelled {
    let ty = param(std, &p.ty);
    if p.required {
        ty
    } else {
        ty.optional(std)
    }
}

/// The body's argument: borrowed, optional unless required; the parts the caller writes for
/// a `multipart/form-data` body without an object schema; an `rt::Body` for raw bytes (in
/// memory, a file or a stream: the function takes `impl Into<rt::Body>`).
pub fn body_argument(std: Prelude, b: &RequestBody) -> Spelled {
    let ty = match b.encoding {
        Encoding::RawMultipart => Spelled::Path("rt::Multipart"),
        Encoding::Bytes => Spelled::Path("rt::Body"),
        _ => borrowed(std, &b.ty),
    };
    if b.required {
        ty
    } else {
        ty.optional(std)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_tokens_agree() {
        let ty = TypeRef::Map(Box::new(TypeRef::Nullable(Box::new(TypeRef::Array(
            Box::new(TypeRef::DateTime),
        )))));
        let spelled = value(&plain, &ty);
        assert_eq!(
            spelled.to_string(),
            "std::collections::BTreeMap<String, Option<Vec<::chrono::DateTime<::chrono::Utc>>>>"
        );
        let tokens = quote!(#spelled).to_string().replace(' ', "");
        assert_eq!(tokens, spelled.to_string().replace(' ', ""));
        let list = ParamType::List {
            item: Box::new(ParamType::Str),
            explode: true,
            delimiter: ',',
        };
        assert_eq!(param(&plain, &list).to_string(), "&[&str]");
        assert_eq!(borrowed(&plain, &TypeRef::Bytes).to_string(), "&[u8]");
    }
}
