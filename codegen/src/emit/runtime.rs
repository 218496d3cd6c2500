//! Where a generated crate gets its runtime: the `openapi-rustgen-runtime` crate's files copied
//! into it as `src/runtime/` (vendored, the default: no dependency), or a dependency on that
//! crate with `src/runtime.rs` re-exporting it (so several generated crates share one `Client`).
//! Either way generated modules reach it as their crate's `runtime` module.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::krate::{toml_str, CrateOptions};
use crate::model::{Api, Engine};

/// The runtime crate's package name.
pub const RUNTIME_CRATE: &str = "openapi-rustgen-runtime";

/// The runtime crate's files every crate carries when vendored (`runtime/src/`).
const SHARED: &[(&str, &str)] = &[
    ("body.rs", include_str!("../../../runtime/src/body.rs")),
    ("check.rs", include_str!("../../../runtime/src/check.rs")),
    ("client.rs", include_str!("../../../runtime/src/client.rs")),
    (
        "credential.rs",
        include_str!("../../../runtime/src/credential.rs"),
    ),
    ("error.rs", include_str!("../../../runtime/src/error.rs")),
    (
        "headers.rs",
        include_str!("../../../runtime/src/headers.rs"),
    ),
    (
        "multipart.rs",
        include_str!("../../../runtime/src/multipart.rs"),
    ),
    ("object.rs", include_str!("../../../runtime/src/object.rs")),
    ("paging.rs", include_str!("../../../runtime/src/paging.rs")),
    ("poller.rs", include_str!("../../../runtime/src/poller.rs")),
    ("query.rs", include_str!("../../../runtime/src/query.rs")),
    (
        "request.rs",
        include_str!("../../../runtime/src/request.rs"),
    ),
    (
        "response.rs",
        include_str!("../../../runtime/src/response.rs"),
    ),
    ("retry.rs", include_str!("../../../runtime/src/retry.rs")),
    ("secret.rs", include_str!("../../../runtime/src/secret.rs")),
    (
        "transport.rs",
        include_str!("../../../runtime/src/transport.rs"),
    ),
    (
        "security.rs",
        include_str!("../../../runtime/src/security.rs"),
    ),
];
/// The vendored copy's root (the crate's is `runtime/src/lib.rs`).
const VENDORED_MOD: &str = include_str!("../../../runtime/vendored/mod.rs");
const PATTERN_REGEX: &str = include_str!("../../../runtime/src/pattern_regex.rs");
const PATTERN_FANCY: &str = include_str!("../../../runtime/src/pattern_fancy.rs");
const AZURE_CORE: &str = include_str!("../../../runtime/src/azure_core.rs");
const DATE: &str = include_str!("../../../runtime/src/date.rs");
const EVENTS: &str = include_str!("../../../runtime/src/events.rs");

/// The runtime's optional parts a crate needs, from its specs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Parts {
    /// The regex engine of its patterns, if any (the most capable one a pattern requires).
    pub engine: Option<Engine>,
    /// Some value is a date (`chrono`).
    pub dates: bool,
    /// Some operation answers `text/event-stream` (`events`).
    pub events: bool,
}

impl Parts {
    /// What `apis` need.
    pub fn of(apis: &[Api]) -> Parts {
        Parts {
            engine: super::krate::engine(apis),
            dates: apis.iter().any(Api::uses_dates),
            events: apis.iter().any(Api::uses_events),
        }
    }
}

/// Where a generated crate gets its runtime.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Runtime {
    /// The runtime's files copied into the crate as `src/runtime/`: a crate with no dependency
    /// on the generator or the runtime crate.
    #[default]
    Vendored,
    /// A dependency on the `openapi-rustgen-runtime` crate.
    Crate(RuntimeDependency),
}

/// How a generated crate's `Cargo.toml` names the runtime crate: one of `path`, `git` (with
/// `rev`, `tag` or `branch`) or `version`, as in any cargo dependency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuntimeDependency {
    /// A folder, relative to the generated crate's (as written in its `Cargo.toml`).
    pub path: Option<PathBuf>,
    /// A git repository holding the runtime crate.
    pub git: Option<String>,
    /// The commit of `git`.
    pub rev: Option<String>,
    /// The tag of `git`.
    pub tag: Option<String>,
    /// The branch of `git`.
    pub branch: Option<String>,
    /// A version requirement (from a registry, or besides `path` or `git`).
    pub version: Option<String>,
}

