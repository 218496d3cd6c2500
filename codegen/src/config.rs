//! The project file (`codegen.toml`): which specs make which crate, so that regenerating is
//! one command with no flags. Paths are relative to the file.
//!
//! ```toml
//! [crate]
//! name = "azure-keys"
//! out = "../generated"
//! # The runtime crate as a dependency, so several generated crates share one `Client`; by
//! # default (`runtime = "vendored"`) the crate carries its own copy in `src/runtime/`.
//! runtime = { path = "../runtime" }
//! # Format with the toolchain's `rustfmt` (and the repository's `rustfmt.toml`) as `cargo fmt`
//! # would; by default the generator formats, faster and whatever the toolchain, and marks the
//! # modules `#[rustfmt::skip]`.
//! # rustfmt = true
//!
//! # A module from one spec (with the overlays that carry local additions over to the next
//! # version of the spec, and the operations to keep).
//! [[module]]
//! name = "search"
//! spec = "azure/specification/search/resource-manager/Microsoft.Search/Search/preview/2024-03-01-preview/search.json"
//! overlays = ["overlays/search.yaml"]
//! operations = ["AdminKeys_Regenerate"]
//!
//! # A service whose API versions sit side by side: every file the pattern matches is a
//! # version, labelled with what `*` matched; adding a version is copying its file there.
//! [[service]]
//! name = "log_analytics"
//! versions = "azure/specification/operationalinsights/resource-manager/Microsoft.OperationalInsights/OperationalInsights/stable/*/SharedKeys.json"
//! overlays = ["overlays/log_analytics.yaml"]
//! version-overlays = { "2025-07-01" = ["overlays/log_analytics-2025-07-01.yaml"] }
//! operations = ["SharedKeys_Regenerate"]
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::emit::tags::TagFeatures;
use crate::load::{normalize, Overlay};
use crate::model::Selection;
use crate::{CrateOptions, Runtime, RuntimeDependency, Spec};

/// A project file, read.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file, as named (relative to `root`).
    pub path: PathBuf,
    /// The folder paths are read from: the working directory unless set with
    /// [`Config::read_in`].
    pub root: PathBuf,
    file: File,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "crate")]
    krate: CrateSection,
    #[serde(default)]
    module: Vec<ModuleSection>,
    #[serde(default)]
    service: Vec<ServiceSection>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CrateSection {
    name: String,
    out: PathBuf,
    #[serde(default = "default_version")]
    version: String,
    #[serde(default)]
    description: Option<String>,
    /// A crate of its own (`[workspace]` in its `Cargo.toml`) rather than a member of the
    /// workspace around it.
    #[serde(default = "yes")]
    standalone: bool,
    #[serde(default)]
    azure_core_feature: bool,
    /// Formats the modules with the toolchain's `rustfmt`, as `cargo fmt` would (else the
    /// generator's own formatting stands, and `cargo fmt` is told to skip them).
    #[serde(default)]
    rustfmt: bool,
    /// `"vendored"` (the default), or the runtime crate as a cargo dependency.
    #[serde(default)]
    runtime: Option<RuntimeSection>,
}

/// `runtime = "vendored"`, or `runtime = { path = "..." }` (or `git`, `version`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RuntimeSection {
    Mode(String),
    Dependency(DependencySection),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DependencySection {
    path: Option<PathBuf>,
    git: Option<String>,
    rev: Option<String>,
    tag: Option<String>,
    branch: Option<String>,
    version: Option<String>,
}

