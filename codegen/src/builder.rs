//! Generating a client from a build script (`build.rs`), in the style of `prost-build`: the
//! client is written into `OUT_DIR` and `include!`d, so it is never committed and always
//! follows the spec.
//!
//! `build.rs`, in its `fn main()`:
//!
//! ```no_run
//! codegen::Builder::new()
//!     .spec("petstore.yaml")
//!     .overlay("petstore.overlay.yaml") // optional, applied to every spec
//!     .operations(["listPets", "getPetById"]) // optional: only what you call
//!     .generate()
//!     .unwrap(); // a failure reads `error: petstore.yaml:12: at #/paths/...: ...`
//! ```
//!
//! `src/lib.rs` (or any module):
//!
//! ```ignore
//! mod api {
//!     include!(concat!(env!("OUT_DIR"), "/openapi.rs"));
//! }
//! use api::{petstore, Client};
//! ```
//!
//! `Cargo.toml`: the generated code calls the runtime crate and serde, so the crate needs
//!
//! ```toml
//! [dependencies]
//! openapi-rustgen-runtime = { path = "...", features = [...] } # `Generated::runtime_features`
//! serde = { version = "1", features = ["derive"] }
//! serde_json = "1"
//! # chrono = { version = "0.4.38", default-features = false, features = ["clock", "serde", "std"] }
//! #   when a spec has `format: date` or `date-time` values
//!
//! [build-dependencies]
//! codegen = { path = "..." }
//! ```
//!
//! The build script reruns when any file of any document set changes (the specs, the files
//! their `$ref`s name, the overlays, the project file): [`Builder::generate`] prints
//! `cargo:rerun-if-changed=` for each. Only files whose content changed are rewritten, so an
//! edit that changes nothing in the client compiles nothing again.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::emit::runtime::{Runtime, RuntimeDependency};
use crate::emit::tags::TagFeatures;
use crate::project::{self, Failure};
use crate::{CrateOptions, Spec};

/// The module, inside the file to `include!`, that holds the generated crate's root; everything
/// in it is re-exported, so its name never shows.
const INNER: &str = "__openapi_rustgen";

/// Generates a client into `OUT_DIR` from a build script. See the [module docs](self).
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct Builder {
    specs: Vec<PathBuf>,
    config: Option<PathBuf>,
    overlays: Vec<PathBuf>,
    tags: Vec<String>,
    operations: Vec<String>,
    skip_unsupported: bool,
    tag_features: TagFeatures,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
    quiet: bool,
}

/// What [`Builder::generate`] wrote.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The file to `include!`.
    pub file: PathBuf,
    /// The features of `openapi-rustgen-runtime` the client needs (`regex` or `fancy-regex` for
    /// `pattern`s, `chrono` for dates).
    pub runtime_features: Vec<&'static str>,
    /// The cargo features the generated code is compiled under, for the including crate to
    /// declare: one per API version of a service and per tag of a module split by tag (with
    /// `default`), and `full-serde` (every model both `Serialize` and `Deserialize`).
    pub features: Vec<String>,
    /// Every file the client was generated from.
    pub inputs: Vec<PathBuf>,
}

