//! The model as text: one stable, indented line per thing the model decides (types with their
//! fields, variants, `TypeRef`s and constraints; operations with their parameters, body,
//! successes, error and security), for model snapshot tests and for reading what resolve made
//! of a spec. Descriptions are left out (documentation, not shape), so are the module's source
//! file and title text beyond its first line.
//!
//! The spelling is the model's, not the generated code's (that is `emit/spelling.rs`): `Vec<T>`,
//! `Map<T>`, `Nullable<T>`, `Json`, a model by its Rust name.

use std::fmt::Write as _;

use super::{
    Api, Constraints, Encoding, NextLink, Operation, PageField, Param, ParamType, PartKind,
    PositionKind, RequestBody, SchemeKind, Security, SecuritySchemes, Success, TypeDef, TypeRef,
};

/// The text of `api`: a header (module, version, servers, conventions, security schemes), then
/// `types`, then `operations`, each in the model's order, two spaces per level.
pub fn print(api: &Api) -> String {
    let mut out = Printer::default();
    header(&mut out, api);
    out.line(0, "types");
    for ty in &api.types {
        type_def(&mut out, ty);
    }
    out.line(0, "operations");
    for op in &api.operations {
        operation(&mut out, op, &api.security);
    }
    out.text
}

#[derive(Default)]
struct Printer {
    text: String,
}

impl Printer {
    fn line(&mut self, depth: usize, text: impl AsRef<str>) {
        let _ = writeln!(self.text, "{:1$}{2}", "", depth * 2, text.as_ref());
    }
}

fn header(out: &mut Printer, api: &Api) {
    let title = api.title.lines().next().unwrap_or_default();
    out.line(
        0,
        format!("api {} ({title:?}, version {:?})", api.module, api.version),
    );
    if let Some(service) = &api.service {
        out.line(
            1,
            format!("service {} version {}", service.service, service.version),
        );
    }
    out.line(
        1,
        format!("server {} (enum {})", api.server, api.server_enum),
    );
    for server in &api.servers {
        out.line(2, format!("{} {}", server.name, server.url));
    }
    let c = &api.conventions;
    let headers = [
        ("client request id header", &c.client_request_id_header),
        ("request id header", &c.request_id_header),
        ("error code header", &c.error_code_header),
        ("token scope", &c.token_scope),
    ];
    for (what, value) in headers {
        if let Some(value) = value {
            out.line(1, format!("{what} {value:?}"));
        }
    }
    if !c.retry_after_ms_headers.is_empty() {
        out.line(
            1,
            format!("retry after ms headers {:?}", c.retry_after_ms_headers),
        );
    }
    out.line(1, format!("tag features {:?}", api.tag_features));
    if !api.security.schemes.is_empty() {
        out.line(1, format!("security schemes ({})", api.security.holder));
        for scheme in &api.security.schemes {
            let kind = match &scheme.kind {
                SchemeKind::ApiKey { name, location } => {
                    format!("api key in {} {name:?}", location.as_str())
                }
                SchemeKind::Basic => "basic".to_owned(),
                SchemeKind::Bearer { format: Some(f) } => format!("bearer ({f})"),
                SchemeKind::Bearer { format: None } => "bearer".to_owned(),
                SchemeKind::OAuth2 => "oauth2".to_owned(),
                SchemeKind::OpenIdConnect { url } => format!("openIdConnect {url}"),
            };
            out.line(2, format!("{} ({:?}): {kind}", scheme.rust, scheme.name));
        }
    }
    out.line(
        1,
        format!(
            "root security {}",
            security(&api.root_security, &api.security)
        ),
    );
}

fn type_def(out: &mut Printer, ty: &TypeDef) {
    match ty {
        TypeDef::Struct(s) => {
            out.line(1, format!("struct {}", s.name));
            for f in &s.fields {
                let mut text = format!("{}: {}", named(&f.name, &f.wire), type_ref(&f.ty));
                text += if f.required {
                    ", required"
                } else {
                    ", optional"
                };
                if f.nullable {
                    text += ", nullable";
                }
                if f.boxed {
                    text += ", boxed";
                }
                text += &constraints(&f.constraints);
                out.line(2, text);
            }
            if let Some(additional) = &s.additional {
                let shown = format!("..{}: {}", additional.field, type_ref(&additional.ty));
                out.line(2, shown);
            }
        }
        TypeDef::Enum(e) => {
            out.line(1, format!("enum {} (fallback {})", e.name, e.fallback));
            for v in &e.variants {
                out.line(2, format!("{} = {:?}", v.name, v.wire));
            }
        }
        TypeDef::Union(u) => {
            let tag = u
                .tag
                .as_ref()
                .map(|t| format!(", tag {:?}", t.property))
                .unwrap_or_default();
            out.line(
                1,
                format!("union {} (fallback {}{tag})", u.name, u.fallback),
            );
            for (i, v) in u.variants.iter().enumerate() {
                let mut text = format!("{}({})", v.name, type_ref(&v.ty));
                if v.boxed {
                    text += ", boxed";
                }
                let values: Vec<String> = u
                    .tag
                    .iter()
                    .flat_map(|t| t.values.iter())
                    .filter(|(_, at)| *at == i)
                    .map(|(value, _)| format!("{value:?}"))
                    .collect();
                if !values.is_empty() {
                    let _ = write!(text, " = {}", values.join(" | "));
                }
                out.line(2, text);
            }
        }
    }
}

