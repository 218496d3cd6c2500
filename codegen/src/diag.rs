//! Diagnostics: every error and warning names the spec file, the JSON pointer of the offending
//! node and, where it can be found, its line.

use std::fmt;
use std::path::{Path, PathBuf};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A problem found in a spec, located by JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is written in, as named (relative to the working directory or the project root).
    pub file: PathBuf,
    /// RFC 6901 pointer into the document (`/paths/~1pets/get/parameters/0`); empty for the root.
    pub pointer: String,
    /// 1-based line of the node, when it could be found.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl Diagnostic {
    /// `path` could not be read (`what`: "the spec", "the overlay"...).
    pub fn unreadable(path: &Path, what: &str, error: &std::io::Error) -> Self {
        Self {
            file: path.to_path_buf(),
            pointer: String::new(),
            line: None,
            message: format!("cannot read {what}: {error}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, ": at #{pointer}: {}", self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Generation failed; every error found is listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(pub Vec<Diagnostic>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one reference token of a JSON pointer (RFC 6901): `~1` first, so `~01` is `~1`.
pub(crate) fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Joins a pointer and one more token.
pub fn join(pointer: &str, token: impl fmt::Display) -> String {
    format!("{pointer}/{}", escape_token(&token.to_string()))
}

/// The files of a document set, and where each part of the document the later stages read (the
/// root with every referenced part brought in, translated to OpenAPI 3.0) was written.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The root spec first, then every file it references, in the order they were read.
    pub files: Vec<SourceFile>,
    /// Parts brought into the root from other files: pointer in the document -> (file, pointer
    /// there). The longest matching prefix wins.
    bundled: Vec<(String, usize, String)>,
    /// Translations, in the order they ran; each maps a pointer after it to the pointer of the
    /// same node before it.
    moves: Vec<Vec<(String, String)>>,
}

/// One file of a document set.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// As shown in diagnostics (relative to where the root was named from).
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

impl Sources {
    /// A document set of one file.
    pub fn single(path: &Path, text: &str) -> Self {
        Self {
            files: vec![SourceFile {
                path: path.to_path_buf(),
                text: text.to_owned(),
            }],
            ..Self::default()
        }
    }

    /// The root spec's path.
    pub fn root(&self) -> &Path {
        self.files
            .first()
            .map_or(Path::new(""), |f| f.path.as_path())
    }

    /// Every file of the set.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    /// Records that the document's node at `at` is file `file`'s node at `from`.
    pub(crate) fn bundled(&mut self, at: String, file: usize, from: String) {
        self.bundled.push((at, file, from));
    }

    /// Records one translation's moves: (pointer now, pointer before).
    pub(crate) fn translated(&mut self, moves: Vec<(String, String)>) {
        if !moves.is_empty() {
            self.moves.push(moves);
        }
    }

    /// The file and the pointer in it of the document's node at `pointer`.
    pub fn origin(&self, pointer: &str) -> (usize, String) {
        let mut p = pointer.to_owned();
        for layer in self.moves.iter().rev() {
            if let Some((now, before)) = longest_prefix(layer.iter().map(|(a, b)| (a, b)), &p) {
                p = format!("{before}{}", &p[now.len()..]);
            }
        }
        self.origin_bundled(&p)
    }

    /// `pointer` as written before the translations (`/components/schemas/Pet` of a Swagger 2.0
    /// document is its `/definitions/Pet`).
    pub fn untranslated(&self, pointer: &str) -> String {
        let mut p = pointer.to_owned();
        for layer in self.moves.iter().rev() {
            if let Some((now, before)) = longest_prefix(layer.iter().map(|(a, b)| (a, b)), &p) {
                p = format!("{before}{}", &p[now.len()..]);
            }
        }
        p
    }

    /// `message` with every local `$ref` text it quotes (`#/components/schemas/Pet`) as the
    /// spec wrote it, before the translations (`#/definitions/Pet`).
    fn untranslated_refs(&self, message: &str) -> String {
        if self.moves.is_empty() {
            return message.to_owned();
        }
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(at) = rest.find("#/") {
            out.push_str(&rest[..at + 1]);
            let after = &rest[at + 1..];
            let end = after
                .find(|c: char| c.is_whitespace() || matches!(c, '`' | '\'' | '"' | ',' | ')'))
                .unwrap_or(after.len());
            out.push_str(&self.untranslated(&after[..end]));
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }

    /// The file and the pointer in it of the node at `pointer` of the bundled document, before
    /// any translation.
    pub fn origin_bundled(&self, p: &str) -> (usize, String) {
        let hit = longest_prefix(self.bundled.iter().map(|(at, f, from)| (at, (f, from))), p);
        match hit {
            Some((at, (file, from))) => (*file, format!("{from}{}", &p[at.len()..])),
            None => (0, p.to_owned()),
        }
    }

    /// Fills in the line of every diagnostic that names a file of the set and has none.
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        for file in &self.files {
            let mine = |d: &Diagnostic| d.line.is_none() && d.file == file.path;
            let wanted = ancestors(diagnostics.iter().filter(|d| mine(d)));
            if wanted.is_empty() {
                continue;
            }
            let lines = LineIndex::build_for(&file.text, Some(wanted));
            for d in diagnostics.iter_mut().filter(|d| mine(d)) {
                d.line = lines.line_of(&d.pointer);
            }
        }
    }
}

/// The entry whose key is the longest prefix of `pointer` on a token boundary.
fn longest_prefix<'k, V>(
    entries: impl Iterator<Item = (&'k String, V)>,
    pointer: &str,
) -> Option<(&'k String, V)> {
    // The first recorded wins among equals.
    let mut best: Option<(&'k String, V)> = None;
    for (at, value) in entries {
        let inside = pointer
            .strip_prefix(at.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if inside && best.as_ref().is_none_or(|(b, _)| at.len() > b.len()) {
            best = Some((at, value));
        }
    }
    best
}

/// Every pointer of `diagnostics` and every ancestor of it.
fn ancestors<'d>(
    diagnostics: impl Iterator<Item = &'d Diagnostic>,
) -> std::collections::HashSet<String> {
    let mut wanted = std::collections::HashSet::new();
    for d in diagnostics {
        let mut p = d.pointer.as_str();
        loop {
            wanted.insert(p.to_owned());
            match p.rfind('/') {
                Some(cut) => p = &p[..cut],
                None => break,
            }
        }
    }
    wanted
}

/// Where a sink's diagnostics are written: one file, or a document set.
#[derive(Debug)]
enum Origin<'a> {
    File { file: &'a Path, text: &'a str },
    Set(&'a Sources),
}

/// Collects diagnostics about one document, by JSON pointer into it, and at the end maps each to
/// its file and line.
#[derive(Debug)]
pub struct Sink<'a> {
    origin: Origin<'a>,
    /// The errors found: generation fails when there is one.
    pub errors: Vec<Diagnostic>,
    /// The warnings found: generation goes on.
    pub warnings: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    /// Diagnostics about the single file `file`.
    pub fn new(file: &'a Path, text: &'a str) -> Self {
        Self {
            origin: Origin::File { file, text },
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Diagnostics about the document a set was loaded into: [`Sink::locate`] maps each to the
    /// file and pointer it came from.
    pub fn of_set(sources: &'a Sources) -> Self {
        Self {
            origin: Origin::Set(sources),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn file(&self) -> &Path {
        match &self.origin {
            Origin::File { file, .. } => file,
            Origin::Set(sources) => sources.root(),
        }
    }

    /// A diagnostic at `pointer` of the document (located later, by [`Sink::locate`]).
    pub fn diagnostic(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file().to_path_buf(),
            pointer: pointer.to_owned(),
            line: None,
            message: message.into(),
        }
    }

    /// Records an error at `pointer`.
    pub fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let d = self.diagnostic(pointer, message);
        self.errors.push(d);
    }

    /// Records a warning at `pointer`.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let d = self.diagnostic(pointer, message);
        self.warnings.push(d);
    }

    /// Maps every diagnostic to the file and pointer it is about, and looks up its line (one
    /// parse of each file concerned, only when there are diagnostics).
    pub fn locate(&mut self) {
        if self.errors.is_empty() && self.warnings.is_empty() {
            return;
        }
        match self.origin {
            Origin::File { file, text } => {
                let wanted = ancestors(self.errors.iter().chain(self.warnings.iter()));
                let lines = LineIndex::build_for(text, Some(wanted));
                for d in self.errors.iter_mut().chain(self.warnings.iter_mut()) {
                    // A parser's own line (bad YAML) is more precise than the node's.
                    if d.line.is_none() && d.file == file {
                        d.line = lines.line_of(&d.pointer);
                    }
                }
            }
            Origin::Set(sources) => {
                for d in self.errors.iter_mut().chain(self.warnings.iter_mut()) {
                    if d.line.is_none() && d.file == sources.root() {
                        let (file, pointer) = sources.origin(&d.pointer);
                        if let Some(f) = sources.files.get(file) {
                            d.file = f.path.clone();
                        }
                        d.pointer = pointer;
                        d.message = sources.untranslated_refs(&d.message);
                    }
                }
                sources.locate(&mut self.errors);
                sources.locate(&mut self.warnings);
            }
        }
    }
}

/// JSON pointer -> line, read off the YAML (or JSON) event stream.
struct LineIndex {
    entries: std::collections::HashMap<String, usize>,
}

enum Frame {
    Map {
        pointer: String,
        key: Option<String>,
    },
    Seq {
        pointer: String,
        index: usize,
    },
}

struct Recorder {
    stack: Vec<Frame>,
    entries: std::collections::HashMap<String, usize>,
    /// Only these pointers are recorded (`None`: all), so a large document costs no large map.
    wanted: Option<std::collections::HashSet<String>>,
}

impl Recorder {
    fn record(&mut self, pointer: String, line: usize) {
        if self.wanted.as_ref().is_none_or(|w| w.contains(&pointer)) {
            self.entries.entry(pointer).or_insert(line);
        }
    }
}

impl Recorder {
    /// The pointer of the node starting now, or `None` when it is a mapping key.
    fn node_pointer(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Map { pointer, key }) => key.take().map(|k| join(pointer, k)),
            Some(Frame::Seq { pointer, index }) => {
                let p = join(pointer, *index);
                *index += 1;
                Some(p)
            }
        }
    }
}

impl Recorder {
    fn scalar(&mut self, value: String, line: usize) {
        match self.node_pointer() {
            Some(p) => self.record(p, line),
            None => {
                if let Some(Frame::Map { pointer, key }) = self.stack.last_mut() {
                    // Point a key's own pointer at the key's line: errors about a mapping
                    // entry then name the line of its key.
                    let p = join(pointer, &value);
                    *key = Some(value);
                    self.record(p, line);
                }
            }
        }
    }

    fn start(&mut self, map: bool, line: usize) {
        let pointer = self.node_pointer().unwrap_or_default();
        self.enter(pointer, map, line);
    }

    /// Like [`Recorder::start`], but a container with no wanted pointer inside is not entered:
    /// `false` says its events are to be skipped (the end's too).
    fn start_if_wanted(&mut self, map: bool, line: usize) -> bool {
        let pointer = self.node_pointer().unwrap_or_default();
        // `wanted` holds every ancestor of what it wants: a container it does not name holds
        // nothing it wants.
        if self.wanted.as_ref().is_some_and(|w| !w.contains(&pointer)) {
            return false;
        }
        self.enter(pointer, map, line);
        true
    }

    fn enter(&mut self, pointer: String, map: bool, line: usize) {
        self.record(pointer.clone(), line);
        self.stack.push(if map {
            Frame::Map { pointer, key: None }
        } else {
            Frame::Seq { pointer, index: 0 }
        });
    }

    fn end(&mut self) {
        self.stack.pop();
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => self.scalar(value, mark.line()),
            Event::MappingStart(..) => self.start(true, mark.line()),
            Event::SequenceStart(..) => self.start(false, mark.line()),
            Event::MappingEnd | Event::SequenceEnd => self.end(),
            Event::Alias(_) => {
                self.node_pointer();
            }
            _ => {}
        }
    }
}