impl RuntimeDependency {
    /// The dependency's keys, `key = "value"` separated by `, ` (features not included).
    fn keys(&self) -> String {
        let path = self
            .path
            .as_ref()
            .map(|p| p.to_string_lossy().replace('\\', "/"));
        [
            ("path", path.as_deref()),
            ("git", self.git.as_deref()),
            ("rev", self.rev.as_deref()),
            ("tag", self.tag.as_deref()),
            ("branch", self.branch.as_deref()),
            ("version", self.version.as_deref()),
        ]
        .iter()
        .filter_map(|(key, value)| value.map(|v| format!("{key} = {}", toml_str(v))))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// The runtime crate's features a crate needs: its pattern engine, dates, events,
/// `azure_core`.
pub fn features(parts: Parts) -> Vec<&'static str> {
    let mut features = Vec::new();
    match parts.engine {
        Some(Engine::Regex) => features.push("regex"),
        Some(Engine::Fancy) => features.push("fancy-regex"),
        None => {}
    }
    if parts.dates {
        features.push("chrono");
    }
    if parts.events {
        features.push("events");
    }
    features
}

/// The `[dependencies]` line of the runtime crate.
pub fn dependency(dependency: &RuntimeDependency, parts: Parts) -> String {
    let features: Vec<String> = features(parts).into_iter().map(toml_str).collect();
    let mut keys = vec![dependency.keys()];
    if !features.is_empty() {
        keys.push(format!("features = [{}]", features.join(", ")));
    }
    keys.retain(|k| !k.is_empty());
    format!("{RUNTIME_CRATE} = {{ {} }}", keys.join(", "))
}

/// The runtime's files: `src/runtime/` when vendored (with `pattern.rs` when some parameter
/// has a pattern, `date.rs` when a header is a date, `events.rs` when an operation answers
/// `text/event-stream` and `azure_core.rs` when the crate has that feature), else
/// `src/runtime.rs`, which re-exports the runtime crate.
pub fn files(parts: Parts, options: &CrateOptions) -> Vec<(String, String)> {
    match &options.runtime {
        Runtime::Vendored => vendored(parts, options),
        Runtime::Crate(_) => vec![("src/runtime.rs".to_owned(), facade(parts.engine))],
    }
}

fn vendored(parts: Parts, options: &CrateOptions) -> Vec<(String, String)> {
    let mut root = VENDORED_MOD.to_owned();
    if !options.rustfmt {
        // This file is put together, not formatted: `cargo fmt` is to leave the runtime alone
        // as it leaves the modules. Not as an attribute on its `mod` in `lib.rs`: that would make
        // the runtime's `#[macro_export]` macros macro-expanded, which rustc refuses to
        // re-export by path.
        let docs = root
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .map(|line| line.len() + 1)
            .sum::<usize>();
        root.insert_str(docs, "#![cfg_attr(rustfmt, rustfmt::skip)]\n");
    }
    let mut files: Vec<(String, String)> = SHARED
        .iter()
        .map(|(name, text)| (format!("src/runtime/{name}"), (*text).to_owned()))
        .collect();
    if let Some(engine) = parts.engine {
        root.push_str("\nmod pattern;\n\npub use pattern::Pattern;\n");
        let pattern = match engine {
            Engine::Regex => PATTERN_REGEX,
            Engine::Fancy => PATTERN_FANCY,
        };
        files.push(("src/runtime/pattern.rs".to_owned(), pattern.to_owned()));
    }
    if parts.dates {
        root.push_str("\nmod date;\n");
        files.push(("src/runtime/date.rs".to_owned(), DATE.to_owned()));
    }
    if parts.events {
        root.push_str("\nmod events;\n\n#[doc(hidden)]\npub use events::{json_event, text_event, Decoded};\npub use events::{Event, Events, MAX_EVENT_BYTES};\n");
        files.push(("src/runtime/events.rs".to_owned(), EVENTS.to_owned()));
    }
    if options.azure_core_feature {
        root.push_str(
            "\n#[cfg(feature = \"azure_core\")]\nmod azure_core;\n\n#[cfg(feature = \"azure_core\")]\npub use self::azure_core::AzureCoreCredential;\n",
        );
        files.push((
            "src/runtime/azure_core.rs".to_owned(),
            AZURE_CORE.to_owned(),
        ));
    }
    files.push(("src/runtime/mod.rs".to_owned(), root));
    files
}

/// `src/runtime.rs` of a crate that depends on the runtime crate: everything it exports, and
/// the `Pattern` of the engine the crate's patterns need.
pub fn facade(engine: Option<Engine>) -> String {
    let krate = RUNTIME_CRATE.replace('-', "_");
    let mut text = format!(
        "//! The runtime: the `{RUNTIME_CRATE}` crate, shared with every other client generated to\n\
         //! use it, so they all take one `Client`.\n\npub use {krate}::*;\n"
    );
    let pattern = match engine {
        Some(Engine::Regex) => Some("pattern_regex"),
        Some(Engine::Fancy) => Some("pattern_fancy"),
        None => None,
    };
    if let Some(module) = pattern {
        let _ = write!(text, "\npub use {krate}::{module}::Pattern;\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dependency_line_names_the_source_and_the_features() {
        let path = RuntimeDependency {
            path: Some(PathBuf::from("../runtime")),
            ..RuntimeDependency::default()
        };
        let parts = Parts {
            engine: Some(Engine::Fancy),
            dates: true,
            events: true,
        };
        assert_eq!(
            dependency(&path, parts),
            "openapi-rustgen-runtime = { path = \"../runtime\", features = [\"fancy-regex\", \"chrono\", \"events\"] }"
        );
        let git = RuntimeDependency {
            git: Some("https://example.com/r.git".to_owned()),
            tag: Some("v0.1.0".to_owned()),
            ..RuntimeDependency::default()
        };
        assert_eq!(
            dependency(&git, Parts::default()),
            "openapi-rustgen-runtime = { git = \"https://example.com/r.git\", tag = \"v0.1.0\" }"
        );
        assert!(facade(Some(Engine::Regex)).contains("pattern_regex::Pattern"));
    }

    #[test]
    fn a_vendored_runtime_carries_the_event_stream_only_when_a_spec_streams_events() {
        let options = CrateOptions::new("c").description("c");
        let names =
            |parts| -> Vec<String> { files(parts, &options).into_iter().map(|(p, _)| p).collect() };
        let without = names(Parts::default());
        assert!(!without.iter().any(|p| p.ends_with("events.rs")));
        let with = files(
            Parts {
                events: true,
                ..Parts::default()
            },
            &options,
        );
        assert!(with.iter().any(|(p, _)| p == "src/runtime/events.rs"));
        let root = &with
            .iter()
            .find(|(p, _)| p == "src/runtime/mod.rs")
            .unwrap()
            .1;
        assert!(root.contains("mod events;") && root.contains("pub use events::{Event, Events"));
    }
}
