//! Load: a spec as published -> one OpenAPI 3.0 document, as `openapiv3::OpenAPI` plus the raw
//! JSON tree that later stages consult for what `openapiv3` drops (siblings of `$ref`, vendor
//! extensions).
//!
//! In order: the root file's text to JSON (`parse`); the files its `$ref`s reach read and
//! bundled in (`docset`); its overlays applied (`overlay`); Swagger 2.0 (`swagger2`) translated to
//! OpenAPI 3.0; the conventions of Azure Resource Manager specs made explicit (`arm`);
//! the result read as `openapiv3`. Every step records where each node came from
//! ([`Sources`]), so diagnostics name the file, JSON pointer and line as written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Sink, Sources};

mod arm;
mod docset;
mod oas31;
mod overlay;
mod parse;
mod polymorphism;
mod swagger2;

pub(crate) use docset::normalize;

/// The operations a path item holds, by key.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Records that the node now at `now` was at `before` (nothing when it did not move).
pub(crate) fn record_move(moves: &mut Vec<(String, String)>, now: String, before: String) {
    if now != before {
        moves.push((now, before));
    }
}
pub(crate) use parse::{path_to_pointer, to_json};

/// A spec loaded into one OpenAPI 3.0 document.
#[derive(Debug)]
pub struct Loaded {
    /// The document as OpenAPI 3.0.
    pub doc: openapiv3::OpenAPI,
    /// The same document as a JSON tree, with what `openapiv3` drops (`$ref` siblings, extensions).
    pub raw: serde_json::Value,
    /// Every file read, and where each part of the document came from.
    pub sources: Sources,
    /// What the spec was written as.
    pub format: Format,
    /// Found on the way (located).
    pub warnings: Vec<Diagnostic>,
}

/// What a spec was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Swagger 2.0 (translated).
    Swagger2,
    /// OpenAPI 3.0.
    OpenApi30,
    /// OpenAPI 3.1 (translated).
    OpenApi31,
}

impl Format {
    /// The format's name as messages write it (`Swagger 2.0`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Swagger2 => "Swagger 2.0",
            Format::OpenApi30 => "OpenAPI 3.0",
            Format::OpenApi31 => "OpenAPI 3.1",
        }
    }
}

/// Where the files a spec references are read from.
pub trait Files: Send + Sync {
    /// The text of the file at `path` (as a `$ref` names it, joined to its referrer's folder).
    fn read(&self, path: &Path) -> std::io::Result<String>;
}

/// The file system; relative paths are read from `base` (the working directory when empty).
#[derive(Debug, Clone, Default)]
pub struct Disk {
    /// The folder relative paths are read from.
    pub base: PathBuf,
}

impl Files for Disk {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(self.base.join(path))
    }
}

/// Files in memory, by path (tests, fuzzing): nothing else is read.
impl Files for BTreeMap<PathBuf, String> {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.get(&docset::normalize(path)).cloned().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file in the set")
        })
    }
}

/// An overlay (OpenAPI Overlay Specification 1.0 or 1.1) to apply to a spec before anything
/// else reads it.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The overlay file, as shown in diagnostics.
    pub path: PathBuf,
    /// Its text (YAML or JSON).
    pub text: String,
}

impl Overlay {
    /// Reads an overlay file.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Diagnostic> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Diagnostic::unreadable(path, "the overlay", &e))?;
        Ok(Self {
            path: path.to_path_buf(),
            text,
        })
    }
}

/// What to load: the root spec, its overlays, and where referenced files come from.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The root spec's path, as shown in diagnostics.
    pub path: &'a Path,
    /// The root spec's text.
    pub text: &'a str,
    /// The overlays, applied in order.
    pub overlays: &'a [Overlay],
    /// Where referenced files are read from.
    pub files: &'a dyn Files,
}

/// Loads the spec `text` (read from `file`), reading the files it references from disk.
pub fn load(file: &Path, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    load_input(&Input {
        path: file,
        text,
        overlays: &[],
        files: &Disk::default(),
    })
}

/// Loads a spec with its overlays and the files it references.
pub fn load_input(input: &Input<'_>) -> Result<Loaded, Vec<Diagnostic>> {
    let mut raw = parse_root(input)?;
    let format = detect(&raw, input)?;
    let mut warnings = Vec::new();
    let sources = bring_in(&mut raw, format, input, &mut warnings)?;
    let sources = translate(&mut raw, format, sources, &mut warnings)?;
    // What reading the result finds is about the translated document.
    let mut sink = Sink::of_set(&sources);
    let doc = deserialize(&raw, &mut sink);
    sink.locate();
    warnings.append(&mut sink.warnings);
    match doc {
        Some(doc) if sink.errors.is_empty() => Ok(Loaded {
            doc,
            raw,
            sources,
            format,
            warnings,
        }),
        _ => Err(sink.errors),
    }
}

/// The root file's text as JSON; a located error when it is neither YAML nor JSON.
fn parse_root(input: &Input<'_>) -> Result<serde_json::Value, Vec<Diagnostic>> {
    to_json(input.text).map_err(|(message, line)| {
        vec![Diagnostic {
            file: input.path.to_path_buf(),
            pointer: String::new(),
            line,
            message,
        }]
    })
}