/// The same events read off JSON text directly, an order of magnitude faster than the YAML
/// parser on large documents. Stops quietly at the first thing that is not JSON.
fn scan_json(text: &str, recorder: &mut Recorder) {
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b' ' | b'\t' | b'\r' | b',' | b':' => {}
            b'{' | b'[' => {
                if !recorder.start_if_wanted(bytes[i] == b'{', line) {
                    let Some(end) = skip_container(bytes, i, &mut line) else {
                        return;
                    };
                    i = end;
                }
            }
            b'}' | b']' => recorder.end(),
            b'"' => {
                let start = i;
                let mut escaped = false;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        escaped = true;
                        i += 1;
                    }
                    i += 1;
                }
                let Some(raw) = text.get(start..=i) else {
                    return;
                };
                let value = if escaped {
                    match serde_json::from_str::<String>(raw) {
                        Ok(v) => v,
                        Err(_) => return,
                    }
                } else {
                    raw[1..raw.len() - 1].to_owned()
                };
                recorder.scalar(value, line);
            }
            _ => {
                let start = i;
                while i < bytes.len()
                    && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    i += 1;
                }
                recorder.scalar(text[start..i].to_owned(), line);
                continue;
            }
        }
        i += 1;
    }
}

/// The index of the bracket that closes the container opening at `open`, counting the lines
/// on the way; `None` when the text ends first. Of a large document whose diagnostics sit in a
/// few places, most is skipped so, without a pointer made for each node.
fn skip_container(bytes: &[u8], open: usize, line: &mut usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => *line += 1,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

impl LineIndex {
    #[cfg(test)]
    fn build(text: &str) -> Self {
        Self::build_for(text, None)
    }

    /// An index of `wanted` pointers and their ancestors only.
    fn build_for(text: &str, wanted: Option<std::collections::HashSet<String>>) -> Self {
        let mut recorder = Recorder {
            stack: Vec::new(),
            entries: std::collections::HashMap::new(),
            wanted,
        };
        // A text that does not parse yields whatever was recorded before the fault.
        if text.trim_start().starts_with('{') {
            scan_json(text, &mut recorder);
        } else {
            let _ = Parser::new_from_str(text).load(&mut recorder, false);
        }
        Self {
            entries: recorder.entries,
        }
    }

    /// The line of `pointer`, or of its nearest ancestor that was found.
    fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut p = pointer;
        loop {
            if let Some(line) = self.entries.get(p) {
                return Some(*line);
            }
            let cut = p.rfind('/')?;
            p = &p[..cut];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /a/{b}:\n    get:\n      parameters:\n        - name: b\n          in: path\n        - name: c\n          in: query\n";

    #[test]
    fn pointers_map_to_lines() {
        let index = LineIndex::build(YAML);
        assert_eq!(index.line_of("/openapi"), Some(1));
        assert_eq!(index.line_of("/paths/~1a~1{b}/get"), Some(4));
        assert_eq!(
            index.line_of("/paths/~1a~1{b}/get/parameters/1/in"),
            Some(9)
        );
        assert_eq!(
            index.line_of("/paths/~1a~1{b}/get/parameters/1/schema"),
            Some(8)
        );
    }

    #[test]
    fn tokens_escape_and_unescape() {
        for token in ["a/b~c", "~01", "~10", "", "/~"] {
            assert_eq!(unescape_token(&escape_token(token)), token);
        }
        assert_eq!(unescape_token("~01"), "~1");
        assert_eq!(unescape_token("a~1b~0c"), "a/b~c");
    }

    #[test]
    fn the_json_scanner_agrees_with_the_yaml_parser() {
        let text = "{\n  \"a\": {\"b~c\": [1, \"x\\\"y\", {\"d/e\": null}],\n  \"f\": true},\n  \"g\": -1.5e3\n}\n";
        let mut json = Recorder {
            stack: Vec::new(),
            entries: Default::default(),
            wanted: None,
        };
        scan_json(text, &mut json);
        let mut yaml = Recorder {
            stack: Vec::new(),
            entries: Default::default(),
            wanted: None,
        };
        let _ = Parser::new_from_str(text).load(&mut yaml, false);
        assert_eq!(json.entries, yaml.entries);
        assert_eq!(json.entries.get("/a/b~0c/2/d~1e"), Some(&2));
        assert_eq!(json.entries.get("/g"), Some(&4));
    }

    /// The scanner, skipping containers that hold nothing wanted (brackets, quotes and newlines
    /// inside them included), finds every wanted pointer on the line a full scan finds.
    #[test]
    fn a_json_scan_for_some_pointers_skips_the_rest_and_agrees() {
        let text = "{\n  \"skip\": {\"s\": \"]}\\\"[{\", \"t\": [\n  {}, []\n  ]},\n  \"keep\": [\n    {\"x\": 1},\n    {\"y\": [\n      \"z\"\n    ]}\n  ],\n  \"after\": {\"w\": 2}\n}\n";
        let full = LineIndex::build(text);
        for pointer in ["/keep/1/y/0", "/after/w", "/keep/0", "/skip/t/0"] {
            let d = Diagnostic {
                file: PathBuf::from("a.json"),
                line: None,
                pointer: pointer.to_owned(),
                message: String::new(),
            };
            let some = LineIndex::build_for(text, Some(ancestors([&d].into_iter())));
            assert_eq!(some.line_of(pointer), full.line_of(pointer), "{pointer}");
            assert!(full.entries.contains_key(pointer), "{pointer}");
        }
        assert_eq!(full.line_of("/keep/1/y/0"), Some(8));
        assert_eq!(full.line_of("/after/w"), Some(11));
    }

    #[test]
    fn json_documents_map_too() {
        let index = LineIndex::build(
            "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\n    \"title\": \"t\"\n  }\n}\n",
        );
        assert_eq!(index.line_of("/info/title"), Some(4));
    }

    #[test]
    fn display_names_file_line_and_pointer() {
        let d = Diagnostic {
            file: PathBuf::from("specs/a.yaml"),
            pointer: "/paths/~1a/get".into(),
            line: Some(3),
            message: "boom".into(),
        };
        assert_eq!(d.to_string(), "specs/a.yaml:3: at #/paths/~1a/get: boom");
    }
}
