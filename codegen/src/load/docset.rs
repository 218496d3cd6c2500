//! The document set: a root spec and every file its `$ref`s reach (relative paths, any depth,
//! JSON or YAML, cycles included), bundled into one document that the later stages read as if it
//! had been written as one file.
//!
//! A part another file defines in a reusable section (`#/definitions/X`,
//! `#/components/schemas/X`, ...) or that is used where a reusable object goes (a whole file
//! used as a schema) is brought into the root's own section of that kind, under its own name
//! (numbered if the root already has one), once however many places refer to it. Path items,
//! and what Swagger 2.0 cannot put in a section (headers), are copied where they are used. Every
//! part brought in is recorded in [`Sources`], so a diagnostic about it names its own file, JSON
//! pointer and line.
//!
//! `$ref`s are followed only where the OpenAPI structure puts objects that can be references;
//! `$ref` keys inside examples and vendor extensions (Azure's `x-ms-examples`) are data, and the
//! files they name are not read. Remote references are refused: the generator never uses the
//! network.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::{Files, METHODS};
use crate::diag::{escape_token, join, unescape_token, Diagnostic, SourceFile, Sources};

/// The shape of the root document, which decides where reusable parts go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Swagger2,
    OpenApi3,
}

/// What the OpenAPI structure holds at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Document,
    Paths,
    PathItem,
    Operation,
    Params,
    ParamMap,
    Parameter,
    ParamHost,
    Components,
    BodyMap,
    RequestBody,
    Content,
    MediaType,
    EncodingMap,
    Encoding,
    ResponseMap,
    Response,
    HeaderMap,
    Header,
    CallbackMap,
    Callback,
    Schemas,
    SchemaList,
    Schema,
    /// Data (examples, vendor extensions, descriptions): `$ref` keys there are not followed.
    Other,
}

/// The kind of the value under `key` of a `kind` node.
fn child(kind: Kind, key: &str) -> Kind {
    use Kind::*;
    let extension = key.starts_with("x-");
    match (kind, key) {
        (Document, "x-ms-paths") => Paths,
        (Document, "x-ms-parameterized-host") => ParamHost,
        (_, _) if extension => Other,
        (Document, "paths" | "webhooks") => Paths,
        (Document, "components") => Components,
        (Document, "definitions") => Schemas,
        (Document, "parameters") => ParamMap,
        (Document, "responses") => ResponseMap,
        (ParamHost, "parameters") => Params,
        (Components, "schemas") => Schemas,
        (Components, "parameters") => ParamMap,
        (Components, "responses") => ResponseMap,
        (Components, "requestBodies") => BodyMap,
        (Components, "headers") => HeaderMap,
        (Components, "callbacks") => CallbackMap,
        (Components, "pathItems") => Paths,
        (Paths | Callback, _) => PathItem,
        (PathItem | Operation, "parameters") => Params,
        (PathItem, m) if METHODS.contains(&m) => Operation,
        (Operation, "requestBody") => RequestBody,
        (Operation, "responses") => ResponseMap,
        (Operation, "callbacks") => CallbackMap,
        (Params | ParamMap, _) => Parameter,
        (Parameter | Header, "schema" | "items") => Schema,
        (Parameter | Header | RequestBody | Response, "content") => Content,
        (BodyMap, _) => RequestBody,
        (Content, _) => MediaType,
        (MediaType, "schema") | (Response, "schema") => Schema,
        (MediaType, "encoding") => EncodingMap,
        (EncodingMap, _) => Encoding,
        (Encoding | Response, "headers") => HeaderMap,
        (ResponseMap, _) => Response,
        (HeaderMap, _) => Header,
        (CallbackMap, _) => Callback,
        (
            Schema,
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
        ) => Schemas,
        (
            Schema,
            "items"
            | "additionalProperties"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedProperties"
            | "unevaluatedItems"
            | "additionalItems"
            | "contentSchema",
        ) => Schema,
        (Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => SchemaList,
        (Schemas | SchemaList, _) => Schema,
        _ => Other,
    }
}

/// The kind of an element of a `kind` array.
fn element(kind: Kind) -> Kind {
    match kind {
        Kind::Params => Kind::Parameter,
        // `items: [..]` (a tuple) and the members of `allOf`, `anyOf`, ...
        Kind::SchemaList | Kind::Schema => Kind::Schema,
        _ => Kind::Other,
    }
}

/// What a kind is called in messages.
fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Schema => "a schema",
        Kind::Parameter => "a parameter",
        Kind::Response => "a response",
        Kind::RequestBody => "a request body",
        Kind::Header => "a header",
        Kind::PathItem => "a path item",
        Kind::Callback => "a callback",
        _ => "an object",
    }
}

