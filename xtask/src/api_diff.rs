//! `cargo xtask api-diff <OLD> <NEW> [--json]`: what changed between two versions of a spec,
//! classified breaking or not from a client's point of view, and which public items of the
//! generated crate change (see `codegen::diff`).
//!
//! Each argument is a spec file (YAML or JSON, with the files it references), or one module of a
//! project file as `codegen.toml:<module>` (`codegen.toml:<service>@<version>` for one API
//! version), which brings its overlays and operation selection. Both are loaded and checked like
//! `codegen` does, under one module name, so the Rust items of the report name the module the
//! new spec becomes. The caller exits 1 when something breaking was found.

use std::path::Path;

use codegen::model::Api;
use codegen::{Errors, Spec};

/// Prints the report of `old` -> `new` (text, or pretty JSON with `json`) to stdout and returns
/// whether a change is breaking. Unreadable or invalid specs are an error naming where.
pub fn run(old: &Path, new: &Path, json: bool) -> Result<bool, String> {
    let module = match from_config(new) {
        Some((_, name)) => name.split('@').next().unwrap_or(name).to_owned(),
        None => module_for(new),
    };
    let old_api = load(old, &module)?;
    let new_api = load(new, &module)?;
    let report = codegen::diff::diff(&old_api, &new_api);
    if json {
        let text = serde_json::to_string_pretty(&report.to_json())
            .map_err(|e| format!("error: writing the JSON report: {e}"))?;
        println!("{text}");
    } else {
        print!("{}", report.to_text());
    }
    Ok(report.breaking())
}

/// The module the spec at `path` becomes: its file stem in `snake_case`, or for one version of a
/// service (`specs/<service>/<version>.yaml`, a stem starting with a digit) the service folder.
pub fn module_for(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.starts_with(|c: char| c.is_ascii_digit()) {
        if let Some(service) = path.parent().and_then(Path::file_name) {
            return codegen::names::snake_name(&service.to_string_lossy());
        }
    }
    codegen::module_name(path)
}

/// `codegen.toml:<name>` -> (the project file, the name).
fn from_config(path: &Path) -> Option<(&Path, &str)> {
    let text = path.to_str()?;
    let (file, name) = text.rsplit_once(".toml:")?;
    let file = &text[..file.len() + ".toml".len()];
    Some((Path::new(file), name))
}

/// The spec `name` (`module` or `service@version`) of a project file.
fn spec_of_config(file: &Path, name: &str) -> Result<Spec, String> {
    let config = codegen::config::Config::read(file).map_err(|d| Errors(vec![d]).to_string())?;
    let specs = config.specs().map_err(|d| Errors(vec![d]).to_string())?;
    let (top, version) = match name.split_once('@') {
        Some((top, version)) => (top, Some(version)),
        None => (name, None),
    };
    specs
        .into_iter()
        .find(|s| match (&s.service, version) {
            (Some(sv), Some(v)) => sv.service == top && sv.version == v,
            (None, None) => s.module == top,
            _ => false,
        })
        .ok_or_else(|| {
            format!(
                "error: {} has no module `{name}` (a service's version is `service@version`)",
                file.display()
            )
        })
}

/// Loads and checks one spec under `module`; warnings go to stderr.
fn load(path: &Path, module: &str) -> Result<Api, String> {
    let mut spec = match from_config(path) {
        Some((file, name)) => spec_of_config(file, name)?,
        None => Spec::read(path).map_err(|d| Errors(vec![d]).to_string())?,
    };
    spec.module = module.to_owned();
    let (api, warnings) = codegen::model_of(&spec).map_err(|e| e.to_string())?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(api)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf()
    }

    fn fixture(rule: &str, side: &str) -> PathBuf {
        root().join(format!("codegen/tests/diff/{rule}/{side}.yaml"))
    }

    #[test]
    fn modules_follow_the_file_or_the_service_folder() {
        assert_eq!(module_for(Path::new("specs/search.yaml")), "search");
        assert_eq!(
            module_for(Path::new("specs/log_analytics/2025-07-01.yaml")),
            "log_analytics"
        );
        assert_eq!(
            module_for(Path::new("/tmp/Log-Analytics/2024-03-01-preview.json")),
            "log_analytics"
        );
        assert_eq!(module_for(Path::new("2025-07-01.yaml")), "_2025_07_01");
    }

    #[test]
    fn breaking_changes_are_reported_to_the_caller() {
        let breaking = run(
            &fixture("tightened_pattern", "old"),
            &fixture("tightened_pattern", "new"),
            false,
        );
        assert_eq!(breaking, Ok(true));
        let fine = run(
            &fixture("api_version_bump", "old"),
            &fixture("api_version_bump", "new"),
            true,
        );
        assert_eq!(fine, Ok(false));
    }

    #[test]
    fn the_versions_of_a_service_can_be_compared() {
        let config = root().join("specs/codegen.toml");
        let old = PathBuf::from(format!("{}:log_analytics@2020-08-01", config.display()));
        let new = PathBuf::from(format!("{}:log_analytics@2025-07-01", config.display()));
        let result = run(&old, &new, false);
        assert!(result.is_ok(), "{result:?}");
        let missing = PathBuf::from(format!("{}:log_analytics@1999-01-01", config.display()));
        let err = run(&old, &missing, false).unwrap_err();
        assert!(
            err.contains("has no module `log_analytics@1999-01-01`"),
            "{err}"
        );
    }

    #[test]
    fn invalid_and_missing_specs_are_errors_naming_the_file() {
        let broken = root().join("codegen/tests/broken/dangling_ref.yaml");
        let err = run(&fixture("widened_enum", "old"), &broken, false).unwrap_err();
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains("dangling_ref.yaml"), "{err}");
        let missing = root().join("no/such/spec.yaml");
        let err = run(&missing, &fixture("widened_enum", "new"), false).unwrap_err();
        assert!(err.contains("cannot read the spec"), "{err}");
        assert!(err.contains("spec.yaml"), "{err}");
    }
}
