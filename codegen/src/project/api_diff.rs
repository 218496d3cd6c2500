//! `api-diff <OLD> <NEW> [--json]`: what changed between two versions of a spec, classified
//! breaking or not from a client's point of view, and which public items of the generated crate
//! change (see [`crate::diff`]).
//!
//! Each argument is a spec file (YAML or JSON, with the files it references), or one module of a
//! project file as `codegen.toml:<module>` (`codegen.toml:<service>@<version>` for one API
//! version), which brings its overlays and operation selection. Both are loaded and checked as
//! generation does, under one module name, so the Rust items of the report name the module the
//! new spec becomes.

use std::path::Path;

use super::{module_for, Failure};
use crate::model::Api;
use crate::{Diagnostic, Spec};

/// The report of one comparison.
#[derive(Debug, Clone)]
pub struct DiffOutcome {
    /// The report, as text or as pretty-printed JSON.
    pub report: String,
    /// Whether a change breaks a client.
    pub breaking: bool,
    /// Warnings found loading either spec (located).
    pub warnings: Vec<Diagnostic>,
}

/// Compares `old` with `new` (text report, or pretty JSON with `json`). Unreadable or invalid
/// specs are a failure naming where.
pub fn api_diff(old: &Path, new: &Path, json: bool) -> Result<DiffOutcome, Failure> {
    let module = match from_config(new) {
        Some((_, name)) => name.split('@').next().unwrap_or(name).to_owned(),
        None => module_for(new),
    };
    let mut warnings = Vec::new();
    let old_api = load(old, &module, &mut warnings)?;
    let new_api = load(new, &module, &mut warnings)?;
    let report = crate::diff::diff(&old_api, &new_api);
    let text = if json {
        serde_json::to_string_pretty(&report.to_json())
            .map(|text| text + "\n")
            .map_err(|e| Failure(format!("error: writing the JSON report: {e}")))?
    } else {
        report.to_text()
    };
    Ok(DiffOutcome {
        report: text,
        breaking: report.breaking(),
        warnings,
    })
}

/// `codegen.toml:<name>` -> (the project file, the name).
fn from_config(path: &Path) -> Option<(&Path, &str)> {
    let text = path.to_str()?;
    let (file, name) = text.rsplit_once(".toml:")?;
    let file = text.get(..file.len() + ".toml".len())?;
    Some((Path::new(file), name))
}

/// The spec `name` (`module` or `service@version`) of a project file.
fn spec_of_config(file: &Path, name: &str) -> Result<Spec, Failure> {
    let config = crate::config::Config::read(file)?;
    let specs = config.specs()?;
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
            Failure(format!(
                "error: {} has no module `{name}` (a service's version is `service@version`)",
                file.display()
            ))
        })
}

/// Loads and checks one spec under `module`.
fn load(path: &Path, module: &str, warnings: &mut Vec<Diagnostic>) -> Result<Api, Failure> {
    let mut spec = match from_config(path) {
        Some((file, name)) => spec_of_config(file, name)?,
        None => Spec::read(path)?,
    };
    spec.module = module.to_owned();
    let (api, mut found) = crate::model_of(&spec)?;
    warnings.append(&mut found);
    Ok(api)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
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
        let breaking = api_diff(
            &fixture("tightened_pattern", "old"),
            &fixture("tightened_pattern", "new"),
            false,
        )
        .unwrap();
        assert!(breaking.breaking);
        let fine = api_diff(
            &fixture("api_version_bump", "old"),
            &fixture("api_version_bump", "new"),
            true,
        )
        .unwrap();
        assert!(!fine.breaking);
        assert!(fine.report.starts_with('{'), "{}", fine.report);
    }

    #[test]
    fn the_versions_of_a_service_can_be_compared() {
        let config = root().join("specs/codegen.toml");
        let old = PathBuf::from(format!("{}:log_analytics@2020-08-01", config.display()));
        let new = PathBuf::from(format!("{}:log_analytics@2025-07-01", config.display()));
        let result = api_diff(&old, &new, false);
        assert!(result.is_ok(), "{result:?}");
        let missing = PathBuf::from(format!("{}:log_analytics@1999-01-01", config.display()));
        let err = api_diff(&old, &missing, false).unwrap_err().0;
        assert!(
            err.contains("has no module `log_analytics@1999-01-01`"),
            "{err}"
        );
    }

    #[test]
    fn invalid_and_missing_specs_are_errors_naming_the_file() {
        let broken = root().join("codegen/tests/broken/dangling_ref.yaml");
        let err = api_diff(&fixture("widened_enum", "old"), &broken, false)
            .unwrap_err()
            .0;
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains("dangling_ref.yaml"), "{err}");
        let missing = root().join("no/such/spec.yaml");
        let err = api_diff(&missing, &fixture("widened_enum", "new"), false)
            .unwrap_err()
            .0;
        assert!(err.contains("cannot read the spec"), "{err}");
        assert!(err.contains("spec.yaml"), "{err}");
    }
}