fn operation(out: &mut Printer, op: &Operation, schemes: &SecuritySchemes) {
    let deprecated = if op.deprecated { ", deprecated" } else { "" };
    out.line(
        1,
        format!(
            "fn {}: {} {} ({:?}{deprecated})",
            op.name,
            op.method.as_str(),
            op.path,
            op.operation_id
        ),
    );
    if !op.tags.is_empty() {
        out.line(2, format!("tags {}", op.tags.join(", ")));
    }
    let path: String = op
        .path_parts
        .iter()
        .map(|part| match part {
            super::PathPart::Literal(text) => text.clone(),
            super::PathPart::Param(i) => format!("{{{}}}", op.params[*i].name),
            super::PathPart::Const(value) => format!("{{={value}}}"),
        })
        .collect();
    out.line(2, format!("path {path}"));
    for param in &op.params {
        out.line(2, self::param(param));
    }
    for c in &op.constants {
        out.line(
            2,
            format!(
                "const {:?} in {} = {:?}",
                c.wire,
                c.location.as_str(),
                c.value
            ),
        );
    }
    if let Some(body) = &op.body {
        self::body(out, body);
    }
    success(out, &op.success);
    out.line(2, format!("error {}", type_ref(&op.error)));
    out.line(2, format!("security {}", security(&op.security, schemes)));
    out.line(2, format!("call {}", op.call));
    if let Some(p) = &op.pagination {
        let field = |f: &PageField| {
            let optional = if f.optional { " (optional)" } else { "" };
            format!("{}{optional}", f.name)
        };
        let next = match &p.next {
            NextLink::LinkHeader => "Link header".to_owned(),
            NextLink::Field(f) => format!("field {}", field(f)),
            NextLink::Cursor { param, field: f } => {
                format!("cursor from field {} into query {param}", field(f))
            }
            NextLink::Position(p) => {
                let kind = match p.kind {
                    PositionKind::Offset => "offset",
                    PositionKind::Page => "page number",
                };
                let limit = p
                    .limit
                    .as_ref()
                    .map_or(String::new(), |l| format!(", size in query {l}"));
                format!("{kind} in query {} from {}{limit}", p.param, p.first)
            }
        };
        let items = p
            .items
            .as_ref()
            .map_or("the body".to_owned(), |f| format!("field {}", field(f)));
        out.line(
            2,
            format!(
                "paged: next {next}, items {items}, item {}",
                type_ref(&p.item)
            ),
        );
    }
    if let Some(lro) = &op.long_running {
        out.line(
            2,
            format!("long-running: final state via {:?}", lro.final_state_via),
        );
    }
}

fn param(p: &Param) -> String {
    let required = if p.required { "required" } else { "optional" };
    format!(
        "param {} in {}: {}, {required}{}",
        named(&p.name, &p.wire),
        p.location.as_str(),
        param_type(&p.ty),
        constraints(&p.constraints)
    )
}

fn body(out: &mut Printer, body: &RequestBody) {
    let required = if body.required {
        "required"
    } else {
        "optional"
    };
    out.line(
        2,
        format!(
            "body {}: {}, {required}, {} as {}",
            body.name,
            type_ref(&body.ty),
            body.content_type,
            encoding(body.encoding)
        ),
    );
    for part in &body.parts {
        let file = match part.kind {
            PartKind::Value => "",
            PartKind::File => ", file",
            PartKind::Files => ", files",
        };
        let optional = if part.optional { ", optional" } else { "" };
        out.line(
            3,
            format!("part {}{file}{optional}", named(&part.field, &part.wire)),
        );
    }
}