fn detect(raw: &serde_json::Value, input: &Input<'_>) -> Result<Format, Vec<Diagnostic>> {
    let mut sink = Sink::new(input.path, input.text);
    let format = format_of(raw, &mut sink);
    sink.locate();
    match format {
        Some(f) if sink.errors.is_empty() => Ok(f),
        _ => Err(sink.errors),
    }
}

/// Brings in the parts other files define, applies the overlays, and brings in what their
/// updates reference: the files read, and where each part came from.
fn bring_in(
    raw: &mut serde_json::Value,
    format: Format,
    input: &Input<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Sources, Vec<Diagnostic>> {
    let flavor = match format {
        Format::Swagger2 => docset::Flavor::Swagger2,
        Format::OpenApi30 | Format::OpenApi31 => docset::Flavor::OpenApi3,
    };
    let sources = Sources::single(input.path, input.text);
    let mut set = docset::DocSet::new(flavor, input.files, sources);
    set.bundle(raw)?;
    // Overlays see the parts other files define too, under the names they were brought in as
    // (`$.parameters.SubscriptionIdParameter` of Azure's common types); what their updates
    // refer to in other files (relative to the spec) is brought in after them.
    for overlay in input.overlays {
        warnings.extend(overlay::apply(raw, &overlay.path, &overlay.text)?);
    }
    if !input.overlays.is_empty() {
        set.bundle(raw)?;
    }
    warnings.append(&mut set.take_warnings());
    Ok(set.into_sources())
}

/// Swagger 2.0 and OpenAPI 3.1 to 3.0, discriminated hierarchies to unions, ARM's conventions;
/// every move recorded in the sources.
fn translate(
    raw: &mut serde_json::Value,
    format: Format,
    mut sources: Sources,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Sources, Vec<Diagnostic>> {
    // The translations report what they find at its place before they moved it: in the
    // bundled document, mapped to its file directly.
    let mut found = Sink::new(Path::new(""), "");
    let mut moves = Vec::new();
    match format {
        Format::Swagger2 => swagger2::to_3_0(raw, &mut found, &mut moves),
        Format::OpenApi31 => oas31::to_3_0(raw, &mut found, &mut moves),
        Format::OpenApi30 => {}
    }
    // Unions of discriminated hierarchies, in 3.0 terms: a layer of moves of their own.
    let mut union_moves = Vec::new();
    polymorphism::unions(raw, &mut found, &mut union_moves);
    arm::conventions(raw, &mut found);
    for d in found.errors.iter_mut().chain(found.warnings.iter_mut()) {
        let (file, pointer) = sources.origin_bundled(&d.pointer);
        if let Some(f) = sources.files.get(file) {
            d.file = f.path.clone();
        }
        d.pointer = pointer;
    }
    sources.locate(&mut found.errors);
    sources.locate(&mut found.warnings);
    warnings.append(&mut found.warnings);
    if !found.errors.is_empty() {
        return Err(found.errors);
    }
    sources.translated(moves);
    sources.translated(union_moves);
    Ok(sources)
}

/// The spec's format, from its `swagger` or `openapi` field.
fn format_of(raw: &serde_json::Value, sink: &mut Sink<'_>) -> Option<Format> {
    if let Some(version) = raw.get("swagger") {
        if version.as_str() == Some("2.0") {
            return Some(Format::Swagger2);
        }
        let version = version
            .as_str()
            .map_or_else(|| version.to_string(), str::to_owned);
        sink.error(
            "/swagger",
            format!("Swagger {version} is not supported: only 2.0 is"),
        );
        return None;
    }
    // `openapi: 3.2` unquoted is a YAML number: still a version to name.
    let version = match raw.get("openapi") {
        Some(serde_json::Value::String(v)) => Some(v.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let Some(version) = version else {
        sink.error(
            "/openapi",
            "missing `openapi` version field: not an OpenAPI 3 or Swagger 2.0 document",
        );
        return None;
    };
    let mut parts = version.split('.');
    match (parts.next(), parts.next()) {
        (Some("3"), Some("0")) => Some(Format::OpenApi30),
        (Some("3"), Some("1")) => Some(Format::OpenApi31),
        _ => {
            sink.error(
                "/openapi",
                format!("OpenAPI {version} is not supported: only 3.0.x and 3.1.x documents (and Swagger 2.0) are"),
            );
            None
        }
    }
}

fn deserialize(raw: &serde_json::Value, sink: &mut Sink<'_>) -> Option<openapiv3::OpenAPI> {
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(raw) {
        Ok(doc) => Some(doc),
        Err(e) => {
            let pointer = path_to_pointer(e.path());
            let (pointer, message) =
                refine(raw, &pointer).unwrap_or_else(|| (pointer, e.inner().to_string()));
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
        let e = err("swagger: '1.2'\n");
        assert!(
            e.contains("spec.yaml:1: at #/swagger: Swagger 1.2 is not supported: only 2.0 is"),
            "{e}"
        );
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
