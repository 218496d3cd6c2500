//! Emits the crate around the modules: `lib.rs`, `Cargo.toml` and the runtime files.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Api, Engine};

/// The runtime, copied into every generated crate.
pub const RUNTIME: &str = include_str!("../../runtime/runtime.rs");
const PATTERN_REGEX: &str = include_str!("../../runtime/pattern_regex.rs");
const PATTERN_FANCY: &str = include_str!("../../runtime/pattern_fancy.rs");

/// How the generated crate is named and laid out.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// The package name (`kebab-case` or `snake_case`).
    pub name: String,
    /// The package version (semver: never an API version).
    pub version: String,
    pub description: String,
    /// Adds an empty `[workspace]` table so the crate builds on its own wherever it is written.
    pub standalone: bool,
}

/// The regex engine the crate needs, if any: the most capable one any pattern requires.
pub fn engine(apis: &[Api]) -> Option<Engine> {
    apis.iter()
        .flat_map(|api| api.patterns())
        .map(|p| p.engine)
        .max()
}

/// `src/runtime/mod.rs`, plus `src/runtime/pattern.rs` when some parameter has a pattern.
pub fn runtime_files(engine: Option<Engine>) -> Vec<(&'static str, String)> {
    let mut runtime = RUNTIME.to_owned();
    let mut files = Vec::new();
    if let Some(engine) = engine {
        runtime.push_str("\nmod pattern;\n\npub use pattern::Pattern;\n");
        let pattern = match engine {
            Engine::Regex => PATTERN_REGEX,
            Engine::Fancy => PATTERN_FANCY,
        };
        files.push(("src/runtime/pattern.rs", pattern.to_owned()));
    }
    files.push(("src/runtime/mod.rs", runtime));
    files
}

/// The tokens of `lib.rs`.
pub fn lib_rs(apis: &[Api], options: &CrateOptions) -> TokenStream {
    let mut doc = format!(
        "{}\n\nOne module per API description:\n",
        options.description
    );
    for api in apis {
        doc.push_str(&format!(
            "\n- [`{}`] — {} (version {})",
            crate::names::unraw(&api.module),
            api.title,
            api.version
        ));
    }
    doc.push_str(
        "\n\nEvery operation is an `async fn` taking a [`Client`] first, then the parameters \
         the caller supplies; it checks them against the spec before sending anything.",
    );
    let docs = doc.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    let modules = apis.iter().map(|api| {
        let name = ident(&api.module);
        let doc = format!(" {} (version {}).", api.title, api.version);
        quote! {
            #[doc = #doc]
            pub mod #name;
        }
    });
    quote! {
        #(#docs)*
        #![forbid(unsafe_code)]

        pub mod runtime;

        pub use runtime::{
            BuildError, Client, ClientBuilder, CredentialError, Error, ErrorBody, InvalidParameter,
            SecretString, ServiceError, StaticToken, TokenCredential, UnexpectedResponse,
        };

        #(#modules)*
    }
}

/// `Cargo.toml`. Dependency versions are the ones the runtime is written against.
pub fn cargo_toml(options: &CrateOptions, engine: Option<Engine>, header: &str) -> String {
    let mut deps = vec![
        "percent-encoding = \"2\"",
        "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"http2\", \"charset\"] }",
        "serde = { version = \"1\", features = [\"derive\"] }",
        "serde_json = \"1\"",
        "url = \"2\"",
        "zeroize = \"1\"",
    ];
    match engine {
        Some(Engine::Regex) => deps.insert(1, "regex = \"1\""),
        Some(Engine::Fancy) => deps.insert(
            0,
            "# A pattern needs lookaround or backreferences, which `regex` lacks.\nfancy-regex = \"0.14\"",
        ),
        None => {}
    }
    let workspace = if options.standalone {
        "\n[workspace]\n"
    } else {
        ""
    };
    format!(
        "{header}\n[package]\nname = {name}\nversion = {version}\nedition = \"2021\"\nrust-version = \"1.80\"\ndescription = {description}\npublish = false\n\n[dependencies]\n{deps}\n{workspace}",
        name = toml_str(&options.name),
        version = toml_str(&options.version),
        description = toml_str(&options.description),
        deps = deps.join("\n"),
    )
}

/// A TOML basic string.
fn toml_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
