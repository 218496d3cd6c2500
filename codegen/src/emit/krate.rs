//! Emits the crate around the modules: `lib.rs`, `Cargo.toml` and the runtime files.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::runtime::{self, Runtime};
use super::versions::Unit;
use crate::model::{Api, Engine};

/// How the generated crate is named and laid out: `CrateOptions::new("my-client")`, then the
/// setters below for what differs from the defaults (fields may be added in any release, so the
/// type cannot be written as a literal outside this crate).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CrateOptions {
    /// The package name (`kebab-case` or `snake_case`).
    pub name: String,
    /// The package version (semver: never an API version).
    pub version: String,
    /// The package description (and the crate's first doc line).
    pub description: String,
    /// Adds an empty `[workspace]` table so the crate builds on its own wherever it is written.
    pub standalone: bool,
    /// Adds the optional `azure_core` feature: any `azure_core` `TokenCredential` as credential.
    pub azure_core_feature: bool,
    /// Where the crate gets its runtime: its own copy (the default) or the runtime crate.
    pub runtime: Runtime,
    /// Whether the toolchain's `rustfmt` formats the output (see [`CrateOptions::rustfmt`]).
    pub rustfmt: bool,
}

impl CrateOptions {
    /// A standalone crate `name`, version 0.1.0, with no description and no `azure_core`
    /// feature.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            version: "0.1.0".to_owned(),
            description: String::new(),
            standalone: true,
            azure_core_feature: false,
            runtime: Runtime::Vendored,
            rustfmt: false,
        }
    }

    /// The package version (default 0.1.0).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// The package description (default none).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Whether `Cargo.toml` gets an empty `[workspace]` table (default yes).
    pub fn standalone(mut self, standalone: bool) -> Self {
        self.standalone = standalone;
        self
    }

    /// Whether the crate gets the optional `azure_core` feature (default no).
    pub fn azure_core_feature(mut self, on: bool) -> Self {
        self.azure_core_feature = on;
        self
    }

    /// Where the crate gets its runtime (default: its own copy).
    pub fn runtime(mut self, runtime: Runtime) -> Self {
        self.runtime = runtime;
        self
    }

    /// Whether the toolchain's `rustfmt` formats the modules (default no). Without it, the
    /// generator's own formatting (`prettyplease`) stands: deterministic whatever the toolchain,
    /// and about twice as fast on a big spec; `lib.rs` declares each module
    /// `#[rustfmt::skip]`, so `cargo fmt` leaves the generated files alone and
    /// `cargo fmt --check` passes. With it, the files are as `cargo fmt` leaves them (for a
    /// repository that formats every file with its own `rustfmt.toml`), at `rustfmt`'s cost.
    pub fn rustfmt(mut self, on: bool) -> Self {
        self.rustfmt = on;
        self
    }
}

/// A standalone crate named `openapi-client`, as [`CrateOptions::new`] makes it.
impl Default for CrateOptions {
    fn default() -> Self {
        Self::new("openapi-client")
    }
}

/// The regex engine the crate needs, if any: the most capable one any pattern requires.
pub fn engine(apis: &[Api]) -> Option<Engine> {
    apis.iter()
        .flat_map(|api| api.patterns())
        .map(|p| p.engine)
        .max()
}

