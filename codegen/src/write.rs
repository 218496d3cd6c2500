//! Write: put a generated tree on disk, touching only files whose content changed, each one
//! atomically; or compare the tree with what is on disk.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Marks every file the generator owns; a file with it that the generator no longer produces is
/// stale and removed.
pub const GENERATED_MARKER: &str = "@generated";

/// What [`write_tree`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written (new or changed), relative to the folder.
    pub written: Vec<PathBuf>,
    /// Generated files removed: the generator no longer makes them.
    pub removed: Vec<PathBuf>,
    /// How many files already had the content.
    pub unchanged: usize,
}

/// Writes `files` (relative paths) under `dir`.
pub fn write_tree(dir: &Path, files: &BTreeMap<PathBuf, String>) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for (rel, content) in files {
        let path = dir.join(rel);
        if fs::read(&path).ok().as_deref() == Some(content.as_bytes()) {
            report.unchanged += 1;
            continue;
        }
        write_atomically(&path, content.as_bytes())?;
        report.written.push(rel.clone());
    }
    for rel in leftovers(dir, files)? {
        fs::remove_file(dir.join(&rel))?;
        report.removed.push(rel);
    }
    Ok(report)
}

/// The files under `dir` that differ from `files`, are missing, or are generated leftovers.
pub fn stale_files(dir: &Path, files: &BTreeMap<PathBuf, String>) -> io::Result<Vec<PathBuf>> {
    let mut stale: Vec<PathBuf> = files
        .iter()
        .filter(|(rel, content)| {
            fs::read(dir.join(rel)).ok().as_deref() != Some(content.as_bytes())
        })
        .map(|(rel, _)| rel.clone())
        .collect();
    stale.extend(leftovers(dir, files)?);
    Ok(stale)
}

/// Generated files under `dir/src` that the generator no longer produces.
fn leftovers(dir: &Path, files: &BTreeMap<PathBuf, String>) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let src = dir.join("src");
    if !src.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![src];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(rel) = path.strip_prefix(dir) else {
                continue;
            };
            if files.contains_key(rel) {
                continue;
            }
            let head = fs::read_to_string(&path).unwrap_or_default();
            if head
                .lines()
                .next()
                .is_some_and(|l| l.contains(GENERATED_MARKER))
            {
                out.push(rel.to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Writes to a temporary file beside `path`, then renames it over `path`: readers see the old
/// content or the new, never a half-written file.
fn write_atomically(path: &Path, content: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(content)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
        entries
            .iter()
            .map(|(p, c)| (PathBuf::from(p), (*c).to_owned()))
            .collect()
    }

    #[test]
    fn writes_only_changes_and_removes_leftovers() {
        let dir = std::env::temp_dir().join(format!("codegen-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let first = tree(&[
            ("src/a.rs", "// @generated\na"),
            ("src/b.rs", "// @generated\nb"),
        ]);
        let report = write_tree(&dir, &first).unwrap();
        assert_eq!(report.written.len(), 2);
        fs::write(dir.join("src/hand.rs"), "// mine").unwrap();

        let second = tree(&[
            ("src/a.rs", "// @generated\na"),
            ("src/c.rs", "// @generated\nc"),
        ]);
        assert_eq!(
            stale_files(&dir, &second).unwrap(),
            vec![PathBuf::from("src/c.rs"), PathBuf::from("src/b.rs")]
        );
        let report = write_tree(&dir, &second).unwrap();
        assert_eq!(report.written, vec![PathBuf::from("src/c.rs")]);
        assert_eq!(report.removed, vec![PathBuf::from("src/b.rs")]);
        assert_eq!(report.unchanged, 1);
        assert!(
            dir.join("src/hand.rs").exists(),
            "hand-written files are kept"
        );
        assert!(stale_files(&dir, &second).unwrap().is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }
}
