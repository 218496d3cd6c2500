//! Emits the checks of constraints: on parameters (in the operation), and on request bodies
//! (`rt::check::Validate` for every type that has something to check).

use std::collections::HashSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{ident, Ctx};
use crate::model::{Api, Constraints, Field, Location, Param, ParamType, TypeDef, TypeRef};
use crate::names;

/// The kind of value a constraint applies to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `&str` (or `&String`).
    Str,
    /// A `SecretString`.
    Secret,
    /// An `i32`.
    I32,
    /// An `i64`.
    I64,
    /// An `f64`.
    F64,
    /// An `f32`.
    F32,
    /// Anything else (no constraint applies).
    Other,
}

impl Kind {
    /// The kind of value `ty` is.
    pub fn of(ty: &TypeRef) -> Kind {
        match ty {
            TypeRef::String => Kind::Str,
            TypeRef::Secret => Kind::Secret,
            TypeRef::I32 => Kind::I32,
            TypeRef::I64 => Kind::I64,
            TypeRef::F32 => Kind::F32,
            TypeRef::F64 => Kind::F64,
            _ => Kind::Other,
        }
    }
}

/// The `static` patterns and the checks of one parameter, in the order the spec lists them.
pub fn param_checks(p: &Param) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let wire = &p.wire;
    let value = format_ident!("value");
    // Query values never appear in errors (they may carry tokens); path and header values do.
    let redact = p.location == Location::Query;
    let (statics, mut checks) = match &p.ty {
        ParamType::List { item, .. } if matches!(**item, ParamType::Enum(_)) => {
            let check = quote!(rt::check::known(#wire, item.as_str(), item.is_known()));
            let check = if redact {
                quote!(rt::check::redacted(#check)?;)
            } else {
                quote!(#check?;)
            };
            (
                Vec::new(),
                vec![quote!(for item in #value.iter() { #check })],
            )
        }
        ParamType::Enum(_) if redact => (
            Vec::new(),
            vec![
                quote!(rt::check::redacted(rt::check::known(#wire, #value.as_str(), #value.is_known()))?;),
            ],
        ),
        ParamType::Enum(_) => (
            Vec::new(),
            vec![quote!(rt::check::known(#wire, #value.as_str(), #value.is_known())?;)],
        ),
        other => {
            let kind = match other {
                ParamType::Str => Kind::Str,
                ParamType::I32 => Kind::I32,
                ParamType::I64 => Kind::I64,
                ParamType::F64 => Kind::F64,
                // Constraints on list items are not checked yet (their schema is the items').
                _ => Kind::Other,
            };
            value_checks(
                wire,
                &names::const_name(&p.name),
                kind,
                &p.constraints,
                redact,
            )
        }
    };
    if checks.is_empty() {
        return (statics, checks);
    }
    let pname = ident(&p.name);
    let binding = if matches!(p.ty, ParamType::Enum(_)) {
        quote!(&#pname)
    } else {
        quote!(#pname)
    };
    let body = std::mem::take(&mut checks);
    let checks = if p.required {
        quote! {
            let #value = #binding;
            #(#body)*
        }
    } else {
        quote! {
            if let Some(#value) = #binding {
                #(#body)*
            }
        }
    };
    (statics, vec![wrap_block(checks, p.required)])
}

/// Required checks run in their own block so the `value` binding stays local.
fn wrap_block(checks: TokenStream, required: bool) -> TokenStream {
    if required {
        quote!({ #checks })
    } else {
        checks
    }
}

/// Statics (compiled patterns) and checks for one value bound to `value` (`&str` for strings,
/// a number by value for numbers). `at` names the value in errors.
/// With `redact`, a failed check does not show the value (query values and secrets never
/// appear in errors).
pub fn value_checks(
    at: &str,
    static_prefix: &str,
    kind: Kind,
    c: &Constraints,
    redact: bool,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let value = format_ident!("value");
    let mut statics = Vec::new();
    let mut checks = Vec::new();
    match kind {
        Kind::Str | Kind::Secret => {
            let mut exprs = Vec::new();
            if c.uuid {
                exprs.push(quote!(rt::check::uuid(#at, #value)));
            }
            if let Some(min) = c.min_length {
                let min = Literal::usize_unsuffixed(min);
                exprs.push(quote!(rt::check::min_length(#at, #value, #min)));
            }
            if let Some(max) = c.max_length {
                let max = Literal::usize_unsuffixed(max);
                exprs.push(quote!(rt::check::max_length(#at, #value, #max)));
            }
            if let Some(pattern) = &c.pattern {
                let static_name = format_ident!("{}_PATTERN", static_prefix);
                let source = &pattern.source;
                statics.push(quote!(static #static_name: rt::Pattern = rt::Pattern::new(#source);));
                exprs.push(quote!(#static_name.check(#at, #value)));
            }
            // A secret never appears in an error, even when it breaks a constraint.
            checks.extend(exprs.into_iter().map(|e| {
                if redact || kind == Kind::Secret {
                    quote!(rt::check::redacted(#e)?;)
                } else {
                    quote!(#e?;)
                }
            }));
        }
        Kind::I32 | Kind::I64 | Kind::F32 | Kind::F64 => {
            let as_f64 = match kind {
                Kind::I32 | Kind::F32 => quote!(f64::from(#value)),
                // Bounds beyond 2^53 lose precision; specs do not use such bounds.
                Kind::I64 => quote!(#value as f64),
                _ => quote!(#value),
            };
            let mut exprs = Vec::new();
            if let Some(min) = c.minimum {
                let min = Literal::f64_suffixed(min);
                exprs.push(quote!(rt::check::minimum(#at, #as_f64, #min)));
            }
            if let Some(max) = c.maximum {
                let max = Literal::f64_suffixed(max);
                exprs.push(quote!(rt::check::maximum(#at, #as_f64, #max)));
            }
            checks.extend(exprs.into_iter().map(|e| {
                if redact {
                    quote!(rt::check::redacted(#e)?;)
                } else {
                    quote!(#e?;)
                }
            }));
        }
        Kind::Other => {}
    }
    (statics, checks)
}

/// The types of the module that implement `rt::check::Validate`: of the types a request sends,
/// every enum, and every struct with a constrained field or a field of such a type.
pub fn needs_validation(api: &Api, sent: &HashSet<String>) -> HashSet<String> {
    let mut needs: HashSet<String> = api
        .types
        .iter()
        .filter(|t| matches!(t, TypeDef::Enum(_)) && sent.contains(t.name()))
        .map(|t| t.name().to_owned())
        .collect();
    loop {
        let before = needs.len();
        for t in &api.types {
            if let TypeDef::Struct(s) = t {
                if !sent.contains(&s.name) {
                    continue;
                }
                let has = s.fields.iter().any(|f| field_needs(f, &needs))
                    || s.additional.as_ref().is_some_and(|a| refers(&a.ty, &needs));
                if has {
                    needs.insert(s.name.clone());
                }
            }
        }
        if needs.len() == before {
            return needs;
        }
    }
}

fn field_needs(f: &Field, needs: &HashSet<String>) -> bool {
    f.constraints != Constraints::default() || refers(&f.ty, needs)
}

/// Whether a value of `ty` holds a type that needs validation.
pub fn refers(ty: &TypeRef, needs: &HashSet<String>) -> bool {
    match ty {
        TypeRef::Named(n) => needs.contains(n),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            refers(inner, needs)
        }
        _ => false,
    }
}

/// Code that validates `expr` (a reference to a value of `ty`) as `at`, or nothing.
pub fn nested(ty: &TypeRef, expr: TokenStream, at: &str, needs: &HashSet<String>) -> TokenStream {
    match ty {
        TypeRef::Named(n) if needs.contains(n) => {
            quote!(rt::check::Validate::validate(#expr, #at)?;)
        }
        TypeRef::Array(inner) if refers(inner, needs) => {
            let body = nested(inner, quote!(item), at, needs);
            quote!(for item in #expr { #body })
        }
        TypeRef::Map(inner) if refers(inner, needs) => {
            let body = nested(inner, quote!(item), at, needs);
            quote!(for item in (#expr).values() { #body })
        }
        TypeRef::Nullable(inner) if refers(inner, needs) => {
            let body = nested(inner, quote!(item), at, needs);
            quote!(if let Some(item) = #expr { #body })
        }
        _ => quote!(),
    }
}

/// `impl rt::check::Validate` for one type, if it needs one.
pub fn validate_impl(
    ctx: &Ctx,
    def: &TypeDef,
    needs: &HashSet<String>,
    gate: &TokenStream,
) -> TokenStream {
    if !needs.contains(def.name()) {
        return quote!();
    }
    let name = ident(def.name());
    let result = ctx.std("Result");
    match def {
        // Members of a union are not checked yet; unions never enter `needs_validation`.
        TypeDef::Union(_) => quote!(),
        TypeDef::Enum(_) => quote! {
            #gate
            impl rt::check::Validate for #name {
                fn validate(&self, at: &'static str) -> #result<(), rt::InvalidParameter> {
                    rt::check::known(at, self.as_str(), self.is_known())
                }
            }
        },
        TypeDef::Struct(s) => {
            let mut statics = Vec::new();
            let mut checks = Vec::new();
            for f in &s.fields {
                if !field_needs(f, needs) {
                    continue;
                }
                let at = format!("{}.{}", s.name, f.wire);
                let fname = ident(&f.name);
                let kind = Kind::of(&f.ty);
                let prefix = names::const_name(&f.name);
                let (s_, c_) = value_checks(&at, &prefix, kind, &f.constraints, false);
                statics.extend(s_);
                let bind = match kind {
                    Kind::Secret => quote!(let value = value.expose_secret();),
                    Kind::Str => quote!(let value = value.as_str();),
                    Kind::I32 | Kind::I64 | Kind::F32 | Kind::F64 => quote!(let value = *value;),
                    Kind::Other => quote!(),
                };
                let inner = nested(&f.ty, quote!(value), &at, needs);
                // Constraints the value's type cannot be checked against (a length on bytes).
                if c_.is_empty() && inner.is_empty() {
                    continue;
                }
                let body = quote!(#bind #(#c_)* #inner);
                let optional = !f.required || f.nullable;
                checks.push(if optional {
                    quote!(if let Some(value) = &self.#fname { #body })
                } else {
                    quote!({ let value = &self.#fname; #body })
                });
            }
            if let Some(additional) = &s.additional {
                let fname = ident(&additional.field);
                let at = format!("{}.*", s.name);
                checks.push(nested(
                    &TypeRef::Map(Box::new(additional.ty.clone())),
                    quote!(&self.#fname),
                    &at,
                    needs,
                ));
            }
            quote! {
                #gate
                impl rt::check::Validate for #name {
                    fn validate(&self, _at: &'static str) -> #result<(), rt::InvalidParameter> {
                        #(#statics)*
                        #(#checks)*
                        Ok(())
                    }
                }
            }
        }
    }
}
