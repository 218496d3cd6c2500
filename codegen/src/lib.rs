//! An OpenAPI (3.0, 3.1, Swagger 2.0) -> Rust client generator.
//!
//! One pipeline, one direction: [`load`] (YAML or JSON into `openapiv3`) -> [`resolve`] (follow
//! `$ref`s, name and check everything, into the [`model`]) -> [`emit`] (Rust tokens) ->
//! [`format`](mod@format) (`prettyplease`) -> [`write`](mod@write). [`generate`] runs every stage but the last and
//! returns the whole crate in memory, so a failure anywhere leaves the output untouched.
//!
//! ```no_run
//! let spec = codegen::Spec::read("specs/petstore.yaml").unwrap();
//! let options = codegen::CrateOptions::new("petstore").description("Petstore client");
//! let out = codegen::generate(&[spec], &options).unwrap();
//! codegen::write::write_tree("petstore".as_ref(), &out.files).unwrap();
//! ```

#![warn(missing_docs)]

pub mod builder;
pub mod config;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod format;
pub mod load;
pub mod model;
pub mod names;
mod parallel;
pub mod project;
mod refs;
pub mod resolve;
pub mod usage;
pub mod write;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use builder::{Builder, Generated};
pub use diag::{Diagnostic, Errors};
pub use emit::krate::CrateOptions;
pub use emit::runtime::{Runtime, RuntimeDependency};

/// One input spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The path shown in diagnostics and in the generated header.
    pub path: PathBuf,
    /// The spec's text.
    pub text: String,
    /// The module name; by default the file stem in `snake_case` (`v2025_07_01` for a version).
    pub module: String,
    /// Set when the spec is one API version of a service.
    pub service: Option<model::ServiceVersion>,
    /// Which operations to generate (all by default).
    pub selection: model::Selection,
    /// Whether the module is split by tag, a cargo feature per tag (by default when it is big).
    pub tag_features: emit::tags::TagFeatures,
    /// Overlays applied to the spec, in order, before anything reads it.
    pub overlays: Vec<load::Overlay>,
    /// Where the files the spec references are read from: the file system unless set (tests
    /// and fuzzing give them in memory).
    pub files: Option<std::sync::Arc<BTreeMap<PathBuf, String>>>,
    /// The folder `path` (and every path it leads to) is relative to, when it is not the
    /// working directory: paths stay short in diagnostics and generated headers.
    pub base: PathBuf,
}

impl Spec {
    /// Reads a spec file; its module is named after the file stem.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Diagnostic> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Diagnostic::unreadable(path, "the spec", &e))?;
        Ok(Self::new(path, text))
    }

    /// A spec from text already in memory.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let path = path.into();
        let module = module_name(&path);
        Self {
            path,
            text,
            module,
            service: None,
            selection: model::Selection::default(),
            tag_features: emit::tags::TagFeatures::default(),
            overlays: Vec::new(),
            files: None,
            base: PathBuf::new(),
        }
    }

    /// One API version of a service: module `v<version>` inside module `service`, compiled
    /// under the cargo feature `<service>-<version>`.
    pub fn versioned(path: impl Into<PathBuf>, text: String, service: &str, version: &str) -> Self {
        Self {
            path: path.into(),
            text,
            module: names::snake_name(&format!("v{version}")),
            service: Some(model::ServiceVersion {
                service: names::snake_name(service),
                version: version.to_owned(),
            }),
            selection: model::Selection::default(),
            // Versions are features already; a versioned module is not split further.
            tag_features: emit::tags::TagFeatures::Never,
            overlays: Vec::new(),
            files: None,
            base: PathBuf::new(),
        }
    }
}

impl Spec {
    /// Loads the spec with its overlays and the files it references, into one OpenAPI 3.0
    /// document.
    pub fn load(&self) -> Result<load::Loaded, Vec<Diagnostic>> {
        let disk = load::Disk {
            base: self.base.clone(),
        };
        let files: &dyn load::Files = match &self.files {
            Some(files) => files.as_ref(),
            None => &disk,
        };
        load::load_input(&load::Input {
            path: &self.path,
            text: &self.text,
            overlays: &self.overlays,
            files,
        })
    }
}

/// The module a spec file becomes: its stem in `snake_case`.
pub fn module_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    names::snake_name(&stem)
}

