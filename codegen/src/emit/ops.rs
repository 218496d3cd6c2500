//! Emits one async function per operation: check the parameters, describe the request to the
//! runtime, decode the response.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::types::rust_type;
use super::{doc_attrs, ident, Ctx};
use std::collections::HashSet;

use super::validate;
use crate::model::{
    Encoding, FormPart, HeaderSet, Location, Operation, Param, ParamType, PartKind, PathPart,
    QueryStyle, StatusEnum, TypeRef,
};
use crate::names;

/// The function of one operation and its call type, behind `gate` (a `#[cfg]`, or nothing).
pub fn operation(
    ctx: &Ctx,
    needs: &HashSet<String>,
    op: &Operation,
    gate: &TokenStream,
) -> TokenStream {
    let docs = doc_attrs(Some(&operation_doc(ctx, op)));
    let deprecated = if op.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    let result = ctx.std("Result");
    let (body_type, ok_type) = return_types(ctx, op);
    let headers_struct = match &op.success.headers {
        Some(h) => headers_struct(ctx, op, h, gate),
        None => quote!(),
    };
    let status_enum = match op.success.by_status() {
        Some(e) => status_enum(ctx, op, e, gate),
        None => quote!(),
    };
    let error_type = rust_type(ctx, &op.error);
    let checks = checks(op, needs);
    let (query_pairs_init, request) = request(ctx, op);
    let decode_response = decode_response(op, &body_type, &error_type, &result);
    let send = quote! {
        #checks
        #query_pairs_init
        let response = client
            .send(#request, &call)
            .await?;
    };
    let decode = quote! {
        let value: #result<#ok_type, rt::Error<#error_type>> = #decode_response;
        Ok(response.typed(value?))
    };
    let call = super::call::call(
        ctx,
        op,
        super::call::CallCode {
            docs: &docs,
            gate,
            deprecated: &deprecated,
            ok_type: &ok_type,
            error_type: &error_type,
            send,
            decode,
        },
    );
    quote! {
        #status_enum
        #headers_struct
        #call
    }
}

/// The success body's type, and what the function returns on success: the body, with the
/// declared response headers beside it (or the headers alone, without a body).
fn return_types(ctx: &Ctx, op: &Operation) -> (TokenStream, TokenStream) {
    let body_type = match (op.success.by_status(), op.success.ty()) {
        (Some(e), _) => {
            let name = ident(&e.name);
            quote!(#name)
        }
        (None, Some(ty)) => rust_type(ctx, ty),
        (None, None) => quote!(()),
    };
    let ok_type = match &op.success.headers {
        None => body_type.clone(),
        Some(h) => {
            let name = ident(&h.name);
            if op.success.has_body() {
                quote!(rt::WithHeaders<#body_type, #name>)
            } else {
                quote!(#name)
            }
        }
    };
    (body_type, ok_type)
}

/// The constraint checks of the parameters and the body, run when the client validates.
fn checks(op: &Operation, needs: &HashSet<String>) -> TokenStream {
    let mut statics = Vec::new();
    let mut checks = Vec::new();
    for p in &op.params {
        let (s, c) = validate::param_checks(p);
        statics.extend(s);
        checks.extend(c);
    }
    if let Some(body) = &op.body {
        let bname = ident(&body.name);
        let check = validate::nested(&body.ty, quote!(#bname), &body.name, needs);
        if !check.is_empty() {
            checks.push(if body.required {
                check
            } else {
                quote!(if let Some(#bname) = #bname { #check })
            });
        }
    }
    if checks.is_empty() {
        return quote!();
    }
    quote! {
        if client.validates_parameters() {
            #(#statics)*
            #(#checks)*
        }
    }
}

/// A parameter as text. Numbers and booleans are formatted into temporaries that live until
/// the end of the `send` statement.
fn param_text(ctx: &Ctx, p: &Param) -> TokenStream {
    let pname = ident(&p.name);
    match (&p.ty, p.required) {
        (ParamType::Str, _) => quote!(#pname),
        (ParamType::Enum(_), true) => quote!(#pname.as_str()),
        (ParamType::Enum(ty), false) => {
            let ty = ident(ty);
            quote!(#pname.as_ref().map(#ty::as_str))
        }
        // `content: application/json` in the path or a header: JSON text.
        (ParamType::Structured { .. }, required) => {
            let wire = &p.wire;
            if required {
                quote!(rt::query::json_text(#wire, #pname)?.as_str())
            } else {
                quote!(#pname.map(|value| rt::query::json_text(#wire, value)).transpose()?.as_deref())
            }
        }
        // Lists not exploded into pairs: the items joined by the style's delimiter (`,` for
        // `simple` and `form`, `|` for `pipeDelimited`, a space for `spaceDelimited`).
        (
            ParamType::List {
                item, delimiter, ..
            },
            required,
        ) => {
            let item_text = owned_text(item, quote!(item));
            let vec = ctx.std("Vec");
            let delimiter = delimiter.to_string();
            let join = quote!(iter().map(|item| #item_text).collect::<#vec<_>>().join(#delimiter));
            if required {
                quote!(#pname.#join.as_str())
            } else {
                quote!(#pname.map(|list| list.#join).as_deref())
            }
        }
        (ty, true) => {
            let text = owned_text(ty, quote!(#pname));
            quote!(#text.as_str())
        }
        (ty, false) => {
            let text = owned_text(ty, quote!(value));
            quote!(#pname.map(|value| #text).as_deref())
        }
    }
}

/// Exploded query lists: one pair per item.
fn query_each(op: &Operation) -> Vec<TokenStream> {
    op.params
        .iter()
        .filter(|p| p.location == Location::Query)
        .filter_map(|p| match &p.ty {
            ParamType::List {
                item,
                explode: true,
                ..
            } => {
                let pname = ident(&p.name);
                let wire = &p.wire;
                let item_text = owned_text(item, quote!(item));
                let collect = quote!(iter().map(|item| #item_text).collect());
                Some(if p.required {
                    quote!((#wire, #pname.#collect))
                } else {
                    quote!((#wire, #pname.map(|list| list.#collect).unwrap_or_default()))
                })
            }
            _ => None,
        })
        .collect()
}

/// The path's parts: literals, constants and parameters as text.
fn path(ctx: &Ctx, op: &Operation) -> Vec<TokenStream> {
    let mut path = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => path.push(quote!(rt::PathPart::Literal(#text))),
            PathPart::Const(value) => {
                path.push(quote!(rt::PathPart::Param("", #value)));
            }
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let wire = &p.wire;
                let text = param_text(ctx, p);
                path.push(quote!(rt::PathPart::Param(#wire, #text)));
            }
        }
    }
    path
}

/// The `(name, value)` pairs of one location: the constants, then the parameters (in the
/// query, those not sent as exploded lists or structured values).
fn pairs(ctx: &Ctx, op: &Operation, location: Location) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for c in op.constants.iter().filter(|c| c.location == location) {
        let wire = &c.wire;
        let value = &c.value;
        out.push(quote!((#wire, Some(#value))));
    }
    for p in op.params.iter().filter(|p| {
        p.location == location
            && !(location == Location::Query
                && matches!(
                    p.ty,
                    ParamType::List { explode: true, .. } | ParamType::Structured { .. }
                ))
    }) {
        let wire = &p.wire;
        let text = param_text(ctx, p);
        if p.required {
            out.push(quote!((#wire, Some(#text))));
        } else {
            out.push(quote!((#wire, #text)));
        }
    }
    out
}

/// Structured query values (objects, free-form values), flattened by their style into the
/// `query_pairs` built before the request.
fn structured_query(op: &Operation) -> Vec<TokenStream> {
    op.params
        .iter()
        .filter_map(|p| {
            let ParamType::Structured { style, .. } = &p.ty else {
                return None;
            };
            let pname = ident(&p.name);
            let wire = &p.wire;
            let style = match style {
                QueryStyle::FormExplode => quote!(rt::QueryStyle::FormExplode),
                QueryStyle::Form => quote!(rt::QueryStyle::Form),
                QueryStyle::DeepObject => quote!(rt::QueryStyle::DeepObject),
                QueryStyle::Json => quote!(rt::QueryStyle::Json),
            };
            Some(if p.required {
                quote!(rt::query::push(&mut query_pairs, #wire, #style, #pname)?;)
            } else {
                quote! {
                    if let Some(value) = #pname {
                        rt::query::push(&mut query_pairs, #wire, #style, value)?;
                    }
                }
            })
        })
        .collect()
}

/// The request body, encoded by its media type.
fn body(op: &Operation) -> TokenStream {
    let Some(b) = &op.body else {
        return quote!(None);
    };
    let bname = ident(&b.name);
    let content_type = &b.content_type;
    let encode = |value: TokenStream| match b.encoding {
        Encoding::Json => quote!(rt::Body::json(#value, #content_type)?),
        Encoding::Form => quote!(rt::Body::form(#value, #content_type)?),
        Encoding::Text => quote!(rt::Body::text(#value, #content_type)),
        Encoding::Bytes => quote!(#value.with_content_type(#content_type)),
        Encoding::Multipart => multipart(&b.parts, &value),
        Encoding::RawMultipart => quote!(#value.finish()),
    };
    if b.required {
        let encoded = encode(quote!(#bname));
        quote!(Some(#encoded))
    } else if b.encoding == Encoding::RawMultipart {
        quote!(#bname.map(rt::Multipart::finish))
    } else if b.encoding == Encoding::Bytes {
        quote!(#bname.map(|value| value.with_content_type(#content_type)))
    } else {
        let encoded = encode(quote!(value));
        quote!(match #bname { Some(value) => Some(#encoded), None => None })
    }
}

/// The statements that build the structured query pairs (if any), and the `rt::Request` the
/// operation sends.
fn request(ctx: &Ctx, op: &Operation) -> (TokenStream, TokenStream) {
    let path = path(ctx, op);
    let query = pairs(ctx, op, Location::Query);
    let query_each = query_each(op);
    let headers = pairs(ctx, op, Location::Header);
    let structured = structured_query(op);
    let vec = ctx.std("Vec");
    let (query_pairs_init, query_pairs) = if structured.is_empty() {
        (quote!(), quote!(query_pairs: #vec::new()))
    } else {
        (
            quote! {
                let mut query_pairs = #vec::new();
                #(#structured)*
            },
            quote!(query_pairs),
        )
    };
    let body = body(op);
    let operation_id = &op.operation_id;
    let public_query = op
        .constants
        .iter()
        .filter(|c| c.location == Location::Query)
        .map(|c| &c.wire);
    let security = super::security::request_field(ctx, &op.security);
    let method = format_ident!("{}", op.method.as_str());
    let request = quote! {
        rt::Request {
            operation: #operation_id,
            method: rt::Method::#method,
            default_base_url: DEFAULT_BASE_URL,
            path: &[#(#path),*],
            query: &[#(#query),*],
            query_each: &[#(#query_each),*],
            #query_pairs,
            public_query: &[#(#public_query),*],
            headers: &[#(#headers),*],
            body: #body,
            security: #security,
            conventions: &CONVENTIONS,
        }
    };
    (query_pairs_init, request)
}

/// The statuses that are a success: those listed, or every 2xx when none is (only `default`).
fn success_pattern(op: &Operation) -> TokenStream {
    if op.success.statuses.is_empty() {
        return quote!(200..=299);
    }
    let statuses = op
        .success
        .statuses
        .iter()
        .map(|s| Literal::u16_unsuffixed(*s));
    quote!(#(#statuses)|*)
}

/// The match arms that decode a success: one per status of the status enum, else one.
fn success_arms(op: &Operation) -> TokenStream {
    let Some(e) = op.success.by_status() else {
        let pattern = success_pattern(op);
        let decode = decode(op.success.ty(), op.success.encoding());
        return quote!(#pattern => #decode,);
    };
    let enum_name = ident(&e.name);
    let arms = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let status = match v.status {
            Some(s) => {
                let s = Literal::u16_unsuffixed(s);
                quote!(#s)
            }
            // The rest of the `2XX` range: a guard, not a range that overlaps the statuses
            // listed before it.
            None => quote!(status if (200..=299).contains(&status)),
        };
        let decode = match (&v.ty, v.encoding) {
            (None, _) => quote!(Ok(#enum_name::#variant)),
            // Bytes cannot fail to read: no `Result` to map.
            (Some(_), Encoding::Bytes) => quote!(Ok(#enum_name::#variant(response.bytes()))),
            (Some(ty), encoding) => {
                let value = decode(Some(ty), encoding);
                quote!(#value.map(#enum_name::#variant))
            }
        };
        quote!(#status => #decode,)
    });
    quote!(#(#arms)*)
}

/// The statements that turn the response into the function's result: the body by status, and
/// the headers once the status is known to be a success.
fn decode_response(
    op: &Operation,
    body_type: &TokenStream,
    error_type: &TokenStream,
    result: &TokenStream,
) -> TokenStream {
    let success_arms = success_arms(op);
    let matched = quote! {
        match response.status().as_u16() {
            #success_arms
            _ => Err(response.error()),
        }
    };
    let Some(h) = &op.success.headers else {
        return matched;
    };
    // Statements, then the value: a block.
    let name = ident(&h.name);
    let fields = h.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire;
        quote!(#field: response.header::<_, #error_type>(#wire)?,)
    });
    let headers = quote!(#name { #(#fields)* });
    if op.success.has_body() {
        quote! {{
            let body: #result<#body_type, rt::Error<#error_type>> = #matched;
            Ok(rt::WithHeaders { body: body?, headers: #headers })
        }}
    } else {
        // No body: the success arm returns the headers.
        let success_pattern = success_pattern(op);
        quote! {
            match response.status().as_u16() {
                #success_pattern => Ok(#headers),
                _ => Err(response.error()),
            }
        }
    }
}

/// The struct of an operation's declared response headers.
fn headers_struct(ctx: &Ctx, op: &Operation, h: &HeaderSet, gate: &TokenStream) -> TokenStream {
    let name = ident(&h.name);
    let doc = format!(
        "The response headers [`{}`] declares; a field is `None` when the response lacks that header.",
        names::unraw(&op.name)
    );
    let docs = doc_attrs(Some(&doc));
    let option = ctx.std("Option");
    let fields = h.fields.iter().map(|f| {
        let doc = match &f.doc {
            Some(d) => format!("{}\n\nHeader `{}`.", d.trim(), f.wire),
            None => format!("Header `{}`.", f.wire),
        };
        let docs = doc_attrs(Some(&doc));
        let field = ident(&f.name);
        let ty = rust_type(ctx, &f.ty);
        quote!(#docs pub #field: #option<#ty>,)
    });
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// How a success body is decoded, as a `Result` of the body.
fn decode(ty: Option<&TypeRef>, encoding: Encoding) -> TokenStream {
    match (ty, encoding) {
        (None, _) => quote!(Ok(())),
        (Some(_), Encoding::Text) => quote!(response.text()),
        (Some(_), Encoding::Bytes) => quote!(Ok(response.bytes())),
        // A JSON value stands for bodies the spec leaves untyped; an empty one is `null`.
        (Some(TypeRef::Json), _) => quote!(response.json_or_null()),
        (Some(_), _) => quote!(response.json()),
    }
}

/// The enum an operation with several 2xx responses returns: a variant per status, with that
/// status's body.
fn status_enum(ctx: &Ctx, op: &Operation, e: &StatusEnum, gate: &TokenStream) -> TokenStream {
    let name = ident(&e.name);
    let doc = format!(
        "What [`{}`] returns: a variant per success status of the spec, with that response's body.",
        names::unraw(&op.name)
    );
    let variants = e.variants.iter().map(|v| {
        let status = match v.status {
            Some(s) => format!("`{s}`"),
            None => "Any other 2xx status (`2XX`)".to_owned(),
        };
        let doc = match &v.doc {
            Some(d) => format!("{status}: {}", d.trim()),
            None => status,
        };
        let docs = doc_attrs(Some(&doc));
        let variant = ident(&v.name);
        match &v.ty {
            Some(ty) => {
                let ty = rust_type(ctx, ty);
                quote!(#docs #variant(#ty),)
            }
            None => quote!(#docs #variant,),
        }
    });
    let docs = doc_attrs(Some(&doc));
    // Every status with the same body type: `into_body` when the status does not matter.
    let first = e.variants.first().and_then(|v| v.ty.as_ref());
    let shared = first.filter(|t| e.variants.iter().all(|v| v.ty.as_ref() == Some(*t)));
    let into_body = match shared {
        Some(ty) => {
            let ty = rust_type(ctx, ty);
            let arms = e.variants.iter().map(|v| {
                let variant = ident(&v.name);
                quote!(Self::#variant(body))
            });
            quote! {
                #gate
                impl #name {
                    /// The body, whichever success status carried it.
                    pub fn into_body(self) -> #ty {
                        match self {
                            #(#arms)|* => body,
                        }
                    }
                }
            }
        }
        None => quote!(),
    };
    // A value returned once per call: its size matters less than boxing every body would.
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        #into_body
    }
}

/// A scalar parameter's value as an owned `String`: enums by their wire value, date-times in
/// RFC 3339 (their `Display` is not), the rest by `Display`.
fn owned_text(ty: &ParamType, value: TokenStream) -> TokenStream {
    match ty {
        ParamType::Enum(_) => quote!(#value.as_str().to_owned()),
        ParamType::DateTime => {
            quote!(#value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true))
        }
        _ => quote!(#value.to_string()),
    }
}

/// A `multipart/form-data` body from the struct `value`: a part per property.
fn multipart(parts: &[FormPart], value: &TokenStream) -> TokenStream {
    if parts.is_empty() {
        return quote!(rt::Multipart::new().finish());
    }
    let parts = parts.iter().map(|p| {
        let field = ident(&p.field);
        let wire = &p.wire;
        // `v` borrows the field (`part` when optional). A file part is a cheap clone: shared
        // bytes, or the handle of a stream.
        let add = |v: TokenStream| match p.kind {
            PartKind::Value => quote!(form.value(#wire, #v)?;),
            PartKind::File => quote!(form.file_part(#wire, rt::FilePart::clone(#v));),
            PartKind::Files => quote! {
                for file in #v {
                    form.file_part(#wire, rt::FilePart::clone(file));
                }
            },
        };
        if p.optional {
            let add = add(quote!(part));
            quote!(if let Some(part) = &#value.#field { #add })
        } else {
            add(quote!(&#value.#field))
        }
    });
    quote!({
        let mut form = rt::Multipart::new();
        #(#parts)*
        form.finish()
    })
}

fn operation_doc(ctx: &Ctx, op: &Operation) -> String {
    let mut doc = String::new();
    if let Some(summary) = &op.summary {
        doc.push_str(summary.trim());
    }
    if let Some(description) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
            if !doc.is_empty() {
                doc.push_str("\n\n");
            }
            doc.push_str(description.trim());
        }
    }
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "`{} {}` (operation `{}`).",
        op.method.as_str(),
        op.path,
        op.operation_id
    ));
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let required_body = op.body.as_ref().filter(|b| b.required);
    if !required.is_empty() || required_body.is_some() {
        doc.push_str("\n\n# Arguments\n");
        for p in required {
            doc.push_str(&format!("\n- `{}`", names::unraw(&p.name)));
            let text = p
                .doc
                .as_deref()
                .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "));
            if let Some(text) = text.filter(|t| !t.is_empty()) {
                doc.push_str(&format!(": {text}"));
            }
            let constraints = constraint_text(p);
            if !constraints.is_empty() {
                doc.push_str(&format!(" ({constraints})"));
            }
        }
        if let Some(body) = required_body {
            doc.push_str(&format!("\n- `{}`: {}", body.name, body_doc(body)));
        }
    }
    let optional: Vec<&str> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| p.name.as_str())
        .chain(
            op.body
                .iter()
                .filter(|b| !b.required)
                .map(|b| b.name.as_str()),
        )
        .collect();
    if !optional.is_empty() {
        let call = names::unraw(&op.call);
        let links: Vec<String> = optional
            .iter()
            .map(|name| format!("[`{0}`]({call}::{0})", names::unraw(name)))
            .collect();
        doc.push_str(&format!(
            "\n\nOptional inputs, set on the returned [`{call}`] before `.await`: {}.",
            links.join(", ")
        ));
    }
    if let Some(success) = &op.success.doc {
        doc.push_str(&format!("\n\n# Returns\n\n{}", success.trim()));
    }
    if let Some(section) = super::security::doc_section(ctx, &op.security) {
        doc.push_str("\n\n");
        doc.push_str(&section);
    }
    doc.push_str(
        "\n\n# Errors\n\n[`rt::Error::InvalidParameter`] when a parameter breaks a constraint of \
         the spec (nothing is sent), [`rt::Error::Service`] with the typed error body when the \
         service answers an error status, and the other variants for transport and protocol \
         failures.",
    );
    doc
}

/// A parameter's description on one line, with its constraints.
pub(super) fn param_doc(p: &Param) -> String {
    let mut text = p
        .doc
        .as_deref()
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let constraints = constraint_text(p);
    if !constraints.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&format!("({constraints})"));
    }
    if text.is_empty() {
        text = format!("The `{}` parameter.", p.wire);
    }
    text
}

/// A body's description, and how to write a body of parts.
pub(super) fn body_doc(body: &crate::model::RequestBody) -> String {
    let mut text = body
        .doc
        .as_deref()
        .unwrap_or("The request body.")
        .trim()
        .to_owned();
    if body.encoding == Encoding::RawMultipart {
        text.push_str(
            " The spec gives its `multipart/form-data` parts no object schema: write them with [`rt::Multipart`].",
        );
    }
    if body.encoding == Encoding::Bytes {
        text.push_str(
            " Bytes in memory (`&[u8]`, `Vec<u8>`, `bytes::Bytes`), or a file or stream read as it is sent ([`rt::Body::from_file`], [`rt::Body::from_stream`]: the call is then not retried).",
        );
    }
    text
}

fn constraint_text(p: &Param) -> String {
    let c = &p.constraints;
    let mut parts = Vec::new();
    if c.uuid {
        parts.push("format uuid".to_owned());
    }
    if let Some(n) = c.min_length {
        parts.push(format!("minLength {n}"));
    }
    if let Some(n) = c.max_length {
        parts.push(format!("maxLength {n}"));
    }
    if let Some(pattern) = &c.pattern {
        parts.push(format!("pattern `{}`", pattern.source.replace('`', "\\`")));
    }
    if let Some(n) = c.minimum {
        parts.push(format!("minimum {n}"));
    }
    if let Some(n) = c.maximum {
        parts.push(format!("maximum {n}"));
    }
    parts.join(", ")
}