/// The `[features]` of the generated `Cargo.toml`, but `azure_core` and `http2` (the runtime
/// crate's: no generated code is compiled under them).
fn features(files: &std::collections::BTreeMap<PathBuf, String>) -> Vec<String> {
    let manifest = files
        .get(Path::new("Cargo.toml"))
        .and_then(|text| text.parse::<toml::Table>().ok());
    manifest
        .as_ref()
        .and_then(|m| m.get("features"))
        .and_then(toml::Value::as_table)
        .map(|table| {
            table
                .keys()
                .filter(|k| !["azure_core", crate::emit::HTTP2].contains(&k.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

impl Builder {
    /// A builder with no spec; output into `$OUT_DIR/openapi.rs`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a spec (OpenAPI 3.0/3.1 or Swagger 2.0, YAML or JSON; the files its `$ref`s name
    /// are read too): a module named after its file stem, or for `<service>/<version>.yaml` a
    /// version of `service`. Paths are relative to the package (the build script's directory).
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.specs.push(path.into());
        self
    }

    /// Reads the specs (and their overlays and selections) from a project file instead; its
    /// `[crate]` section's `out` and `runtime` are not used.
    pub fn config(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(path.into());
        self
    }

    /// Adds an OpenAPI Overlay (1.0 or 1.1), applied to every spec in the order added.
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// Only operations with one of these tags.
    pub fn tags<S: Into<String>>(mut self, tags: impl IntoIterator<Item = S>) -> Self {
        self.tags.extend(tags.into_iter().map(Into::into));
        self
    }

    /// Only these operations, by operationId or function name.
    pub fn operations<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.operations.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Leave out, with a warning, operations the generator cannot type yet (else an error).
    pub fn skip_unsupported(mut self, skip: bool) -> Self {
        self.skip_unsupported = skip;
        self
    }

    /// Whether a module is split by tag, one cargo feature per tag (the features are the
    /// including crate's to declare).
    pub fn tag_features(mut self, tag_features: TagFeatures) -> Self {
        self.tag_features = tag_features;
        self
    }

    /// Where to write, instead of `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The stem of the file to `include!` (default `openapi`: `$OUT_DIR/openapi.rs`); the
    /// modules go in the folder of that name beside it.
    pub fn file_name(mut self, stem: impl Into<String>) -> Self {
        self.file_name = Some(stem.into());
        self
    }

    /// Prints neither `cargo:rerun-if-changed=` nor `cargo:warning=` lines (outside a build
    /// script).
    pub fn quiet(mut self) -> Self {
        self.quiet = true;
        self
    }

    /// Generates the client and writes it: nothing is written unless every spec generates.
    pub fn generate(self) -> Result<Generated, Failure> {
        let (specs, options, config) = self.specs_and_options()?;
        // Watched before generating, so that fixing a spec that fails reruns the script.
        let mut watched: std::collections::BTreeSet<PathBuf> = config
            .iter()
            .chain(&self.overlays)
            .chain(&self.specs)
            .cloned()
            .collect();
        self.watch(&watched);
        let mut output = crate::generate(&specs, &options)?;
        project::polish(&mut output, &options);
        let more: Vec<PathBuf> = output
            .inputs
            .iter()
            .filter(|p| watched.insert(p.to_path_buf()))
            .cloned()
            .collect();
        self.watch(&more);
        let features = features(&output.files);
        if !self.quiet {
            for w in &output.warnings {
                println!("cargo:warning={}", w.to_string().replace('\n', " "));
            }
            // `full-serde` (every model both ways) is off unless the crate declares it.
            println!("cargo::rustc-check-cfg=cfg(feature, values(\"full-serde\"))");
        }
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Failure("error: OUT_DIR is not set: call generate() from a build script, or set out_dir()".to_owned())
            })?,
        };
        let stem = self.file_name.as_deref().unwrap_or("openapi");
        let dir = out_dir.join(stem);
        let mut files = output.files;
        files.remove(Path::new("Cargo.toml"));
        let files = files
            .into_iter()
            .map(|(path, text)| {
                // `src/lib.rs` is the root of a module here: `mod.rs`, so its `pub mod x;`
                // declarations find their files beside it.
                let path = path
                    .strip_prefix("src")
                    .map_or(path.clone(), Path::to_path_buf);
                let path = if path == Path::new("lib.rs") {
                    PathBuf::from("mod.rs")
                } else {
                    path
                };
                (path, text)
            })
            .collect();
        crate::write::write_tree(&dir, &files)
            .map_err(|e| Failure(format!("error: writing {}: {e}", dir.display())))?;
        let file = out_dir.join(format!("{stem}.rs"));
        let root = dir.join("mod.rs");
        let root = root.to_str().ok_or_else(|| {
            Failure(format!(
                "error: {} is not UTF-8: a `#[path]` cannot name it",
                root.display()
            ))
        })?;
        let text = format!(
            "// {} by the OpenAPI generator (codegen::Builder). Do not edit: regenerate instead.\n\
             #[path = {root:?}]\nmod {INNER};\n\npub use self::{INNER}::*;\n",
            crate::write::GENERATED_MARKER
        );
        crate::write::write_tree(
            &out_dir,
            &[(PathBuf::from(format!("{stem}.rs")), text)].into(),
        )
        .map_err(|e| Failure(format!("error: writing {}: {e}", file.display())))?;
        Ok(Generated {
            file,
            runtime_features: output.runtime_features,
            features,
            inputs: output.inputs,
        })
    }

    fn watch<'a>(&self, paths: impl IntoIterator<Item = &'a PathBuf>) {
        if self.quiet {
            return;
        }
        for path in paths {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }

    /// The specs to generate, the crate's options (the runtime crate, no manifest), and the
    /// project file read, if any.
    fn specs_and_options(&self) -> Result<(Vec<Spec>, CrateOptions, Option<PathBuf>), Failure> {
        let runtime = Runtime::Crate(RuntimeDependency::default());
        if let Some(path) = &self.config {
            if !self.specs.is_empty() {
                return Err(Failure(
                    "error: give the specs with spec() or in the project file, not both".to_owned(),
                ));
            }
            let config = Config::read(path)?;
            let mut specs = config.specs()?;
            for spec in &mut specs {
                for overlay in &self.overlays {
                    spec.overlays.push(crate::load::Overlay::read(overlay)?);
                }
            }
            let options = CrateOptions {
                runtime,
                ..config.options()
            };
            return Ok((specs, options, Some(path.clone())));
        }
        let loose = project::LooseOptions {
            overlays: self.overlays.clone(),
            selection: crate::model::Selection {
                tags: self.tags.clone(),
                operations: self.operations.clone(),
                skip_unsupported: self.skip_unsupported,
            },
            tag_features: self.tag_features,
            // Nobody runs `cargo fmt` over `OUT_DIR`.
            rustfmt: false,
        };
        let specs = project::loose_specs(&self.specs, &loose)?;
        let options = CrateOptions {
            runtime,
            ..project::loose_options(&specs, Some("openapi".to_owned()))?
        };
        Ok((specs, options, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_features_are_read_from_the_manifest() {
        let manifest = "# header\n\n[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\n\n[features]\ndefault = [\"a\"]\na = []\n# c\nfull-serde = []\nazure_core = [\"r/azure_core\"]\n";
        let files = [(PathBuf::from("Cargo.toml"), manifest.to_owned())].into();
        assert_eq!(features(&files), ["a", "default", "full-serde"]);
    }
}