/// What to keep of a spec, and how to lay it out.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Keep {
    #[serde(default)]
    overlays: Vec<PathBuf>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    operations: Vec<String>,
    #[serde(default)]
    skip_unsupported: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ModuleSection {
    /// By default the spec's file stem.
    #[serde(default)]
    name: Option<String>,
    spec: PathBuf,
    #[serde(default)]
    tag_features: Option<String>,
    #[serde(flatten)]
    keep: Keep,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ServiceSection {
    name: String,
    /// A path with one `*` segment part: each match is a version, named by what `*` matched.
    versions: PathBuf,
    /// Overlays for one version only, after the service's own.
    #[serde(default)]
    version_overlays: std::collections::BTreeMap<String, Vec<PathBuf>>,
    #[serde(flatten)]
    keep: Keep,
}

fn default_version() -> String {
    "0.1.0".to_owned()
}

fn yes() -> bool {
    true
}

impl Config {
    /// Reads a project file; a located error when it is not one.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Diagnostic> {
        Self::read_in(Path::new(""), path)
    }

    /// Reads the project file `path` of the folder `root`: every path (the file's, the specs',
    /// the output's) is relative to `root`, and stays so in diagnostics and generated headers.
    pub fn read_in(root: &Path, path: impl AsRef<Path>) -> Result<Self, Diagnostic> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(root.join(path))
            .map_err(|e| error(path, None, format!("cannot read the project file: {e}")))?;
        let mut config = Self::parse(path, &text)?;
        config.root = root.to_path_buf();
        Ok(config)
    }

    /// A project file from text already in memory.
    pub fn parse(path: &Path, text: &str) -> Result<Self, Diagnostic> {
        let file: File = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
            error(path, line, e.message().to_owned())
        })?;
        let line = |key: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map(|i| i + 1)
        };
        match &file.krate.runtime {
            Some(RuntimeSection::Mode(mode)) if mode != "vendored" => {
                return Err(error(
                    path,
                    line("runtime"),
                    format!("`runtime = {mode:?}`: expected \"vendored\", or the runtime crate as a dependency: `runtime = {{ path = \"...\" }}` (or `git = \"...\"`, `version = \"...\"`)"),
                ))
            }
            Some(RuntimeSection::Dependency(d))
                if d.path.is_none() && d.git.is_none() && d.version.is_none() =>
            {
                return Err(error(
                    path,
                    line("runtime"),
                    "`runtime` names no source: give `path`, `git` or `version`".to_owned(),
                ))
            }
            _ => {}
        }
        Ok(Self {
            path: path.to_path_buf(),
            root: PathBuf::new(),
            file,
        })
    }

    /// The folder the file's paths are relative to.
    fn base(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// Where the crate is written.
    pub fn out(&self) -> PathBuf {
        normalize(&self.base().join(&self.file.krate.out))
    }

    /// The crate's options.
    pub fn options(&self) -> CrateOptions {
        let k = &self.file.krate;
        CrateOptions {
            name: k.name.clone(),
            version: k.version.clone(),
            description: k
                .description
                .clone()
                .unwrap_or_else(|| format!("Typed client generated from {}.", self.path.display())),
            standalone: k.standalone,
            azure_core_feature: k.azure_core_feature,
            runtime: self.runtime(),
            rustfmt: k.rustfmt,
        }
    }

    /// Where the crate gets its runtime; a runtime crate's `path` is made relative to the
    /// crate's folder, as its `Cargo.toml` needs it.
    fn runtime(&self) -> Runtime {
        let Some(RuntimeSection::Dependency(d)) = &self.file.krate.runtime else {
            return Runtime::Vendored;
        };
        let path = d.path.as_ref().map(|path| {
            let absolute = |p: &Path| {
                let p = self.root.join(p);
                normalize(&std::path::absolute(&p).unwrap_or(p))
            };
            let runtime = absolute(&self.base().join(path));
            relative(&absolute(&self.out()), &runtime).unwrap_or(runtime)
        });
        Runtime::Crate(RuntimeDependency {
            path,
            git: d.git.clone(),
            rev: d.rev.clone(),
            tag: d.tag.clone(),
            branch: d.branch.clone(),
            version: d.version.clone(),
        })
    }

    /// Every spec the file names, read with its overlays, by module or service name (a
    /// service's versions by label).
    pub fn specs(&self) -> Result<Vec<Spec>, Diagnostic> {
        let base = self.base();
        let mut specs = Vec::new();
        for module in &self.file.module {
            let path = normalize(&base.join(&module.spec));
            let mut spec = Spec::new(&path, self.read_text(&path)?);
            spec.base = self.root.clone();
            if let Some(name) = &module.name {
                spec.module = crate::names::snake_name(name);
            }
            if let Some(layout) = &module.tag_features {
                spec.tag_features = match layout.as_str() {
                    "auto" => TagFeatures::Auto,
                    "always" => TagFeatures::Always,
                    "never" => TagFeatures::Never,
                    other => {
                        return Err(error(
                            &self.path,
                            None,
                            format!("`tag-features = {other:?}`: expected \"auto\", \"always\" or \"never\""),
                        ))
                    }
                };
            }
            self.keep(&mut spec, &module.keep)?;
            specs.push(spec);
        }
        for service in &self.file.service {
            let versions = self.versions(service)?;
            for (version, path) in versions {
                let text = self.read_text(&path)?;
                let mut spec = Spec::versioned(path, text, &service.name, &version);
                spec.base = self.root.clone();
                self.keep(&mut spec, &service.keep)?;
                for overlay in service.version_overlays.get(&version).into_iter().flatten() {
                    spec.overlays
                        .push(self.overlay(&normalize(&base.join(overlay)))?);
                }
                specs.push(spec);
            }
        }
        // Modules and services by name, versions by label: the crate reads the same whatever
        // the order of the file.
        specs.sort_by(|a, b| {
            let key = |s: &Spec| {
                let top = s
                    .service
                    .as_ref()
                    .map_or(&s.module, |sv| &sv.service)
                    .clone();
                let version = s.service.as_ref().map(|sv| sv.version.clone());
                (top, version)
            };
            key(a).cmp(&key(b))
        });
        Ok(specs)
    }

    fn read_text(&self, path: &Path) -> Result<String, Diagnostic> {
        std::fs::read_to_string(self.root.join(path))
            .map_err(|e| error(path, None, format!("cannot read the spec: {e}")))
    }

    fn overlay(&self, path: &Path) -> Result<Overlay, Diagnostic> {
        let mut overlay = Overlay::read(self.root.join(path))?;
        overlay.path = path.to_path_buf();
        Ok(overlay)
    }

    fn keep(&self, spec: &mut Spec, keep: &Keep) -> Result<(), Diagnostic> {
        let base = self.base();
        for overlay in &keep.overlays {
            spec.overlays
                .push(self.overlay(&normalize(&base.join(overlay)))?);
        }
        spec.selection = Selection {
            tags: keep.tags.clone(),
            operations: keep.operations.clone(),
            skip_unsupported: keep.skip_unsupported,
        };
        Ok(())
    }

    /// A service's versions: (label, path) for every file its pattern matches, by label.
    fn versions(&self, service: &ServiceSection) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
        let pattern = normalize(&self.base().join(&service.versions));
        let segments: Vec<String> = pattern
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let stars: Vec<usize> = (0..segments.len())
            .filter(|i| segments[*i].contains('*'))
            .collect();
        let [star] = stars[..] else {
            return Err(error(
                &self.path,
                None,
                format!(
                    "service `{}`: `versions` needs exactly one `*` (in the part of the path that names the version), as in `stable/*/spec.json`",
                    service.name
                ),
            ));
        };
        let (prefix, suffix) = segments[star].split_once('*').unwrap_or_default();
        let parent: PathBuf = segments[..star].iter().collect();
        let rest: PathBuf = segments[star + 1..].iter().collect();
        let entries = std::fs::read_dir(self.root.join(&parent)).map_err(|e| {
            error(
                &self.path,
                None,
                format!(
                    "service `{}`: cannot read {}: {e}",
                    service.name,
                    parent.display()
                ),
            )
        })?;
        let mut found = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(label) = name
                .strip_prefix(prefix)
                .and_then(|n| n.strip_suffix(suffix))
                .filter(|l| !l.is_empty())
            else {
                continue;
            };
            let path = parent.join(&name).join(&rest);
            if self.root.join(&path).is_file() {
                found.push((label.to_owned(), path));
            }
        }
        found.sort();
        if found.is_empty() {
            return Err(error(
                &self.path,
                None,
                format!(
                    "service `{}`: no file matches {}",
                    service.name,
                    pattern.display()
                ),
            ));
        }
        Ok(found)
    }
}

