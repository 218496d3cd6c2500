//! Tidy (rust-analyzer's tidy tests, in small): the sizes that keep the code readable, checked
//! on the source of every crate of the workspace that ships code (`codegen/src`,
//! `runtime/src`, `cli/src`, `xtask/src`), unit test files included.
//!
//! - no file over [`MAX_FILE_LINES`] lines;
//! - no function over [`MAX_FN_LINES`] lines, counted from the line of its `fn` to the line of
//!   its closing brace.
//!
//! A failure names the file, the function and its length. Functions are found by a small
//! scanner: comments, strings and character literals are blanked, then each `fn <name>` is
//! followed to its body's `{` and the brace that closes it.

use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 150;

/// The crates' source folders, relative to the workspace root.
const ROOTS: &[&str] = &["codegen/src", "runtime/src", "cli/src", "xtask/src"];

/// Files that may break the rules for now, relative to the workspace root: none. A file that
/// keeps the rules must leave the list (the test says so).
const ALLOWED: &[&str] = &[];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `text` with comments, string literals and character literals replaced by spaces (line
/// breaks kept, so lines still count), leaving the code's braces, keywords and names.
fn code_only(text: &str) -> String {
    let s: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char, out: &mut String| out.push(if c == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        let ident_before = i > 0 && (s[i - 1].is_alphanumeric() || s[i - 1] == '_');
        if c == '/' && next == Some('/') {
            while i < s.len() && s[i] != '\n' {
                blank(s[i], &mut out);
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            // Block comments nest in Rust.
            let mut depth = 0;
            while i < s.len() {
                if s[i] == '/' && s.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(s[i], &mut out);
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && next == Some('r'))) && !ident_before && {
            // A raw string: r"..", r#".."#, br#".."#.
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let hashes = s[start..].iter().take_while(|&&h| h == '#').count();
            s.get(start + hashes) == Some(&'"')
        } {
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let hashes = s[start..].iter().take_while(|&&h| h == '#').count();
            let body = start + hashes + 1;
            let mut end = body;
            while end < s.len()
                && !(s[end] == '"'
                    && s[end + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == '#')
                        .count()
                        == hashes)
            {
                end += 1;
            }
            let stop = (end + 1 + hashes).min(s.len());
            for &ch in &s[i..stop] {
                blank(ch, &mut out);
            }
            i = stop;
        } else if c == '"' {
            blank(c, &mut out);
            i += 1;
            while i < s.len() && s[i] != '"' {
                if s[i] == '\\' {
                    blank(s[i], &mut out);
                    i += 1;
                }
                if i < s.len() {
                    blank(s[i], &mut out);
                    i += 1;
                }
            }
            if i < s.len() {
                blank(s[i], &mut out);
                i += 1;
            }
        } else if c == '\'' {
            // A character literal ('{', '\n', '\u{7b}'), or a lifetime ('a), left as is.
            let len = if next == Some('\\') {
                s.get(i + 3..)
                    .and_then(|rest| rest.iter().position(|&ch| ch == '\''))
                    .map(|p| p + 4)
            } else if s.get(i + 2) == Some(&'\'') {
                Some(3)
            } else {
                None
            };
            match len {
                Some(len) => {
                    for &ch in &s[i..i + len] {
                        blank(ch, &mut out);
                    }
                    i += len;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Each function with a body in `text`: its name, the line of its `fn` (from 1) and its
/// length in lines, `fn` line and closing-brace line included. Trait methods without a body
/// are not functions here.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code: Vec<char> = code_only(text).chars().collect();
    let line_at = |pos: usize| code[..pos].iter().filter(|&&c| c == '\n').count() + 1;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let mut i = 0;
    while i + 3 < code.len() {
        let keyword = code[i] == 'f'
            && code[i + 1] == 'n'
            && code[i + 2].is_whitespace()
            && (i == 0 || !is_ident(code[i - 1]));
        if !keyword {
            i += 1;
            continue;
        }
        let mut j = i + 2;
        while j < code.len() && code[j].is_whitespace() {
            j += 1;
        }
        let name: String = code[j..].iter().take_while(|&&c| is_ident(c)).collect();
        if name.is_empty() {
            // `fn (..)` as a type, `fn #name` in a `quote!`, `fn $name` in a macro.
            i = j;
            continue;
        }
        // The body's `{`, or a `;` (no body), outside the signature's brackets.
        let mut depth = 0i32;
        let mut k = j + name.len();
        let mut open = None;
        while k < code.len() {
            match code[k] {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                '{' if depth == 0 => {
                    open = Some(k);
                    break;
                }
                ';' if depth == 0 => break,
                _ => {}
            }
            k += 1;
        }
        let Some(open) = open else {
            i = k;
            continue;
        };
        let mut braces = 0;
        let mut close = open;
        for (at, &c) in code.iter().enumerate().skip(open) {
            match c {
                '{' => braces += 1,
                '}' => braces -= 1,
                _ => {}
            }
            if braces == 0 {
                close = at;
                break;
            }
        }
        let first = line_at(i);
        found.push((name, first, line_at(close) - first + 1));
        // Go on inside the body: a function nested in it is a function too.
        i = j;
    }
    found
}

/// Every breach of the rules in `text` (the file `rel`), as a line of the failure message.
fn breaches(rel: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lines = text.lines().count();
    if lines > MAX_FILE_LINES {
        found.push(format!(
            "{rel}: {lines} lines (at most {MAX_FILE_LINES}): split it"
        ));
    }
    for (name, line, len) in functions(text) {
        if len > MAX_FN_LINES {
            found.push(format!(
                "{rel}:{line}: fn {name} is {len} lines long (at most {MAX_FN_LINES}): cut it into named steps"
            ));
        }
    }
    found
}

#[test]
fn no_file_or_function_is_too_long() {
    let root = workspace();
    let mut all = Vec::new();
    for dir in ROOTS {
        files(&root.join(dir), &mut all);
    }
    assert!(all.len() > 80, "the sources are there: {}", all.len());
    let mut failures = Vec::new();
    let mut allowed_seen = Vec::new();
    for path in &all {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        let found = breaches(&rel, &text);
        if ALLOWED.contains(&rel.as_str()) {
            if found.is_empty() {
                failures.push(format!("{rel} keeps the rules now: take it off ALLOWED"));
            }
            allowed_seen.push(rel);
            continue;
        }
        failures.extend(found);
    }
    for allowed in ALLOWED {
        if !allowed_seen.iter().any(|s| s == allowed) {
            failures.push(format!("{allowed} is not there: take it off ALLOWED"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The scanner finds functions where they are, sees through strings, comments and character
/// literals that hold braces, and counts from `fn` to the closing brace.
#[test]
fn the_scanner_counts_functions_from_fn_to_closing_brace() {
    let text = r##"
/// A doc comment with a brace { and fn fake() {
fn one() {
    let s = "}}} fn two() {";
    let r = r#"a " } "#;
    let c = '}';
    let e = '\'';
    /* block { /* nested } */ } */
    fn inner<'a>(x: &'a [u8; 4]) -> &'a str {
        ""
    }
}
trait T {
    fn declared(&self) -> [u8; 2];
    fn defaulted(&self) {}
}
type F = fn(u8) -> u8;
"##;
    assert_eq!(
        functions(text),
        [
            ("one".to_owned(), 3, 10),
            ("inner".to_owned(), 9, 3),
            ("defaulted".to_owned(), 15, 1),
        ]
    );
}

/// A breach names the file, the line, the function and its length.
#[test]
fn a_long_function_is_named_with_its_length() {
    let body = "    let x = 1;\n".repeat(MAX_FN_LINES - 1);
    let text = format!("fn short() {{}}\n\nfn long() {{\n{body}}}\n");
    assert_eq!(
        breaches("codegen/src/x.rs", &text),
        [format!(
            "codegen/src/x.rs:3: fn long is {} lines long (at most {MAX_FN_LINES}): cut it into named steps",
            MAX_FN_LINES + 1
        )]
    );
    let text = "\n".repeat(MAX_FILE_LINES + 1);
    assert_eq!(
        breaches("cli/src/y.rs", &text),
        [format!(
            "cli/src/y.rs: {} lines (at most {MAX_FILE_LINES}): split it",
            MAX_FILE_LINES + 1
        )]
    );
}