/// The tokens of `lib.rs`.
pub fn lib_rs(units: &[Unit<'_>], options: &CrateOptions) -> TokenStream {
    let mut doc = format!(
        "{}\n\nOne module per API description:\n",
        options.description
    );
    for unit in units {
        let line = match unit {
            Unit::Single(api) => format!(
                "\n- [`{}`] — {} (version {})",
                crate::names::unraw(&api.module),
                api.title,
                api.version
            ),
            Unit::Service { name, versions } => {
                let title = versions.first().map_or("", |a| a.title.as_str());
                format!(
                    "\n- [`{}`] — {title} (several API versions, each behind a cargo feature)",
                    crate::names::unraw(name),
                )
            }
        };
        doc.push_str(&line);
    }
    doc.push_str(
        "\n\nEvery operation is a function taking a [`Client`] and the required inputs; it \
         returns a call whose methods set the optional ones, and `.await` sends it, after \
         checking every input against the spec.\n\n\
         A model derives `serde::Serialize` when a request sends it and `serde::Deserialize` \
         when a response carries it; the `full-serde` feature gives every model both.",
    );
    let docs = super::inner_docs(&doc);
    // Formatted by the generator: `cargo fmt` is not to reformat the modules. Not here for the
    // runtime: an attribute on its `mod` would make its `#[macro_export]` macros
    // macro-expanded, which rustc refuses to re-export by path
    // (`macro_expanded_macro_exports_accessed_by_absolute_paths`); its `mod.rs` says it inside.
    let skip = if options.rustfmt {
        quote!()
    } else {
        quote!(#[rustfmt::skip])
    };
    let modules = units.iter().map(|unit| {
        let name = ident(unit.name());
        let doc = match unit {
            Unit::Single(api) => format!(" {} (version {}).", api.title, api.version),
            Unit::Service { versions, .. } => {
                let title = versions.first().map_or("", |a| a.title.as_str());
                format!(" {title}, every API version side by side.")
            }
        };
        quote! {
            #[doc = #doc]
            #skip
            pub mod #name;
        }
    });
    let azure_core = if options.azure_core_feature {
        quote! {
            #[cfg(feature = "azure_core")]
            pub use runtime::AzureCoreCredential;
        }
    } else {
        quote!()
    };
    // Answers read as Server-Sent Events: their types beside the others.
    let events = if units
        .iter()
        .any(|u| u.apis().iter().any(|a| a.uses_events()))
    {
        quote!(
            pub use runtime::{Event, Events, MAX_EVENT_BYTES};
        )
    } else {
        quote!()
    };
    // Names are the spec's: a spec in another script may use characters rustc calls uncommon.
    let codepoints = if units
        .iter()
        .any(|u| u.apis().iter().any(|a| a.has_non_ascii_names()))
    {
        quote!(#![allow(uncommon_codepoints)])
    } else {
        quote!()
    };
    quote! {
        #docs
        #![forbid(unsafe_code)]
        #codepoints

        pub mod runtime;

        // In groups short enough for one line, in the order `rustfmt` sorts them.
        pub use runtime::{AccessToken, ApiKeyScheme, BasicScheme, SecretString, StaticToken};
        pub use runtime::{Body, BuildError, Client, ClientBuilder, FilePart, RetryPolicy};
        pub use runtime::{CredentialError, MissingCredentials, TokenCredential, TokenScheme};
        pub use runtime::{Error, ErrorBody, InvalidParameter, RequestIds, ServiceError};
        pub use runtime::{TransportError, UnexpectedResponse, WithHeaders};
        /// The JSON values some signatures take or give (free-form bodies, error bodies, a
        /// union's fallback), built without depending on `serde_json` yourself:
        /// `serde_json::json!` is `<this crate>::serde_json::json!`.
        pub use serde_json;

        #events
        #azure_core

        #(#modules)*
    }
}

/// `Cargo.toml`. Dependency versions are the ones the runtime is written against.
pub fn cargo_toml(
    options: &CrateOptions,
    parts: runtime::Parts,
    header: &str,
    version_features: &[String],
    default_features: &[String],
) -> String {
    let mut deps = dependencies(options, parts);
    let mut feature_lines = Vec::new();
    if !version_features.is_empty() {
        let quoted: Vec<String> = default_features.iter().map(|f| toml_str(f)).collect();
        feature_lines.push(format!("default = [{}]", quoted.join(", ")));
        feature_lines.push(
            "# One feature per API version (and per tag of a big spec): compile only what you call."
                .to_owned(),
        );
        feature_lines.extend(
            version_features
                .iter()
                .map(|f| format!("{} = []", toml_key(f))),
        );
    }
    feature_lines.push(format!(
        "# Models derive `Serialize` when a request sends them and `Deserialize` when a response\n\
         # carries them; this gives every model both.\n{} = []",
        super::FULL_SERDE
    ));
    feature_lines.push(format!(
        "# HTTP/2 (negotiated over TLS): many concurrent calls over one connection. Off by\n\
         # default: it adds `h2` to the build.\n{} = [\"{}/http2\"]",
        super::HTTP2,
        match &options.runtime {
            Runtime::Vendored => "reqwest",
            Runtime::Crate(_) => runtime::RUNTIME_CRATE,
        }
    ));
    if options.azure_core_feature {
        let feature = match &options.runtime {
            Runtime::Vendored => {
                deps.insert(
                    0,
                    "# Optional: any `azure_core` TokenCredential as credential (feature `azure_core`).\nazure_core = { version = \"1\", default-features = false, optional = true }".to_owned(),
                );
                "azure_core = [\"dep:azure_core\"]".to_owned()
            }
            Runtime::Crate(_) => format!(
                "# Any `azure_core` TokenCredential as credential.\nazure_core = [\"{}/azure_core\"]",
                runtime::RUNTIME_CRATE
            ),
        };
        feature_lines.push(feature);
    }
    let features = if feature_lines.is_empty() {
        String::new()
    } else {
        format!("\n[features]\n{}\n", feature_lines.join("\n"))
    };
    let workspace = if options.standalone {
        "\n[workspace]\n"
    } else {
        ""
    };
    format!(
        "{header}\n[package]\nname = {name}\nversion = {version}\nedition = \"2021\"\nrust-version = \"1.82\"\ndescription = {description}\npublish = false\n\n[dependencies]\n{deps}\n{features}{workspace}",
        name = toml_str(&options.name),
        version = toml_str(&options.version),
        description = toml_str(&options.description),
        deps = deps.join("\n"),
    )
}

/// The `[dependencies]` lines (`azure_core` aside): what the runtime's files use when they are
/// vendored, else the runtime crate and what generated modules use themselves.
fn dependencies(options: &CrateOptions, parts: runtime::Parts) -> Vec<String> {
    // `format: date` and `date-time` values are `chrono` types (`clock` gives `Utc::now`).
    const CHRONO: &str = "chrono = { version = \"0.4.38\", default-features = false, features = [\"clock\", \"serde\", \"std\"] }";
    const SERDE: &str = "serde = { version = \"1\", features = [\"derive\"] }";
    const SERDE_JSON: &str = "serde_json = \"1\"";
    let dependency = match &options.runtime {
        Runtime::Vendored => None,
        Runtime::Crate(dependency) => Some(dependency),
    };
    if let Some(dependency) = dependency {
        let mut deps = vec![
            "# The runtime (client, credentials, retries, errors), shared with other generated crates.".to_owned(),
            runtime::dependency(dependency, parts),
            SERDE.to_owned(),
            SERDE_JSON.to_owned(),
        ];
        if parts.dates {
            deps.insert(0, CHRONO.to_owned());
        }
        return deps;
    }
    let mut deps: Vec<String> = [
        "bytes = \"1\"",
        "# Lists answered in pages are `futures` streams.\nfutures-util = { version = \"0.3\", default-features = false, features = [\"std\"] }",
        "httpdate = \"1\"",
        "percent-encoding = \"2\"",
        "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"stream\"] }",
        SERDE,
        SERDE_JSON,
        "# Decode errors name the JSON path of the value that failed.\nserde_path_to_error = \"0.1\"",
        "# A request body can be read from a file as it is sent.\ntokio = { version = \"1\", features = [\"time\", \"fs\", \"io-util\"] }",
        "tracing = { version = \"0.1\", default-features = false, features = [\"std\"] }",
        "url = \"2\"",
        "zeroize = \"1\"",
    ]
    .map(str::to_owned)
    .to_vec();
    match parts.engine {
        Some(Engine::Regex) => deps.insert(4, "regex = \"1\"".to_owned()),
        Some(Engine::Fancy) => deps.insert(
            0,
            "# A pattern needs lookaround or backreferences, which `regex` lacks.\nfancy-regex = \"0.14\"".to_owned(),
        ),
        None => {}
    }
    if parts.dates {
        deps.insert(0, CHRONO.to_owned());
    }
    deps
}

/// A TOML key: bare when it can be.
fn toml_key(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        text.to_owned()
    } else {
        toml_str(text)
    }
}

/// A TOML basic string.
pub(crate) fn toml_str(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::runtime::RuntimeDependency;
    use super::*;

    fn table(text: &str) -> toml::Table {
        text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    /// The `Cargo.toml` of a crate made with `options` from a spec that needs no optional part.
    fn manifest(options: &CrateOptions) -> toml::Table {
        table(&cargo_toml(
            options,
            runtime::Parts::default(),
            "",
            &[],
            &[],
        ))
    }

    /// A vendored runtime's crate depends on what the runtime crate does, feature for feature
    /// (regex, chrono and `azure_core` aside: optional there, added by need here), so that the
    /// two ways of getting the runtime build the same code against the same dependencies.
    #[test]
    fn a_vendored_crate_has_the_runtime_crates_dependencies() {
        let runtime = table(include_str!("../../../runtime/Cargo.toml"));
        let runtime_deps = runtime["dependencies"].as_table().unwrap();
        let generated = manifest(&CrateOptions::new("c"));
        let generated_deps = generated["dependencies"].as_table().unwrap();
        let required: toml::Table = runtime_deps
            .iter()
            .filter(|(_, d)| d.get("optional").is_none())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert_eq!(&required, generated_deps);
        // Each optional part of the runtime is a feature there and here.
        let features = generated["features"].as_table().unwrap();
        assert_eq!(
            features[super::super::HTTP2].as_array().unwrap()[0].as_str(),
            Some("reqwest/http2")
        );
        assert!(runtime["features"]
            .as_table()
            .unwrap()
            .contains_key(super::super::HTTP2));
    }

    /// The lean dependency set: no `charset` or `http2` in `reqwest` (the `http2` feature adds
    /// it), no `attributes` (a proc macro on `syn` 2) in `tracing`.
    #[test]
    fn the_default_build_leaves_out_what_the_runtime_does_not_use() {
        let options = CrateOptions::new("c").runtime(Runtime::Crate(RuntimeDependency {
            version: Some("0.1".to_owned()),
            ..RuntimeDependency::default()
        }));
        let generated = manifest(&options);
        assert_eq!(
            generated["features"]["http2"].as_array().unwrap()[0].as_str(),
            Some("openapi-rustgen-runtime/http2")
        );
        let vendored = manifest(&CrateOptions::new("c"));
        let deps = vendored["dependencies"].as_table().unwrap();
        let reqwest: Vec<&str> = deps["reqwest"]["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(toml::Value::as_str)
            .collect();
        assert_eq!(reqwest, ["rustls-tls", "stream"]);
        assert_eq!(deps["tracing"]["default-features"].as_bool(), Some(false));
    }
}
