//! Locations in the document (JSON pointers, RFC 9535 normalized paths) and values, as messages name them.

use serde_json::Value;

use crate::diag::join;

/// One step of a location in the document: an object member or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Step {
    Key(String),
    Index(usize),
}

pub(super) type Loc = Vec<Step>;

pub(super) fn node<'a>(doc: &'a Value, loc: &Loc) -> Option<&'a Value> {
    doc.pointer(&pointer(loc))
}

/// The JSON pointer (RFC 6901) of a location.
pub(super) fn pointer(loc: &[Step]) -> String {
    join_loc("", loc)
}

/// `base` followed by the steps of `loc`, as a JSON pointer.
pub(super) fn join_loc(base: &str, loc: &[Step]) -> String {
    loc.iter().fold(base.to_owned(), |out, step| match step {
        Step::Key(key) => join(&out, key),
        Step::Index(index) => join(&out, index),
    })
}

/// The normalized path (RFC 9535 §2.7) of a location: what an overlay author can paste into a
/// `target`.
pub(super) fn normalized(loc: &[Step]) -> String {
    let mut out = String::from("$");
    for step in loc {
        match step {
            Step::Index(index) => out.push_str(&format!("[{index}]")),
            Step::Key(key) => {
                out.push_str("['");
                for c in key.chars() {
                    match c {
                        '\'' => out.push_str("\\'"),
                        '\\' => out.push_str("\\\\"),
                        '\u{8}' => out.push_str("\\b"),
                        '\u{c}' => out.push_str("\\f"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        c if c < ' ' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                        c => out.push(c),
                    }
                }
                out.push_str("']");
            }
        }
    }
    out
}

/// Up to three locations, then how many more.
pub(super) fn list(locs: &[Loc]) -> String {
    let shown: Vec<String> = locs.iter().take(3).map(|loc| normalized(loc)).collect();
    let mut out = shown.join(", ");
    if locs.len() > 3 {
        out.push_str(&format!(" and {} more", locs.len() - 3));
    }
    out
}

/// `" (and N more)"` after the first of `count` offending nodes.
pub(super) fn more(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        2 => " (and 1 more such node)".to_owned(),
        n => format!(" (and {} more such nodes)", n - 1),
    }
}

pub(super) fn is_primitive(value: &Value) -> bool {
    !value.is_object() && !value.is_array()
}

pub(super) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        _ => "a primitive",
    }
}

/// A value's kind, with the value itself when it is short and primitive.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() <= 40 => format!("the string {value}"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}
