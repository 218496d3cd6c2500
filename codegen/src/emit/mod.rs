//! Emit: model -> Rust tokens. `types` writes the models, `ops` the operation functions,
//! `krate` the crate around them (lib.rs, Cargo.toml, runtime).

pub mod call;
pub mod krate;
pub mod ops;
pub mod plan;
pub mod runtime;
pub mod security;
pub mod spelling;
pub mod tags;
pub mod types;
pub mod validate;
pub mod versions;

use std::collections::{BTreeMap, HashSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::Api;
use crate::usage::Usage;

/// Names the emitted code takes from the prelude, and their full paths.
const PRELUDE: &[(&str, &str)] = &[
    ("Option", "::std::option::Option"),
    ("Result", "::std::result::Result"),
    ("String", "::std::string::String"),
    ("Vec", "::std::vec::Vec"),
    ("Box", "::std::boxed::Box"),
    ("From", "::std::convert::From"),
];

/// What emitting one module needs to know about the module as a whole.
pub struct Ctx {
    /// Prelude names that a type of this module shadows: they are written out in full.
    shadowed: HashSet<&'static str>,
    /// Which types requests send and responses carry: what each model derives.
    pub usage: Usage,
    /// The module's security schemes and root-level requirement.
    pub security: crate::model::SecuritySchemes,
    /// The spec's root-level security requirement (what operations without their own inherit).
    pub root_security: crate::model::Security,
}

/// The cargo feature that gives every model both `Serialize` and `Deserialize`.
pub const FULL_SERDE: &str = "full-serde";

/// The cargo feature that turns HTTP/2 on.
pub const HTTP2: &str = "http2";

impl Ctx {
    /// The context of one module: `usage` says what each model derives.
    pub fn new(api: &Api, usage: Usage) -> Self {
        let shadowed = PRELUDE
            .iter()
            .filter(|(name, _)| api.types.iter().any(|t| t.name() == *name))
            .map(|(name, _)| *name)
            .collect();
        Self {
            shadowed,
            usage,
            security: api.security.clone(),
            root_security: api.root_security.clone(),
        }
    }

    /// For hand-written serde impls of model `name`: the `#[cfg]` of its `Serialize` and of its
    /// `Deserialize` impl (nothing when an operation needs it, else the `full-serde` feature).
    pub fn serde_gates(&self, name: &str) -> (TokenStream, TokenStream) {
        let gate = |needed: bool| {
            if needed {
                quote!()
            } else {
                quote!(#[cfg(feature = #FULL_SERDE)])
            }
        };
        (
            gate(self.usage.sent.contains(name)),
            gate(self.usage.received.contains(name)),
        )
    }

    /// The serde derives of model `name`: `Serialize` when a request sends it, `Deserialize`
    /// when a response carries it or no operation reaches it; the other one under the
    /// `full-serde` feature.
    pub fn serde_derives(&self, name: &str) -> (TokenStream, TokenStream) {
        let mut always = Vec::new();
        let mut optional = Vec::new();
        let sent = self.usage.sent.contains(name);
        let received = self.usage.received.contains(name);
        for (wanted, derive) in [
            (sent, quote!(serde::Serialize)),
            (received, quote!(serde::Deserialize)),
        ] {
            if wanted {
                always.push(derive);
            } else {
                optional.push(derive);
            }
        }
        let optional = if optional.is_empty() {
            quote!()
        } else {
            quote!(#[cfg_attr(feature = #FULL_SERDE, derive(#(#optional),*))])
        };
        (quote!(#(#always,)*), optional)
    }

    /// The path to write for prelude item `name`.
    pub fn std_str(&self, name: &'static str) -> &'static str {
        if self.shadowed.contains(name) {
            PRELUDE
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(name, |(_, path)| path)
        } else {
            name
        }
    }

    /// The path of a `std` item (`Option`, `Vec`, ...), fully qualified when the module defines a type of that name.
    pub fn std(&self, name: &'static str) -> TokenStream {
        self.std_str(name).parse().unwrap_or_else(|_| quote!(#name))
    }
}

/// An identifier, raw (`r#type`) when the model says so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` lines from a description. The text stays a string literal, so nothing in a
/// description can become code.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return quote!();
    };
    // A carriage return is not allowed in a doc comment: every line break becomes `\n`.
    let text = &normalize_newlines(text);
    let lines = text.lines().map(|line| {
        let line = line.trim_end();
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// The tokens of one module: its models and its operations.
/// How one version of a service is emitted among its siblings.
#[derive(Debug, Clone, Default)]
pub struct VersionCtx {
    /// The cargo feature that compiles the version's operations.
    pub feature: String,
    /// Types defined identically in an older version: type name -> that version's module.
    pub borrowed: BTreeMap<String, String>,
    /// How every version of the service uses its types (the derives must agree across them).
    pub usage: Usage,
}

/// The tokens of one type: its definition and its `Validate` impl.
pub fn type_tokens(
    ctx: &Ctx,
    t: &crate::model::TypeDef,
    needs: &HashSet<String>,
    gate: &TokenStream,
) -> TokenStream {
    let def = types::type_def(ctx, t, gate);
    let validate = validate::validate_impl(ctx, t, needs, gate);
    quote!(#def #validate)
}

/// The items of a module file emitted and formatted together: a file of more is made of parts
/// (see [`ModulePlan::parts`]), formatted on the machine's cores and joined by a blank line.
/// Parts of 60 rather than 600: the seed spec `search` (333 items) 46 -> 41 ms as a command
/// (median of 30, interleaved), GitHub's description unchanged, and 20 % less peak memory on
/// one big module. Two items in unit tests, so that the fixtures' files are made of parts there.
pub const PART_ITEMS: usize = if cfg!(test) { 2 } else { 60 };

/// One module, planned once and then rendered in parts (on several threads): its head, then
/// its operations and its models. A version of a service re-exports the types an older version
/// defines identically, and compiles its operations only under its own feature (the module may
/// be compiled for a newer version that borrows its types).
pub struct ModulePlan<'a> {
    api: &'a Api,
    version: Option<&'a VersionCtx>,
    ctx: Ctx,
    needs: HashSet<String>,
    /// The operations, then the models not borrowed: the file's order.
    items: Vec<Item>,
}

/// One item of a module: an operation or a model, by its index in its API's list.
#[derive(Clone, Copy)]
pub(crate) enum Item {
    Op(usize),
    Type(usize),
}

impl Item {
    /// The item's tokens: an operation under `op_gate`, a model under `type_gate`.
    pub(crate) fn tokens(
        self,
        ctx: &Ctx,
        needs: &HashSet<String>,
        api: &Api,
        op_gate: &TokenStream,
        type_gate: &TokenStream,
    ) -> TokenStream {
        match self {
            Item::Op(i) => ops::operation(ctx, needs, &api.operations[i], op_gate),
            Item::Type(i) => type_tokens(ctx, &api.types[i], needs, type_gate),
        }
    }
}

impl<'a> ModulePlan<'a> {
    /// Plans `api`'s module: alone (`version` `None`) or as one version of a service.
    pub fn new(api: &'a Api, version: Option<&'a VersionCtx>) -> Self {
        let usage = match version {
            Some(v) => v.usage.clone(),
            None => Usage::of(&api.types, &api.operations),
        };
        let ctx = Ctx::new(api, usage);
        let needs = validate::needs_validation(api, &ctx.usage.sent);
        let borrowed = version.map(|v| &v.borrowed);
        let types = (api.types.iter().enumerate())
            .filter(|(_, t)| !borrowed.is_some_and(|b| b.contains_key(t.name())))
            .map(|(i, _)| Item::Type(i));
        let items = (0..api.operations.len())
            .map(Item::Op)
            .chain(types)
            .collect();
        Self {
            api,
            version,
            ctx,
            needs,
            items,
        }
    }

    /// The API the module is generated from.
    pub fn api(&self) -> &'a Api {
        self.api
    }

    /// In how many parts the file is emitted and formatted: a part per [`PART_ITEMS`]
    /// operations and models, the first with the module's head.
    pub fn parts(&self) -> usize {
        self.items.len().div_ceil(PART_ITEMS).max(1)
    }

    /// Part `part` of the module: a run of its items, after the head (docs, imports,
    /// re-exports) in the first.
    pub fn render_part(&self, part: usize) -> TokenStream {
        let gate = match self.version {
            Some(v) => {
                let feature = &v.feature;
                quote!(#[cfg(feature = #feature)])
            }
            None => quote!(),
        };
        let items = self
            .items
            .chunks(PART_ITEMS)
            .nth(part)
            .unwrap_or_default()
            .iter()
            .map(|item| item.tokens(&self.ctx, &self.needs, self.api, &gate, &quote!()));
        let head = (part == 0).then(|| self.head());
        quote!(#head #(#items)*)
    }

    fn head(&self) -> TokenStream {
        let (api, version) = (self.api, self.version);
        let docs = module_docs(api, None);
        let mut by_origin: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, origin) in version.map(|v| &v.borrowed).into_iter().flatten() {
            by_origin.entry(origin).or_default().push(name);
        }
        let reexports = by_origin.into_iter().map(|(origin, names)| {
            let origin = ident(origin);
            let names = names.into_iter().map(ident);
            quote! {
                pub use super::#origin::{#(#names),*};
            }
        });
        let ops_cfg = version.map(|v| {
            let feature = &v.feature;
            quote!(feature = #feature)
        });
        // The runtime is reached by a relative path, so a module works wherever its crate's
        // root is (its own crate, or a module that `include!`s it from a build script's
        // output): a version's module is one level further down, in its service's folder.
        let runtime = match version {
            Some(_) => quote!(super::super::runtime),
            None => quote!(super::runtime),
        };
        let head = module_head(api, ops_cfg.as_ref(), false, &runtime);
        quote! {
            #docs

            #head

            #(#reexports)*
        }
    }
}

/// The items every module starts with: the runtime import, the default server and API
/// version, the `Server` enum and the header conventions the operations read. `ops_cfg` is the
/// `cfg` predicate every operation is compiled under (a version's or the tags' features), or
/// `None` when they are always compiled; what only operations use follows it. `split`: the
/// operations are compiled under features of their own (tags), so not all of them may be.
/// `runtime`: the path of the runtime module from this one.
fn module_head(
    api: &Api,
    ops_cfg: Option<&TokenStream>,
    split: bool,
    runtime: &TokenStream,
) -> TokenStream {
    let server = &api.server;
    let api_version = &api.version;
    let servers = servers(api);
    let gate = match ops_cfg {
        Some(cfg) => quote!(#[cfg(#cfg)]),
        None => quote!(),
    };
    let conventions = if api.operations.is_empty() {
        quote!()
    } else {
        conventions(&api.conventions, &gate)
    };
    let schemes = security::holder(&api.security);
    let root_security = security::root_static(api, &gate, split);
    let rt_import = match ops_cfg {
        _ if api.operations.is_empty() => quote! {
            // Models alone may not need the runtime.
            #[allow(unused_imports)]
            use #runtime as rt;
        },
        Some(cfg) => quote! {
            #[cfg_attr(not(#cfg), allow(unused_imports))]
            use #runtime as rt;
        },
        None => quote!(
            use #runtime as rt;
        ),
    };
    quote! {
        #rt_import

        /// The server the spec names first; [`rt::ClientBuilder::base_url`] overrides it.
        pub const DEFAULT_BASE_URL: &str = #server;

        /// The version of the API description this module was generated from.
        pub const API_VERSION: &str = #api_version;

        #servers

        #schemes

        #conventions

        #root_security
    }
}

/// `enum Server`: the spec's servers by name, for `ClientBuilder::base_url`.
fn servers(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        return quote!();
    }
    let enum_name = api.server_enum.clone();
    let server = format_ident!("{}", enum_name);
    let doc = doc_attrs(Some(&format!(
        "The servers the spec lists. Pass [`{enum_name}::url`] to [`rt::ClientBuilder::base_url`]\nto call another one than the first."
    )));
    let variants = api.servers.iter().enumerate().map(|(i, s)| {
        let text = match &s.doc {
            Some(d) => format!("{}: `{}`", d.trim(), s.url),
            None => format!("`{}`", s.url),
        };
        let docs = doc_attrs(Some(&text));
        let default = if i == 0 { quote!(#[default]) } else { quote!() };
        let name = ident(&s.name);
        quote!(#docs #default #name,)
    });
    let urls = api.servers.iter().map(|s| {
        let name = ident(&s.name);
        let url = &s.url;
        quote!(Self::#name => #url,)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum #server {
            #(#variants)*
        }

        impl #server {
            /// The server's base URL.
            pub const fn url(self) -> &'static str {
                match self {
                    #(#urls)*
                }
            }
        }
    }
}

/// The `x-client` conventions as the runtime reads them.
fn conventions(c: &crate::model::Conventions, gate: &TokenStream) -> TokenStream {
    let opt = |v: &Option<String>| match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let client_request_id = opt(&c.client_request_id_header);
    let request_id = opt(&c.request_id_header);
    let error_code = opt(&c.error_code_header);
    let retry = &c.retry_after_ms_headers;
    quote! {
        /// The service's header conventions, from the spec's `x-client` extension.
        #gate
        static CONVENTIONS: rt::Conventions = rt::Conventions {
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            client_request_id_header: #client_request_id,
            request_id_header: #request_id,
            error_code_header: #error_code,
            retry_after_ms_headers: &[#(#retry),*],
        };
    }
}

/// `\r\n` and lone `\r` as `\n`.
pub fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The module's inner docs: title, version, description, source, and `extra` at the end.
fn module_docs(api: &Api, extra: Option<&str>) -> TokenStream {
    let mut text = format!("{} (version {})", api.title, api.version);
    if let Some(d) = &api.description {
        text.push_str("\n\n");
        text.push_str(d.trim());
    }
    text.push_str(&format!("\n\nGenerated from `{}`.", api.source));
    if let Some(extra) = extra {
        text.push_str("\n\n");
        text.push_str(extra);
    }
    inner_docs(&text)
}

/// `text` as inner doc attributes (`//!` lines): one per line, blank lines kept as paragraph
/// breaks, trailing spaces dropped.
pub fn inner_docs(text: &str) -> TokenStream {
    let text = normalize_newlines(text);
    let lines = text.lines().map(|line| {
        let line = if line.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", line.trim_end())
        };
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}