/// A generated crate, in memory.
#[derive(Debug, Clone)]
pub struct Output {
    /// Relative path -> content.
    pub files: BTreeMap<PathBuf, String>,
    /// Found on the way, each located; generation went on.
    pub warnings: Vec<Diagnostic>,
    /// Every file read: the specs, the files their `$ref`s name and their overlays (what a
    /// build script reruns on).
    pub inputs: Vec<PathBuf>,
    /// The features of the runtime crate the crate needs (its pattern engine, dates).
    pub runtime_features: Vec<&'static str>,
}

/// Module names the crate itself uses, and crate names a module would shadow.
const RESERVED_MODULES: &[&str] = &[
    "runtime",
    "openapi_rustgen_runtime",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "reqwest",
    "url",
    "zeroize",
    "percent_encoding",
    "regex",
    "fancy_regex",
];

/// Loads and resolves one spec into its checked model (the first stages of the pipeline), with
/// the warnings found on the way.
pub fn model_of(spec: &Spec) -> Result<(model::Api, Vec<Diagnostic>), Errors> {
    model_and_inputs(spec).map(|(api, warnings, _)| (api, warnings))
}

/// [`model_of`], and every file the spec's document set was read from (the spec, the files its
/// `$ref`s name, its overlays), as `spec.base` joined with their paths.
fn model_and_inputs(spec: &Spec) -> Result<(model::Api, Vec<Diagnostic>, Vec<PathBuf>), Errors> {
    let loaded = spec.load().map_err(Errors)?;
    let overlays = spec.overlays.iter().map(|o| o.path.as_path());
    let inputs: Vec<PathBuf> = loaded
        .sources
        .paths()
        .chain(overlays)
        .map(|p| spec.base.join(p))
        .collect();
    let mut sink = diag::Sink::of_set(&loaded.sources);
    let source = spec.path.to_string_lossy().replace('\\', "/");
    let target = resolve::Target {
        module: &spec.module,
        source: &source,
        selection: &spec.selection,
        service: spec.service.clone(),
        tag_features: spec.tag_features,
    };
    let api = resolve::resolve(&loaded.doc, &loaded.raw, &target, &mut sink);
    sink.locate();
    match api {
        Some(api) if sink.errors.is_empty() => {
            let mut warnings = loaded.warnings;
            warnings.append(&mut sink.warnings);
            Ok((api, warnings, inputs))
        }
        _ => Err(Errors(sink.errors)),
    }
}

/// Generates a crate from `specs`, one module each. Nothing is written: see [`write`](mod@write).
pub fn generate(specs: &[Spec], options: &CrateOptions) -> Result<Output, Errors> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut inputs = Vec::new();
    let mut apis = Vec::new();
    let mut modules: HashMap<String, &Path> = HashMap::new();
    for spec in specs {
        let mut sink = diag::Sink::new(&spec.path, &spec.text);
        // Versions of one service share its module; the version modules must differ.
        let key = match &spec.service {
            Some(sv) => format!("{}::{}", sv.service, spec.module),
            None => spec.module.clone(),
        };
        let top = spec
            .service
            .as_ref()
            .map_or(spec.module.as_str(), |sv| sv.service.as_str());
        let clash = spec.service.is_none()
            && specs.iter().any(|o| {
                o.service
                    .as_ref()
                    .is_some_and(|sv| sv.service == spec.module)
            });
        if clash {
            sink.error(
                "",
                format!(
                    "the module name `{}` is also a service folder in the specs: rename one",
                    spec.module
                ),
            );
        }
        if RESERVED_MODULES.contains(&names::unraw(top)) {
            sink.error(
                "",
                format!("the module name `{}` is reserved: rename the file", top),
            );
        } else if let Some(other) = modules.insert(key, &spec.path) {
            sink.error(
                "",
                format!(
                    "the module name `{}` is taken by {} as well: rename one file",
                    spec.module,
                    other.display()
                ),
            );
        }
        errors.append(&mut sink.errors);
        match model_and_inputs(spec) {
            Ok((api, mut w, mut read)) => {
                apis.push(api);
                warnings.append(&mut w);
                inputs.append(&mut read);
            }
            Err(mut e) => errors.append(&mut e.0),
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    let runtime_features = emit::runtime::features(emit::runtime::Parts::of(&apis));
    let files = emit::plan::crate_files(&apis, options).map_err(|message| {
        Errors(vec![Diagnostic {
            file: PathBuf::new(),
            pointer: String::new(),
            line: None,
            message,
        }])
    })?;
    inputs.sort();
    inputs.dedup();
    Ok(Output {
        files,
        warnings,
        inputs,
        runtime_features,
    })
}