/// The section of the root that holds reusable parts of `kind`, or `None` when such a part is
/// copied where it is used.
fn section(kind: Kind, flavor: Flavor) -> Option<&'static [&'static str]> {
    match (flavor, kind) {
        (Flavor::Swagger2, Kind::Schema) => Some(&["definitions"]),
        (Flavor::Swagger2, Kind::Parameter) => Some(&["parameters"]),
        (Flavor::Swagger2, Kind::Response) => Some(&["responses"]),
        (Flavor::OpenApi3, Kind::Schema) => Some(&["components", "schemas"]),
        (Flavor::OpenApi3, Kind::Parameter) => Some(&["components", "parameters"]),
        (Flavor::OpenApi3, Kind::Response) => Some(&["components", "responses"]),
        (Flavor::OpenApi3, Kind::RequestBody) => Some(&["components", "requestBodies"]),
        (Flavor::OpenApi3, Kind::Header) => Some(&["components", "headers"]),
        (Flavor::OpenApi3, Kind::Callback) => Some(&["components", "callbacks"]),
        _ => None,
    }
}

/// The kind a pointer's place declares (`/definitions/X` holds a schema), when it does.
fn declared_kind(pointer: &str) -> Option<Kind> {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    match tokens.as_slice() {
        ["definitions", _] => Some(Kind::Schema),
        ["parameters", _] => Some(Kind::Parameter),
        ["responses", _] => Some(Kind::Response),
        ["paths" | "x-ms-paths", _] => Some(Kind::PathItem),
        ["components", section, _] => match *section {
            "schemas" => Some(Kind::Schema),
            "parameters" => Some(Kind::Parameter),
            "responses" => Some(Kind::Response),
            "requestBodies" => Some(Kind::RequestBody),
            "headers" => Some(Kind::Header),
            "callbacks" => Some(Kind::Callback),
            "pathItems" => Some(Kind::PathItem),
            _ => None,
        },
        _ => None,
    }
}

/// One reference's target: a file of the set and a pointer in it.
type Target = (usize, String);

/// A part to bring into the root: read `pointer` of `file`, put it at `at` (tokens).
struct Import {
    file: usize,
    pointer: String,
    kind: Kind,
    at: Vec<String>,
}

/// Where the walk is: the file and the pointer there, and the place in the root document.
#[derive(Clone)]
struct Place {
    file: usize,
    pointer: String,
    at: String,
}

impl Place {
    fn child(&self, token: &str) -> Place {
        Place {
            file: self.file,
            pointer: join(&self.pointer, token),
            at: join(&self.at, token),
        }
    }
}

struct Bundler<'a> {
    flavor: Flavor,
    files: &'a dyn Files,
    /// Parsed files of the set by index (`None` for the root, which is the document, and for a
    /// file that does not parse, reported once).
    trees: Vec<Option<Value>>,
    sources: Sources,
    by_path: HashMap<PathBuf, usize>,
    /// (file, pointer) -> the local `$ref` it was brought in as.
    imported: HashMap<Target, String>,
    /// Names in use per section, by the section's pointer.
    taken: HashMap<String, HashSet<String>>,
    queue: VecDeque<Import>,
    /// Files that could not be read, reported at their first reference only.
    unreadable: HashSet<PathBuf>,
    /// Parts being copied in place, to refuse a cycle of them.
    inlining: Vec<Target>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// A document set being bundled: the files read so far and the parts brought in, kept between
/// passes (the overlays' references are brought in by a second pass, after they apply).
pub(crate) struct DocSet<'a> {
    b: Bundler<'a>,
}