fn success(out: &mut Printer, success: &Success) {
    let statuses: Vec<String> = success.statuses.iter().map(u16::to_string).collect();
    let statuses = if statuses.is_empty() {
        // `default` alone, or a redirect: whatever 2xx comes.
        "every 2xx".to_owned()
    } else {
        statuses.join(", ")
    };
    let body = |ty: Option<&TypeRef>, e: Encoding| match ty {
        Some(ty) => format!("{} as {}", type_ref(ty), encoding(e)),
        None => "no body".to_owned(),
    };
    match success.by_status() {
        None => out.line(
            2,
            format!(
                "success {statuses}: {}",
                body(success.ty(), success.encoding())
            ),
        ),
        Some(by_status) => {
            out.line(2, format!("success by status: {}", by_status.name));
            for v in &by_status.variants {
                let status = v.status.map_or_else(|| "2XX".to_owned(), |s| s.to_string());
                out.line(
                    3,
                    format!("{} {status}: {}", v.name, body(v.ty.as_ref(), v.encoding)),
                );
            }
        }
    }
    if let Some(headers) = &success.headers {
        out.line(2, format!("headers {}", headers.name));
        for h in &headers.fields {
            out.line(
                3,
                format!("{}: {}", named(&h.name, &h.wire), type_ref(&h.ty)),
            );
        }
    }
    if let Some(data) = &success.events {
        out.line(2, format!("events of {}", type_ref(data)));
    }
}

/// `name`, with the wire name beside it when it differs: `pet_id ("petId")`.
fn named(name: &str, wire: &str) -> String {
    if name == wire {
        name.to_owned()
    } else {
        format!("{name} ({wire:?})")
    }
}

/// A `TypeRef` as the model holds it.
fn type_ref(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Secret => "Secret".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Array(inner) => format!("Vec<{}>", type_ref(inner)),
        TypeRef::Map(inner) => format!("Map<{}>", type_ref(inner)),
        TypeRef::Nullable(inner) => format!("Nullable<{}>", type_ref(inner)),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::File => "File".to_owned(),
        TypeRef::Date => "Date".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
    }
}

fn param_type(ty: &ParamType) -> String {
    match ty {
        ParamType::Str => "str".to_owned(),
        ParamType::Enum(name) => format!("enum {name}"),
        ParamType::I32 => "i32".to_owned(),
        ParamType::I64 => "i64".to_owned(),
        ParamType::F64 => "f64".to_owned(),
        ParamType::Bool => "bool".to_owned(),
        ParamType::Date => "Date".to_owned(),
        ParamType::DateTime => "DateTime".to_owned(),
        ParamType::List {
            item,
            explode: true,
            ..
        } => format!("list of {}, exploded", param_type(item)),
        ParamType::List {
            item, delimiter, ..
        } => format!("list of {} joined by {delimiter:?}", param_type(item)),
        ParamType::Structured { ty, style } => format!("{} as {style:?}", type_ref(ty)),
    }
}

fn encoding(e: Encoding) -> String {
    format!("{e:?}")
}

/// `, min_length 1, pattern "^a+$" (Regex)`, or nothing when there are no checks.
fn constraints(c: &Constraints) -> String {
    let mut text = String::new();
    if let Some(n) = c.min_length {
        let _ = write!(text, ", min_length {n}");
    }
    if let Some(n) = c.max_length {
        let _ = write!(text, ", max_length {n}");
    }
    if let Some(p) = &c.pattern {
        let _ = write!(text, ", pattern {:?} ({:?})", p.source, p.engine);
    }
    if c.uuid {
        text += ", uuid";
    }
    if let Some(n) = c.minimum {
        let _ = write!(text, ", minimum {n}");
    }
    if let Some(n) = c.maximum {
        let _ = write!(text, ", maximum {n}");
    }
    text
}

/// `API_KEY | OAUTH["read", "write"] + API_KEY, or anonymous`.
fn security(security: &Security, schemes: &SecuritySchemes) -> String {
    let alternatives: Vec<String> = security
        .alternatives
        .iter()
        .map(|alternative| {
            let uses: Vec<String> = alternative
                .iter()
                .map(|u| {
                    let name = schemes
                        .schemes
                        .get(u.scheme)
                        .map_or_else(|| format!("#{}", u.scheme), |s| s.rust.clone());
                    if u.scopes.is_empty() {
                        name
                    } else {
                        format!("{name}{:?}", u.scopes)
                    }
                })
                .collect();
            uses.join(" + ")
        })
        .collect();
    match (alternatives.is_empty(), security.anonymous) {
        (true, true) => "anonymous".to_owned(),
        (true, false) => "none".to_owned(),
        (false, true) => format!("{}, or anonymous", alternatives.join(" | ")),
        (false, false) => alternatives.join(" | "),
    }
}
