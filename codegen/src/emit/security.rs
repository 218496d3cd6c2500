//! Emits security as the spec declares it: the module's type naming its schemes (what users pass
//! to the client builder), and the static description of each operation's requirement that the
//! runtime reads (`rt::Security`).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, Ctx};
use crate::model::{
    Api, ApiKeyLocation, SchemeKind, SchemeUse, Security, SecurityScheme, SecuritySchemes,
};

/// The name of the static holding the root-level requirement.
const ROOT_STATIC: &str = "SECURITY";

/// `pub enum SecuritySchemes {}` with an associated const per scheme, typed by kind (an API key
/// scheme cannot be given to `basic_auth`). Nothing when the spec declares no scheme.
pub fn holder(security: &SecuritySchemes) -> TokenStream {
    if security.schemes.is_empty() {
        return quote!();
    }
    let name = ident(&security.holder);
    let doc = doc_attrs(Some(
        "The security schemes the spec declares, by the name it gives them.\n\n\
         Give each one's secret to the client builder once ([`rt::ClientBuilder::api_key`],\n\
         [`rt::ClientBuilder::basic_auth`], [`rt::ClientBuilder::bearer_token`] or a token\n\
         credential); every operation then applies what its security requirement asks for.",
    ));
    let consts = security.schemes.iter().map(|s| {
        let docs = doc_attrs(Some(&scheme_doc(s)));
        let rust = ident(&s.rust);
        let wire = &s.name;
        let ty = match s.kind {
            SchemeKind::ApiKey { .. } => quote!(rt::ApiKeyScheme),
            SchemeKind::Basic => quote!(rt::BasicScheme),
            _ => quote!(rt::TokenScheme),
        };
        quote!(#docs pub const #rust: #ty = #ty::new(#wire);)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum #name {}

        impl #name {
            #(#consts)*
        }
    }
}

fn scheme_doc(s: &SecurityScheme) -> String {
    let mut doc = format!("`{}`: {}.", s.name, kind_text(&s.kind));
    if let Some(d) = s.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    doc
}

fn kind_text(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::ApiKey { name, location } => {
            format!("an API key in {} `{name}`", location.as_str())
        }
        SchemeKind::Basic => "HTTP basic authentication".to_owned(),
        SchemeKind::Bearer { format: Some(f) } => format!("a bearer token ({f})"),
        SchemeKind::Bearer { format: None } => "a bearer token".to_owned(),
        SchemeKind::OAuth2 => "an OAuth2 bearer token".to_owned(),
        SchemeKind::OpenIdConnect { .. } => "an OpenID Connect bearer token".to_owned(),
    }
}

/// `static SECURITY`, the root-level requirement, when some operation uses it. `gate` is the
/// operations' `#[cfg]`; `split`: each operation has its own (tag features).
pub fn root_static(api: &Api, gate: &TokenStream, split: bool) -> TokenStream {
    let ops = &api.operations;
    let users = ops
        .iter()
        .filter(|op| uses_root(&api.root_security, &op.security))
        .count();
    if users == 0 {
        return quote!();
    }
    // Operations with a requirement of their own may be all a feature set compiles.
    let allow = if split && users < ops.len() {
        quote!(#[allow(dead_code)])
    } else {
        quote!()
    };
    let name = ident(ROOT_STATIC);
    let value = value(&api.security, &api.root_security);
    quote! {
        /// The spec's root-level security requirement, which operations without their own follow.
        #gate
        #allow
        static #name: rt::Security = #value;
    }
}

fn uses_root(root: &Security, security: &Security) -> bool {
    !security.alternatives.is_empty() && security == root
}

/// What an operation's `rt::Request` says in its `security` field.
pub fn request_field(ctx: &Ctx, security: &Security) -> TokenStream {
    if security.alternatives.is_empty() {
        return quote!(&rt::Security::NONE);
    }
    if uses_root(&ctx.root_security, security) {
        let name = ident(ROOT_STATIC);
        return quote!(&#name);
    }
    let value = value(&ctx.security, security);
    quote!(&#value)
}

/// An `rt::Security` literal (promoted to a `'static`: no function calls in it).
fn value(schemes: &SecuritySchemes, security: &Security) -> TokenStream {
    let alternatives = security.alternatives.iter().map(|alt| {
        let schemes = alt.iter().filter_map(|u| scheme(schemes, u));
        quote!(&[#(#schemes),*])
    });
    let anonymous = security.anonymous;
    quote!(rt::Security {
        alternatives: &[#(#alternatives),*],
        anonymous: #anonymous,
    })
}

fn scheme(schemes: &SecuritySchemes, u: &SchemeUse) -> Option<TokenStream> {
    let s = schemes.schemes.get(u.scheme)?;
    let wire = &s.name;
    Some(match &s.kind {
        SchemeKind::ApiKey { name, location } => {
            let location = match location {
                ApiKeyLocation::Header => quote!(rt::ApiKeyIn::Header),
                ApiKeyLocation::Query => quote!(rt::ApiKeyIn::Query),
                ApiKeyLocation::Cookie => quote!(rt::ApiKeyIn::Cookie),
            };
            quote!(rt::Scheme::ApiKey { scheme: #wire, location: #location, name: #name })
        }
        SchemeKind::Basic => quote!(rt::Scheme::Basic { scheme: #wire }),
        _ => {
            let scopes = &u.scopes;
            quote!(rt::Scheme::Token { scheme: #wire, scopes: &[#(#scopes),*] })
        }
    })
}

/// The `# Authentication` section of an operation's docs: its alternatives, by scheme.
pub fn doc_section(ctx: &Ctx, security: &Security) -> Option<String> {
    if security.alternatives.is_empty() {
        return None;
    }
    let alternatives: Vec<String> = security
        .alternatives
        .iter()
        .map(|alt| {
            let parts: Vec<String> = alt.iter().filter_map(|u| use_text(ctx, u)).collect();
            parts.join(" and ")
        })
        .collect();
    let fails = "the call fails with [`rt::Error::MissingCredentials`] before sending.";
    let text = match (alternatives.as_slice(), security.anonymous) {
        ([one], false) => format!("{one}; without it, {fails}"),
        ([one], true) => {
            format!("{one} when the client holds it; else the call goes unauthenticated.")
        }
        (many, anonymous) => {
            let mut text = "The first of these the client holds the secrets of:\n".to_owned();
            for alt in many {
                text.push_str(&format!("\n- {alt}"));
            }
            if anonymous {
                text.push_str("\n- else none: the call goes unauthenticated.");
            } else {
                text.push_str(&format!("\n\nWith none, {fails}"));
            }
            text
        }
    };
    Some(format!("# Authentication\n\n{text}"))
}

/// One scheme of an alternative, linked to its const.
fn use_text(ctx: &Ctx, u: &SchemeUse) -> Option<String> {
    let s = ctx.security.schemes.get(u.scheme)?;
    let mut text = format!(
        "[`{}::{}`] ({}",
        ctx.security.holder,
        s.rust,
        kind_text(&s.kind)
    );
    if !u.scopes.is_empty() {
        let scopes: Vec<String> = u.scopes.iter().map(|s| format!("`{s}`")).collect();
        let noun = if scopes.len() == 1 { "scope" } else { "scopes" };
        text.push_str(&format!(", {noun} {}", scopes.join(", ")));
    }
    text.push(')');
    Some(text)
}
