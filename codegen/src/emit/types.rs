//! Emits the models: structs for object schemas, open enums for string enums.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

use super::{doc_attrs, ident, spelling, Ctx};
use crate::model::{EnumDef, Field, StructDef, TypeDef, TypeRef, UnionDef, UnionTag};
use crate::names;

/// The definition of one model and its impls, each item behind `gate` (a `#[cfg]`, or nothing).
pub fn type_def(ctx: &Ctx, def: &TypeDef, gate: &TokenStream) -> TokenStream {
    match def {
        TypeDef::Struct(s) => struct_def(ctx, s, gate),
        TypeDef::Enum(e) => enum_def(ctx, e, gate),
        TypeDef::Union(u) => union_def(ctx, u, gate),
    }
}

/// The Rust type of a value, as a field or a body.
pub fn rust_type(ctx: &Ctx, ty: &TypeRef) -> TokenStream {
    spelling::value(&|name| ctx.std_str(name), ty).into_token_stream()
}

/// The Rust type of a field as declared: boxed when recursive, optional unless required and
/// not nullable.
fn field_type(ctx: &Ctx, f: &Field) -> TokenStream {
    spelling::field(&|name| ctx.std_str(name), f).into_token_stream()
}

/// A struct field; with `serde_attrs`, the attributes serde's derives read.
fn field(ctx: &Ctx, f: &Field, serde_attrs: bool) -> TokenStream {
    let mut doc = f.doc.clone().unwrap_or_default();
    if f.ty == TypeRef::Secret {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str("Secret: redacted in `Debug` output and zeroed when dropped.");
    }
    let docs = doc_attrs(Some(&doc));
    let name = ident(&f.name);
    let ty = field_type(ctx, f);
    let mut serde_args = Vec::new();
    if serde_attrs {
        if names::unraw(&f.name) != f.wire {
            let wire = &f.wire;
            serde_args.push(quote!(rename = #wire));
        }
        if !f.required {
            let skip = format!("{}::is_none", ctx.std_str("Option"));
            serde_args.push(quote!(default, skip_serializing_if = #skip));
        }
    }
    let serde_attr = if serde_args.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#serde_args),*)])
    };
    quote! {
        #docs
        #serde_attr
        pub #name: #ty,
    }
}

fn struct_def(ctx: &Ctx, s: &StructDef, gate: &TokenStream) -> TokenStream {
    if s.additional.is_some() {
        return derived_struct_def(ctx, s, gate);
    }
    let docs = doc_attrs(s.doc.as_deref());
    let name = ident(&s.name);
    let fields = s.fields.iter().map(|f| field(ctx, f, false));
    let all_optional = s.fields.iter().all(|f| !f.required || f.nullable);
    let default = if all_optional {
        quote!(Default,)
    } else {
        quote!()
    };
    let (ser_gate, de_gate) = ctx.serde_gates(&s.name);
    let list = object_fields(s);
    let constructor = constructor(ctx, s, None, gate);
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
        }

        #constructor

        #gate
        #ser_gate
        rt::serialize_object!(rt, #name { #list });

        #gate
        #de_gate
        rt::deserialize_object!(rt, #name { #list });
    }
}

/// The field list the runtime's `serialize_object!`/`deserialize_object!` read:
/// `name: kind("wire")`.
fn object_fields(s: &StructDef) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let kind = match (f.required, f.nullable) {
            (true, false) => format_ident!("required"),
            (true, true) => format_ident!("nullable"),
            (false, _) => format_ident!("optional"),
        };
        quote!(#fname: #kind(#wire),)
    });
    quote!(#(#fields)*)
}

/// A struct with a free-form remainder (`additionalProperties` beside fixed fields): serde's
/// derives, whose `flatten` collects the remainder.
fn derived_struct_def(ctx: &Ctx, s: &StructDef, gate: &TokenStream) -> TokenStream {
    let docs = doc_attrs(s.doc.as_deref());
    let name = ident(&s.name);
    let mut fields: Vec<TokenStream> = s.fields.iter().map(|f| field(ctx, f, true)).collect();
    let mut remainder = None;
    if let Some(additional) = &s.additional {
        let field_name = ident(&additional.field);
        remainder = Some(field_name.clone());
        let map = rust_type(ctx, &TypeRef::Map(Box::new(additional.ty.clone())));
        fields.push(quote! {
            /// Properties beyond the ones listed above.
            #[serde(flatten)]
            pub #field_name: #map,
        });
    }
    let all_optional = s.fields.iter().all(|f| !f.required || f.nullable);
    let default = if all_optional {
        quote!(Default,)
    } else {
        quote!()
    };
    let (serde, optional) = ctx.serde_derives(&s.name);
    let constructor = constructor(ctx, s, remainder.as_ref(), gate);
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, PartialEq, #default #serde)]
        #optional
        pub struct #name {
            #(#fields)*
        }

        #constructor
    }
}

