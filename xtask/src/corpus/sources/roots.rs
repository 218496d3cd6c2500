//! The roots of the document sets in a folder: the documents that nothing else there
//! references, each with whether its set spans several files or reaches the network.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::{has_ext, walk, Kind};

/// A document found in a folder that no other document of the folder references.
#[derive(Debug)]
pub struct Root {
    pub path: PathBuf,
    /// Its `$ref`s reach another file.
    pub multi_file: bool,
    /// One of its `$ref`s names a URL.
    pub remote: bool,
    /// Its kind as a single file (from its `swagger` / `openapi` field).
    pub format: Kind,
}

/// The roots of the document sets in a folder: the files (`.json`, `.yaml`, `.yml`, at any
/// depth) with a top-level `swagger` or `openapi` field that no other file there references. A
/// file a root references is part of its set, even when it looks like a spec itself (Azure's
/// `common-types` are complete Swagger 2.0 documents). `$ref`s in examples and vendor extensions
/// are data, as the loader reads them, and do not count.
pub fn roots(dir: &Path) -> Result<Vec<Root>, String> {
    let mut files = Vec::new();
    walk(dir, &mut files, &|p| has_ext(p, &["json", "yaml", "yml"]))?;
    let mut referenced: BTreeSet<PathBuf> = BTreeSet::new();
    let mut candidates = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let doc: Value = if has_ext(&path, &["json"]) {
            match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(_) => continue,
            }
        } else {
            match serde_yaml::from_str(&text) {
                Ok(v) => v,
                Err(_) => continue,
            }
        };
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        let base = path.parent().unwrap_or(dir);
        let mut multi_file = false;
        let mut remote = false;
        for r in refs {
            let file = r.split('#').next().unwrap_or("");
            if file.is_empty() {
                continue;
            }
            if file.contains("://") {
                remote = true;
                continue;
            }
            let target = normalize(&base.join(file));
            if target != path {
                multi_file = true;
                referenced.insert(target);
            }
        }
        if let Some(format) = Kind::of_document(&doc) {
            candidates.push(Root {
                path,
                multi_file,
                remote,
                format,
            });
        }
    }
    candidates.retain(|c| !referenced.contains(&c.path));
    Ok(candidates)
}

/// Every `$ref` string in a document, but those inside examples and vendor extensions.
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "$ref" {
                    if let Value::String(s) = v {
                        out.push(s.clone());
                    }
                } else if !(key.starts_with("x-") || key == "example" || key == "examples") {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// `a/./b/../c` -> `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::rel;
    use super::*;

    #[test]
    fn roots_are_the_documents_nothing_references() {
        let dir = std::env::temp_dir().join(format!("xtask-roots-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("common")).unwrap();
        std::fs::create_dir_all(dir.join("svc")).unwrap();
        // A service referencing a common file that is itself a complete document (Azure's
        // common-types), an example file referenced only from `x-ms-examples`, a single-file
        // spec, and a root with a remote reference.
        std::fs::write(
            dir.join("common/types.json"),
            r#"{"swagger": "2.0", "info": {"title": "c", "version": "1"}, "paths": {}, "definitions": {"E": {"type": "string"}}}"#,
        )
        .unwrap();
        std::fs::write(
            dir.join("svc/api.json"),
            r##"{"swagger": "2.0", "info": {"title": "s", "version": "1"}, "paths": {"/a": {"get": {
                "x-ms-examples": {"ex": {"$ref": "./examples/a.json"}},
                "responses": {"default": {"description": "e", "schema": {"$ref": "../common/types.json#/definitions/E"}}}}}}}"##,
        )
        .unwrap();
        std::fs::write(
            dir.join("single.yaml"),
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("remote.yaml"),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: 'https://example.com/a.yaml'}\n",
        )
        .unwrap();
        let found = roots(&dir).unwrap();
        let names: Vec<(String, bool, bool, Kind)> = found
            .iter()
            .map(|r| (rel(&dir, &r.path), r.multi_file, r.remote, r.format))
            .collect();
        assert_eq!(
            names,
            [
                ("remote.yaml".to_owned(), false, true, Kind::OpenApi30),
                ("single.yaml".to_owned(), false, false, Kind::OpenApi31),
                ("svc/api.json".to_owned(), true, false, Kind::Swagger2),
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