/// `to` as seen from the folder `from` (both absolute and normalized); `None` when they share
/// no root (two Windows drives).
fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    out.extend(to.iter().skip(common));
    Some(out)
}

fn error(file: &Path, line: Option<usize>, message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_path_buf(),
        pointer: String::new(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line() {
        let e = Config::parse(
            Path::new("codegen.toml"),
            "[crate]\nname = \"x\"\nout = \"o\"\n\n[[module]]\nspec = \"a.yaml\"\nopertions = []\n",
        )
        .unwrap_err();
        assert_eq!(e.file, Path::new("codegen.toml"));
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.contains("unknown field `opertions`"), "{e}");
    }

    /// A new API version is a new folder the `*` matches: nothing else to write.
    #[test]
    fn a_copied_version_file_is_a_new_version() {
        let root = std::env::temp_dir().join(format!("codegen-config-{}", std::process::id()));
        let spec = "swagger: '2.0'\ninfo: {title: t, version: 'V'}\npaths: {}\n";
        let write = |version: &str| {
            let dir = root.join(format!("api/stable/{version}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("keys.json"), spec.replace('V', version)).unwrap();
        };
        write("2020-08-01");
        write("2025-07-01");
        std::fs::write(
            root.join("codegen.toml"),
            "[crate]\nname = \"k\"\nout = \"out\"\n\n[[service]]\nname = \"keys\"\nversions = \"api/stable/*/keys.json\"\n",
        )
        .unwrap();
        let labels = |root: &Path| -> Vec<String> {
            let config = Config::read_in(root, "codegen.toml").unwrap();
            let specs = config.specs().unwrap();
            assert!(
                specs.iter().all(|s| s.path.is_relative()),
                "paths stay relative"
            );
            specs
                .iter()
                .map(|s| s.service.as_ref().unwrap().version.clone())
                .collect()
        };
        assert_eq!(labels(&root), ["2020-08-01", "2025-07-01"]);
        write("2026-01-01");
        assert_eq!(labels(&root), ["2020-08-01", "2025-07-01", "2026-01-01"]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_runtime_crate_is_found_from_the_generated_crate() {
        let c = Config::parse(
            Path::new("specs/codegen.toml"),
            "[crate]\nname = \"x\"\nout = \"../generated\"\nruntime = { path = \"../runtime\" }\n",
        )
        .unwrap();
        let Runtime::Crate(dependency) = c.options().runtime else {
            panic!("vendored")
        };
        assert_eq!(dependency.path.as_deref(), Some(Path::new("../runtime")));
        let c = Config::parse(
            Path::new("codegen.toml"),
            "[crate]\nname = \"x\"\nout = \"a/b\"\nruntime = { git = \"https://example.com/r.git\", tag = \"v1\" }\n",
        )
        .unwrap();
        let Runtime::Crate(dependency) = c.options().runtime else {
            panic!("vendored")
        };
        assert_eq!(dependency.git.as_deref(), Some("https://example.com/r.git"));
        assert_eq!(dependency.path, None);
        let vendored = Config::parse(
            Path::new("codegen.toml"),
            "[crate]\nname = \"x\"\nout = \"o\"\nruntime = \"vendored\"\n",
        )
        .unwrap();
        assert_eq!(vendored.options().runtime, Runtime::Vendored);
        for wrong in ["runtime = \"crate\"", "runtime = { rev = \"abc\" }"] {
            let text = format!("[crate]\nname = \"x\"\nout = \"o\"\n{wrong}\n");
            let e = Config::parse(Path::new("codegen.toml"), &text).unwrap_err();
            assert_eq!(e.line, Some(4), "{e}");
        }
        assert_eq!(
            relative(Path::new("/w/a/b"), Path::new("/w/r")),
            Some(PathBuf::from("../../r"))
        );
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let c = Config::parse(
            Path::new("specs/codegen.toml"),
            "[crate]\nname = \"x\"\nout = \"../generated\"\n",
        )
        .unwrap();
        assert_eq!(c.out(), Path::new("generated"));
        assert!(c.options().standalone);
    }
}