/// `new(required fields...)` of a struct a request sends that has required fields (one with
/// none derives `Default`): the optional fields `None`, the remainder empty. Callers write
/// `Model { optional: Some(..), ..Model::new(a, b) }`, which a new optional field in the spec
/// does not break.
fn constructor(
    ctx: &Ctx,
    s: &StructDef,
    remainder: Option<&proc_macro2::Ident>,
    gate: &TokenStream,
) -> TokenStream {
    let required: Vec<_> = s
        .fields
        .iter()
        .filter(|f| f.required && !f.nullable)
        .collect();
    if required.is_empty() || !ctx.usage.sent.contains(&s.name) {
        return quote!();
    }
    let string = ctx.std("String");
    let into = quote!(::std::convert::Into<#string>);
    let args = required.iter().map(|f| {
        let name = ident(&f.name);
        if f.ty == TypeRef::String && !f.boxed {
            quote!(#name: impl #into)
        } else if f.ty == TypeRef::File && !f.boxed {
            quote!(#name: impl ::std::convert::Into<rt::FilePart>)
        } else {
            let ty = super::spelling::field(&|n| ctx.std_str(n), f);
            quote!(#name: #ty)
        }
    });
    let values = s.fields.iter().map(|f| {
        let name = ident(&f.name);
        if !f.required || f.nullable {
            quote!(#name: None,)
        } else if matches!(f.ty, TypeRef::String | TypeRef::File) && !f.boxed {
            quote!(#name: #name.into(),)
        } else {
            quote!(#name,)
        }
    });
    let remainder = remainder.map(|r| quote!(#r: Default::default(),));
    let many = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let name = ident(&s.name);
    let shown = crate::names::unraw(&s.name);
    let doc = format!(
        "The required fields; the optional ones are `None`: `{shown} {{ field: Some(..), ..{shown}::new(..) }}`."
    );
    let docs = doc_attrs(Some(&doc));
    quote! {
        #gate
        impl #name {
            #docs
            #many
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#values)*
                    #remainder
                }
            }
        }
    }
}

fn enum_def(ctx: &Ctx, e: &EnumDef, gate: &TokenStream) -> TokenStream {
    let mut doc = e.doc.clone().unwrap_or_default();
    if !doc.trim().is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(
        "Values the spec does not list decode as the last variant, so a response from a newer\n\
         service version still decodes.",
    );
    let docs = doc_attrs(Some(&doc));
    let name = ident(&e.name);
    let string = ctx.std("String");
    let result = ctx.std("Result");
    let from = ctx.std("From");
    let fallback = ident(&e.fallback);
    let variants = e.variants.iter().map(|v| {
        let wire_doc = if v.wire.is_empty() {
            "The empty string.".to_owned()
        } else {
            format!("`{}`", v.wire.replace('`', "'"))
        };
        let docs = doc_attrs(Some(v.doc.as_deref().unwrap_or(&wire_doc)));
        let vname = ident(&v.name);
        quote!(#docs #vname,)
    });
    let to_wire = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        quote!(Self::#vname => #wire,)
    });
    let from_wire = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        quote!(#wire => Self::#vname,)
    });
    let serializer = format_ident!("S");
    let deserializer = format_ident!("D");
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the spec does not list.
            #fallback(#string),
        }

        #gate
        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#fallback(value) => value,
                }
            }

            /// Whether the value is one the spec lists.
            pub fn is_known(&self) -> bool {
                !matches!(Self::from(self.as_str()), Self::#fallback(_))
            }
        }

        #gate
        impl #from<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::#fallback(other.to_owned()),
                }
            }
        }

        #gate
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #gate
        impl serde::Serialize for #name {
            fn serialize<#serializer: serde::Serializer>(&self, serializer: #serializer) -> #result<#serializer::Ok, #serializer::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<#deserializer: serde::Deserializer<'de>>(deserializer: #deserializer) -> #result<Self, #deserializer::Error> {
                let value = <#string as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