impl<'a> DocSet<'a> {
    /// A set whose root is `sources.files[0]`.
    pub(crate) fn new(flavor: Flavor, files: &'a dyn Files, sources: Sources) -> Self {
        let mut b = Bundler {
            flavor,
            files,
            trees: vec![None],
            sources,
            by_path: HashMap::new(),
            imported: HashMap::new(),
            taken: HashMap::new(),
            queue: VecDeque::new(),
            unreadable: HashSet::new(),
            inlining: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        if let Some(path) = b.sources.files.first().map(|f| normalize(&f.path)) {
            b.by_path.insert(path, 0);
        }
        Self { b }
    }

    /// Brings every part the root's references reach into `root`, if not brought in by an
    /// earlier pass.
    pub(crate) fn bundle(&mut self, root: &mut Value) -> Result<(), Vec<Diagnostic>> {
        // Most specs are one file: one scan without allocating finds nothing to bring in.
        if !has_external_ref(root, 0) {
            return Ok(());
        }
        let b = &mut self.b;
        // Parts brought in take names the root does not use.
        for kind in [
            Kind::Schema,
            Kind::Parameter,
            Kind::Response,
            Kind::RequestBody,
            Kind::Header,
            Kind::Callback,
        ] {
            if let Some(section) = section(kind, b.flavor) {
                let pointer = section_pointer(section);
                let names = root
                    .pointer(&pointer)
                    .and_then(Value::as_object)
                    .map(|m| m.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default();
                b.taken.entry(pointer).or_default().extend(names);
            }
        }
        let start = Place {
            file: 0,
            pointer: String::new(),
            at: String::new(),
        };
        b.walk(root, Kind::Document, &start, 0);
        while let Some(import) = b.queue.pop_front() {
            b.bring(root, import);
        }
        if b.errors.is_empty() {
            Ok(())
        } else {
            let mut errors = std::mem::take(&mut b.errors);
            b.sources.locate(&mut errors);
            Err(errors)
        }
    }

    /// What the passes found that the spec should say otherwise (located).
    pub(crate) fn take_warnings(&mut self) -> Vec<Diagnostic> {
        let mut warnings = std::mem::take(&mut self.b.warnings);
        self.b.sources.locate(&mut warnings);
        warnings
    }

    /// The files read, and where each part brought in came from.
    pub(crate) fn into_sources(self) -> Sources {
        self.b.sources
    }
}

/// Deeper nesting than this is not searched for references (the resolver reports it).
const MAX_DEPTH: usize = 256;

impl Bundler<'_> {
    fn diagnostic(&self, file: usize, pointer: &str, message: String) -> Diagnostic {
        let path = self
            .sources
            .files
            .get(file)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        Diagnostic {
            file: path,
            pointer: pointer.to_owned(),
            line: None,
            message,
        }
    }

    fn error(&mut self, file: usize, pointer: &str, message: String) {
        let d = self.diagnostic(file, pointer, message);
        self.errors.push(d);
    }

    fn warn(&mut self, file: usize, pointer: &str, message: String) {
        let d = self.diagnostic(file, pointer, message);
        self.warnings.push(d);
    }

    /// Rewrites the references under `node` (a `kind` at `place`).
    fn walk(&mut self, node: &mut Value, kind: Kind, place: &Place, depth: usize) {
        if kind == Kind::Other || depth > MAX_DEPTH {
            return;
        }
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    self.reference(node, &reference, kind, place, depth);
                    return;
                }
                for (key, value) in map.iter_mut() {
                    let kind = child(kind, key);
                    if kind != Kind::Other && (value.is_object() || value.is_array()) {
                        self.walk(value, kind, &place.child(key), depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                let kind = element(kind);
                for (i, value) in items.iter_mut().enumerate() {
                    self.walk(value, kind, &place.child(&i.to_string()), depth + 1);
                }
            }
            _ => {}
        }
    }

    /// One `$ref` node: left alone when it is local to the root, else pointed at the part
    /// brought in, or replaced by a copy of it.
    fn reference(
        &mut self,
        node: &mut Value,
        reference: &str,
        kind: Kind,
        place: &Place,
        depth: usize,
    ) {
        if place.file == 0 && reference.starts_with('#') {
            return;
        }
        let at = join(&place.pointer, "$ref");
        let Some((file, pointer)) = self.target(reference, place.file, &at) else {
            return;
        };
        if file == 0 {
            // Back into the root: a local reference.
            node["$ref"] = Value::String(format!("#{pointer}"));
            return;
        }
        let Some(tree) = &self.trees[file] else {
            return;
        };
        let Some(found) = tree.pointer(&pointer) else {
            let path = self.sources.files[file].path.display().to_string();
            self.error(
                place.file,
                &at,
                format!("`{reference}` points to nothing: {path} has no `#{pointer}`"),
            );
            return;
        };
        if let Some(declared) = declared_kind(&pointer).filter(|d| *d != kind) {
            self.error(
                place.file,
                &at,
                format!(
                    "`{reference}` points to {}, not {}",
                    noun(declared),
                    noun(kind)
                ),
            );
            return;
        }
        match section(kind, self.flavor) {
            Some(section) => {
                let local = self.import(file, pointer, kind, section);
                node["$ref"] = Value::String(local);
            }
            None => {
                let found = found.clone();
                self.inline(node, found, (file, pointer), kind, place, depth);
            }
        }
    }

    /// A part copied where it is used (a path item, a Swagger 2.0 header).
    fn inline(
        &mut self,
        node: &mut Value,
        mut found: Value,
        target: Target,
        kind: Kind,
        place: &Place,
        depth: usize,
    ) {
        if self.inlining.contains(&target) {
            self.error(
                place.file,
                &join(&place.pointer, "$ref"),
                format!(
                    "this reference includes itself (through {}#{})",
                    self.sources.files[target.0].path.display(),
                    target.1
                ),
            );
            return;
        }
        self.inlining.push(target.clone());
        let inner = Place {
            file: target.0,
            pointer: target.1.clone(),
            at: place.at.clone(),
        };
        self.walk(&mut found, kind, &inner, depth + 1);
        self.inlining.pop();
        self.sources.bundled(place.at.clone(), target.0, target.1);
        *node = found;
    }

    /// The local reference of a part of another file, queued to be brought in on first use.
    fn import(
        &mut self,
        file: usize,
        pointer: String,
        kind: Kind,
        section: &'static [&'static str],
    ) -> String {
        let key = (file, pointer);
        if let Some(local) = self.imported.get(&key) {
            return local.clone();
        }
        let base = match key.1.rsplit('/').next().filter(|t| !t.is_empty()) {
            Some(token) => unescape_token(token),
            None => stem(&self.sources.files[file].path),
        };
        let section_pointer = section_pointer(section);
        let taken = self.taken.entry(section_pointer.clone()).or_default();
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(name.clone());
        let local = format!("#{section_pointer}/{}", escape_token(&name));
        self.imported.insert(key.clone(), local.clone());
        let mut at: Vec<String> = section.iter().map(|s| (*s).to_owned()).collect();
        at.push(name);
        self.queue.push_back(Import {
            file,
            pointer: key.1,
            kind,
            at,
        });
        local
    }

