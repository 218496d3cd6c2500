//! Load: spec text (YAML or JSON) -> `openapiv3::OpenAPI`, plus the raw JSON tree that later
//! stages consult for what `openapiv3` drops (siblings of `$ref`, vendor extensions).

use std::path::Path;

use crate::diag::{Diagnostic, Sink};

mod oas31;
mod parse;

pub(crate) use parse::{path_to_pointer, to_json};

/// A parsed spec.
#[derive(Debug)]
pub struct Loaded {
    pub doc: openapiv3::OpenAPI,
    pub raw: serde_json::Value,
    /// Found while loading (a 3.1 construct with no 3.0 form), pointers as in the file; their
    /// lines are filled in with the later stages' diagnostics.
    pub warnings: Vec<Diagnostic>,
    /// (pointer in `raw`, pointer in the file) of the nodes a 3.1 translation moved: see
    /// `oas31::original_pointer`.
    pub moves: Vec<(String, String)>,
}

pub(crate) use oas31::original_pointer;

/// Parses `text`, read from `file`, as an OpenAPI 3.0.x document (3.1.x is translated to one).
pub fn load(file: &Path, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let mut sink = Sink::new(file, text);
    let result = parse(text, &mut sink);
    sink.locate();
    match result {
        Some(loaded) if sink.errors.is_empty() => Ok(loaded),
        _ => Err(sink.errors),
    }
}

fn parse(text: &str, sink: &mut Sink<'_>) -> Option<Loaded> {
    let mut raw = match to_json(text) {
        Ok(raw) => raw,
        Err((message, line)) => {
            let mut d = sink.diagnostic("", message);
            d.line = line;
            sink.errors.push(d);
            return None;
        }
    };
    // `openapi: 3.2` unquoted is a YAML number: still a version to name.
    let version = match raw.get("openapi") {
        Some(serde_json::Value::String(v)) => Some(v.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let Some(version) = version else {
        let message = if raw.get("swagger").is_some() {
            "this is a Swagger 2.0 document; only OpenAPI 3.0.x and 3.1.x are supported (convert it first)"
        } else {
            "missing `openapi` version field: not an OpenAPI 3.0 document"
        };
        sink.error("/openapi", message);
        return None;
    };
    let mut moves = Vec::new();
    match minor_version(&version) {
        Some(0) => {}
        Some(1) => oas31::to_3_0(&mut raw, sink, &mut moves),
        _ => {
            sink.error(
                "/openapi",
                format!("OpenAPI {version} is not supported: only 3.0.x and 3.1.x documents are"),
            );
            return None;
        }
    }
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw) {
        Ok(doc) => Some(Loaded {
            doc,
            raw,
            warnings: std::mem::take(&mut sink.warnings),
            moves,
        }),
        Err(e) => {
            let pointer = path_to_pointer(e.path());
            let (pointer, message) =
                refine(&raw, &pointer).unwrap_or_else(|| (pointer, e.inner().to_string()));
            let pointer = original_pointer(&pointer, &moves);
            sink.error(
                &pointer,
                format!("not a valid OpenAPI 3.0 document: {message}"),
            );
            None
        }
    }
}

/// `openapiv3` deserializes `paths` and the component maps by hand, which hides the failing
/// entry from `serde_path_to_error`; deserializing the entries one by one finds it.
fn refine(raw: &serde_json::Value, pointer: &str) -> Option<(String, String)> {
    use crate::diag::join;
    fn first_error<T: serde::de::DeserializeOwned>(
        map: &serde_json::Map<String, serde_json::Value>,
        base: &str,
    ) -> Option<(String, String)> {
        map.iter().find_map(|(key, value)| {
            if key.starts_with("x-") {
                return None;
            }
            serde_path_to_error::deserialize::<_, T>(value)
                .err()
                .map(|e| {
                    let inner = path_to_pointer(e.path());
                    (format!("{}{inner}", join(base, key)), e.inner().to_string())
                })
        })
    }
    let map = raw.pointer(pointer)?.as_object()?;
    match pointer {
        "/paths" => first_error::<openapiv3::PathItem>(map, pointer),
        "/components/schemas" => first_error::<openapiv3::Schema>(map, pointer),
        "/components/parameters" => first_error::<openapiv3::Parameter>(map, pointer),
        "/components/responses" => first_error::<openapiv3::Response>(map, pointer),
        "/components/requestBodies" => first_error::<openapiv3::RequestBody>(map, pointer),
        "/components/securitySchemes" => first_error::<openapiv3::SecurityScheme>(map, pointer),
        _ => None,
    }
}

/// The minor version of an OpenAPI 3 version (`3.1.0` -> 1).
fn minor_version(version: &str) -> Option<u32> {
    let mut parts = version.split('.');
    if parts.next() != Some("3") {
        return None;
    }
    parts.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        load(Path::new("spec.yaml"), text).unwrap_err()[0].to_string()
    }

    #[test]
    fn refuses_other_versions() {
        for version in ["3.2.0", "3.2", "4.0.0", "2.0"] {
            let e = err(&format!(
                "openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n"
            ));
            assert!(
                e.contains(&format!("spec.yaml:1: at #/openapi: OpenAPI {version} is not supported: only 3.0.x and 3.1.x")),
                "{e}"
            );
        }
        assert!(err("swagger: '2.0'\n").contains("Swagger 2.0"));
    }

    #[test]
    fn reads_3_1_as_3_0_with_warnings_located_in_the_file() {
        let loaded = load(
            Path::new("spec.yaml"),
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  a: {}\n",
        )
        .unwrap();
        assert_eq!(loaded.raw["openapi"], "3.0.3");
        assert!(loaded.doc.paths.paths.is_empty());
        assert_eq!(loaded.warnings.len(), 1);
        assert_eq!(loaded.warnings[0].pointer, "/webhooks");
    }

    #[test]
    fn json_takes_the_fast_path_to_the_same_document() {
        let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"204": {"description": "ok"}}}}}}"#;
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'204': {description: ok}}\n";
        let a = load(Path::new("a.json"), json).unwrap();
        let b = load(Path::new("b.yaml"), yaml).unwrap();
        assert_eq!(a.raw, b.raw);
        // JSON serde_json refuses (a trailing comma) still gets the YAML parser's line.
        let e = err("{\"openapi\": \"3.0.3\",\n \"info\": [1,,]}");
        assert!(e.contains("not valid YAML or JSON"), "{e}");
        assert!(e.starts_with("spec.yaml:2"), "{e}");
    }

    #[test]
    fn bad_yaml_names_the_line() {
        let e = err("openapi: 3.0.3\ninfo: [\n");
        assert!(e.starts_with("spec.yaml:"), "{e}");
        assert!(e.contains("not valid YAML"), "{e}");
    }

    #[test]
    fn shape_errors_name_the_pointer() {
        let e = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 12\n");
        assert!(e.contains("#/paths/~1a/get/responses"), "{e}");
        assert!(e.contains("spec.yaml:6"), "{e}");
    }

    #[test]
    fn unquoted_status_codes_load() {
        let loaded = load(
            Path::new("spec.yaml"),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n",
        )
        .unwrap();
        assert_eq!(loaded.doc.paths.paths.len(), 1);
    }
}