fn union_def(ctx: &Ctx, u: &UnionDef, gate: &TokenStream) -> TokenStream {
    if let Some(tag) = &u.tag {
        return tagged_union_def(ctx, u, tag, gate);
    }
    let mut doc = u.doc.clone().unwrap_or_default();
    if !doc.trim().is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(
        "One of several shapes (`oneOf`/`anyOf`): a value decodes as the first variant it fits,\n\
         and as the last variant when it fits none.",
    );
    let docs = doc_attrs(Some(&doc));
    let name = ident(&u.name);
    let fallback = ident(&u.fallback);
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let mut ty = rust_type(ctx, &v.ty);
        if v.boxed {
            let boxed = ctx.std("Box");
            ty = quote!(#boxed<#ty>);
        }
        quote!(#vname(#ty),)
    });
    let (serde, optional) = ctx.serde_derives(&u.name);
    let from_text = from_text(ctx, u, gate);
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, PartialEq, #serde)]
        #optional
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A value that fits none of the shapes above.
            #fallback(serde_json::Value),
        }

        #from_text
    }
}

/// `From<&str>` and `From<String>` for a union with exactly one string member, building that
/// variant (`Id::from("abc")`); nothing when it has none or several.
fn from_text(ctx: &Ctx, u: &UnionDef, gate: &TokenStream) -> TokenStream {
    let mut text = u.variants.iter().filter(|v| v.ty == TypeRef::String);
    let (Some(variant), None) = (text.next(), text.next()) else {
        return quote!();
    };
    let name = ident(&u.name);
    let vname = ident(&variant.name);
    let from = ctx.std("From");
    let string = ctx.std("String");
    let doc = doc_attrs(Some(&format!(
        "The text as [`{}::{}`].",
        crate::names::unraw(&u.name),
        crate::names::unraw(&variant.name)
    )));
    quote! {
        #gate
        impl #from<&str> for #name {
            #doc
            fn from(value: &str) -> Self {
                Self::#vname(value.to_owned())
            }
        }

        #gate
        impl #from<#string> for #name {
            #doc
            fn from(value: #string) -> Self {
                Self::#vname(value)
            }
        }
    }
}

/// A `oneOf` with a `discriminator`: the property's value picks the variant; a value it does not
/// name (or without the property) is kept as JSON in the last variant.
fn tagged_union_def(ctx: &Ctx, u: &UnionDef, tag: &UnionTag, gate: &TokenStream) -> TokenStream {
    let property = &tag.property;
    let mut doc = u.doc.clone().unwrap_or_default();
    if !doc.trim().is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "One of several objects, told apart by their `{}` property; a value whose `{}` names\n\
         none of them decodes as the last variant.",
        property.replace('`', "'"),
        property.replace('`', "'"),
    ));
    let docs = doc_attrs(Some(&doc));
    let name = ident(&u.name);
    let fallback = ident(&u.fallback);
    let result = ctx.std("Result");
    let variants = u.variants.iter().enumerate().map(|(i, v)| {
        let values: Vec<String> = tag
            .values
            .iter()
            .filter(|(_, index)| *index == i)
            .map(|(value, _)| format!("`{}`", value.replace('`', "'")))
            .collect();
        let text = if values.is_empty() {
            format!("Listed by the spec, but no `{property}` value names it.")
        } else {
            format!("`{property}` is {}.", values.join(" or "))
        };
        let docs = doc_attrs(Some(&text));
        let vname = ident(&v.name);
        let mut ty = rust_type(ctx, &v.ty);
        if v.boxed {
            let boxed = ctx.std("Box");
            ty = quote!(#boxed<#ty>);
        }
        quote!(#docs #vname(#ty),)
    });
    let serialize_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        quote!(Self::#vname(value) => serde::Serialize::serialize(value, serializer),)
    });
    let deserialize_arms = tag.values.iter().filter_map(|(value, index)| {
        let v = u.variants.get(*index)?;
        let vname = ident(&v.name);
        Some(quote!(Some(#value) => serde_json::from_value(value).map(Self::#vname),))
    });
    let (ser_gate, de_gate) = ctx.serde_gates(&u.name);
    let serializer = format_ident!("S");
    let deserializer = format_ident!("D");
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A value whose discriminator the spec does not list, or that has none.
            #fallback(serde_json::Value),
        }

        #gate
        #ser_gate
        impl serde::Serialize for #name {
            fn serialize<#serializer: serde::Serializer>(&self, serializer: #serializer) -> #result<#serializer::Ok, #serializer::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#fallback(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        #gate
        #de_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<#deserializer: serde::Deserializer<'de>>(deserializer: #deserializer) -> #result<Self, #deserializer::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let decoded = match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#deserialize_arms)*
                    _ => return Ok(Self::#fallback(value)),
                };
                decoded.map_err(<#deserializer::Error as serde::de::Error>::custom)
            }
        }
    }
}