    /// Puts a queued part into the root, its own references rewritten.
    fn bring(&mut self, root: &mut Value, import: Import) {
        let found = self.trees[import.file]
            .as_ref()
            .and_then(|tree| tree.pointer(&import.pointer));
        let Some(mut value) = found.cloned() else {
            return;
        };
        let at: String = import
            .at
            .iter()
            .map(|t| format!("/{}", escape_token(t)))
            .collect();
        let place = Place {
            file: import.file,
            pointer: import.pointer.clone(),
            at: at.clone(),
        };
        self.walk(&mut value, import.kind, &place, 0);
        if insert_at(root, &import.at, value) {
            self.sources.bundled(at, import.file, import.pointer);
        }
    }

    /// The file and pointer `reference` names, read from `file`; the file is read (once) if it
    /// is new. `at` is where the reference is, for errors.
    fn target(&mut self, reference: &str, file: usize, at: &str) -> Option<Target> {
        let (path, fragment) = match reference.split_once('#') {
            Some((path, fragment)) => (path, fragment),
            None => (reference, ""),
        };
        if let Some(scheme) = scheme(path) {
            let message = if matches!(scheme.as_str(), "http" | "https") {
                format!("`{reference}` is a remote reference: the generator never uses the network; download the file next to the spec and refer to it by a relative path")
            } else {
                format!("`{reference}`: `{scheme}:` references are not supported; refer to the file by a relative path")
            };
            self.error(file, at, message);
            return None;
        }
        let fragment = percent_encoding::percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned();
        let fragment = if fragment.is_empty() || fragment.starts_with('/') {
            fragment
        } else {
            // `#definitions/Name`: a pointer without its leading `/`, read as one (an anchor
            // name has no `/` and stays an error).
            if !fragment.contains('/') {
                self.error(
                    file,
                    at,
                    format!("`{reference}`: the part after `#` must be a JSON pointer (`#/definitions/Name`), not an anchor name"),
                );
                return None;
            }
            let fixed = format!("/{fragment}");
            self.warn(
                file,
                at,
                format!("`{reference}`: the part after `#` is a JSON pointer and starts with `/`: read as `#{fixed}`"),
            );
            fixed
        };
        if path.is_empty() {
            return Some((file, fragment));
        }
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned();
        let from = self.sources.files[file]
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let target = self.open(&normalize(&from.join(decoded)), reference, file, at)?;
        Some((target, fragment))
    }

    /// The index of the file at `path`, read and parsed on first use.
    fn open(&mut self, path: &Path, reference: &str, file: usize, at: &str) -> Option<usize> {
        if let Some(index) = self.by_path.get(path) {
            return Some(*index);
        }
        if self.unreadable.contains(path) {
            return None;
        }
        let text = match self.files.read(path) {
            Ok(text) => text,
            Err(e) => {
                self.unreadable.insert(path.to_path_buf());
                self.error(
                    file,
                    at,
                    format!(
                        "`{reference}` names {}, which cannot be read: {e}",
                        path.display()
                    ),
                );
                return None;
            }
        };
        let tree = match super::to_json(&text) {
            Ok(tree) => Some(tree),
            Err((message, line)) => {
                let referrer = self.sources.files[file].path.display().to_string();
                self.errors.push(Diagnostic {
                    file: path.to_path_buf(),
                    pointer: String::new(),
                    line,
                    message: format!("{message} (the file is referenced from {referrer} at #{at})"),
                });
                // Later references to it are not reported again.
                None
            }
        };
        let index = self.sources.files.len();
        self.sources.files.push(SourceFile {
            path: path.to_path_buf(),
            text,
        });
        self.trees.push(tree);
        self.by_path.insert(path.to_path_buf(), index);
        Some(index)
    }
}

/// Whether some `$ref` under `node` names another file (or is not a plain local pointer).
fn has_external_ref(node: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match node {
        Value::Object(map) => {
            let external = matches!(map.get("$ref"), Some(Value::String(r)) if !r.starts_with('#'));
            external || map.values().any(|v| has_external_ref(v, depth + 1))
        }
        Value::Array(items) => items.iter().any(|v| has_external_ref(v, depth + 1)),
        _ => false,
    }
}

/// Puts `value` at `path` under `root`, making the objects on the way; `false` when something
/// that is not an object is in the way.
fn insert_at(root: &mut Value, path: &[String], value: Value) -> bool {
    let Some((first, rest)) = path.split_first() else {
        *root = value;
        return true;
    };
    if root.is_null() {
        *root = Value::Object(serde_json::Map::new());
    }
    let Some(map) = root.as_object_mut() else {
        return false;
    };
    insert_at(map.entry(first.clone()).or_insert(Value::Null), rest, value)
}

fn section_pointer(section: &[&str]) -> String {
    section.iter().map(|s| format!("/{s}")).collect()
}

/// A URI scheme (`https` of `https://x/y`), when the reference has one. A drive letter
/// (`C:\`) is not a scheme.
fn scheme(path: &str) -> Option<String> {
    if path.starts_with("//") {
        return Some("http".to_owned());
    }
    let (scheme, _) = path.split_once(':')?;
    let valid = scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// `a/./b/../c` -> `a/c`, without touching the file system (a `..` past the start stays).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Part".to_owned())
}
