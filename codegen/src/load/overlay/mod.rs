//! Overlays (OAI Overlay Specification 1.0.0 and 1.1.0): an ordered list of actions, each a
//! JSONPath `target` (RFC 9535) and a change (`update`, `remove: true` or, from 1.1, `copy`),
//! applied to a spec's JSON tree before it is loaded.
//!
//! Where this module is stricter than the specification, on purpose:
//! - A `target` (or `copy`) that selects nothing is an error, although 1.1 says such an action
//!   succeeds without change: an overlay written against one revision of an upstream spec must
//!   not silently stop applying when that spec changes under it.
//! - `update` and `copy` in one action is an error: 1.1 says each has no effect when the other is
//!   given, so neither wins.
//!
//! Where the specification is silent or loose:
//! - A node selected several times by one query (`$['a','a']`) is changed once.
//! - 1.0 says only that objects merge "recursively"; its properties merge by 1.1's rules (a
//!   primitive replaces a primitive, arrays concatenate, objects merge, anything else is an
//!   error), which 1.1 wrote down as the behaviour of the 1.0 tools.
//! - 1.0 appends an `update` to a selected array as one entry, even when it is itself an array
//!   (1.1 concatenates): kept per version, with a warning, since it is rarely what is meant.
//! - `null` is a primitive (RFC 8259), so `null` over an object or array is an incompatible merge.
//! - `remove: true` with `update` or `copy`: the latter has "no impact" per the specification;
//!   applied so, with a warning.

mod actions;
mod location;
mod merge;
#[cfg(test)]
mod tests;

use std::path::Path;

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::diag::{join, Diagnostic, Sink};
use location::describe;

/// Applies the overlay in `text` (read from `file`, YAML or JSON) to `doc`, in order of its actions.
/// Ok: the warnings (located in the overlay file); Err: the errors (located), and `doc` is left
/// unchanged on error.
pub(crate) fn apply(
    doc: &mut Value,
    file: &Path,
    text: &str,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut sink = Sink::new(file, text);
    let mut result = None;
    match super::to_json(text) {
        Err((message, line)) => {
            let mut d = sink.diagnostic("", message);
            d.line = line;
            sink.errors.push(d);
        }
        Ok(overlay) => {
            if let Some((version, actions)) = read(&overlay, &mut sink) {
                // Every action runs on a copy, so an error anywhere leaves `doc` as it was; the
                // remaining actions still run, so that one pass reports every error.
                let mut work = doc.clone();
                for action in &actions {
                    actions::run(action, version, &mut work, &mut sink);
                }
                result = Some(work);
            }
        }
    }
    sink.locate();
    match result {
        Some(work) if sink.errors.is_empty() => {
            *doc = work;
            Ok(sink.warnings)
        }
        _ => Err(sink.errors),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1_0,
    V1_1,
}

/// One well-formed action.
struct Action {
    /// `/actions/<n>`, the action's pointer in the overlay.
    at: String,
    target_text: String,
    target: JsonPath,
    op: Op,
}

enum Op {
    Update(Value),
    Copy { text: String, path: JsonPath },
    Remove,
}

// ---------------------------------------------------------------------------------------------
// Reading the overlay document

fn read(overlay: &Value, sink: &mut Sink<'_>) -> Option<(Version, Vec<Action>)> {
    let Some(root) = overlay.as_object() else {
        sink.error(
            "",
            format!(
                "an overlay is an object with `overlay`, `info` and `actions`, not {}",
                describe(overlay)
            ),
        );
        return None;
    };
    let version = read_version(root.get("overlay"), sink)?;
    for key in root.keys() {
        if !matches!(key.as_str(), "overlay" | "info" | "extends" | "actions")
            && !key.starts_with("x-")
        {
            sink.warn(
                &join("", key),
                format!(
                    "unknown field `{key}` ignored: an overlay has `overlay`, `info`, `extends`, \
                     `actions` and `x-` extensions"
                ),
            );
        }
    }
    read_info(root.get("info"), version, sink);
    if let Some(extends) = root.get("extends") {
        if !extends.is_string() {
            sink.error(
                "/extends",
                format!(
                    "`extends` must be a string (the URI of the document the overlay is for), \
                     not {}",
                    describe(extends)
                ),
            );
        }
    }
    let actions = match root.get("actions") {
        None => {
            sink.error(
                "/actions",
                "missing `actions`: an overlay lists the actions to apply, at least one",
            );
            Vec::new()
        }
        Some(Value::Array(items)) if items.is_empty() => {
            sink.error(
                "/actions",
                "`actions` is empty: an overlay lists at least one action",
            );
            Vec::new()
        }
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| read_action(i, item, version, sink))
            .collect(),
        Some(other) => {
            sink.error(
                "/actions",
                format!(
                    "`actions` must be an array of actions, not {}",
                    describe(other)
                ),
            );
            Vec::new()
        }
    };
    Some((version, actions))
}

fn read_version(value: Option<&Value>, sink: &mut Sink<'_>) -> Option<Version> {
    const SUPPORTED: &str = "only Overlay 1.0.x and 1.1.x documents are";
    let text = match value {
        None => {
            sink.error(
                "/overlay",
                format!(
                    "missing `overlay` version field: not an Overlay document ({SUPPORTED} \
                     supported, e.g. `overlay: 1.1.0`)"
                ),
            );
            return None;
        }
        Some(Value::String(text)) => text,
        Some(other) => {
            sink.error(
                "/overlay",
                format!(
                    "`overlay` must be a version string such as \"1.1.0\", not {} (quote it in \
                     YAML)",
                    describe(other)
                ),
            );
            return None;
        }
    };
    // The patch number "SHOULD NOT be considered by tooling": 1.0.1 is 1.0.
    let parts: Vec<&str> = text.split('.').collect();
    let version = match parts.as_slice() {
        ["1", minor, patch] if !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()) => {
            match *minor {
                "0" => Some(Version::V1_0),
                "1" => Some(Version::V1_1),
                _ => None,
            }
        }
        _ => None,
    };
    if version.is_none() {
        sink.error(
            "/overlay",
            format!("Overlay {text} is not supported: {SUPPORTED}"),
        );
    }
    version
}

fn read_info(value: Option<&Value>, version: Version, sink: &mut Sink<'_>) {
    let info = match value {
        None => {
            sink.error(
                "/info",
                "missing `info`: an overlay needs `info` with its `title` and `version`",
            );
            return;
        }
        Some(Value::Object(info)) => info,
        Some(other) => {
            sink.error(
                "/info",
                format!(
                    "`info` must be an object with `title` and `version`, not {}",
                    describe(other)
                ),
            );
            return;
        }
    };
    for field in ["title", "version"] {
        match info.get(field) {
            None => sink.error(
                &format!("/info/{field}"),
                format!("missing `info.{field}`: `info` needs a `title` and a `version`"),
            ),
            Some(Value::String(_)) => {}
            Some(other) => sink.error(
                &format!("/info/{field}"),
                format!(
                    "`info.{field}` must be a string, not {} (quote it in YAML)",
                    describe(other)
                ),
            ),
        }
    }
    for (key, value) in info {
        match key.as_str() {
            "title" | "version" => {}
            "description" if version == Version::V1_1 => {
                if !value.is_string() {
                    sink.error(
                        "/info/description",
                        format!(
                            "`info.description` must be a string, not {}",
                            describe(value)
                        ),
                    );
                }
            }
            _ if key.starts_with("x-") => {}
            _ => sink.warn(
                &join("/info", key),
                format!(
                    "unknown field `{key}` in `info` ignored: Overlay {} `info` has {}",
                    version.name(),
                    match version {
                        Version::V1_0 => "`title`, `version` and `x-` extensions",
                        Version::V1_1 => "`title`, `version`, `description` and `x-` extensions",
                    }
                ),
            ),
        }
    }
}

fn read_action(i: usize, value: &Value, version: Version, sink: &mut Sink<'_>) -> Option<Action> {
    let at = format!("/actions/{i}");
    let errors_before = sink.errors.len();
    let Some(action) = value.as_object() else {
        sink.error(
            &at,
            format!(
                "an action must be an object with a `target` and {}, not {}",
                version.changes(),
                describe(value)
            ),
        );
        return None;
    };
    check_fields(action, &at, version, sink);
    let target = match action.get("target") {
        None => {
            sink.error(
                &format!("{at}/target"),
                "missing `target`: every action selects the nodes it changes with a JSONPath \
                 `target` (e.g. `$.paths.*.get`)",
            );
            None
        }
        Some(value) => query(value, "target", &at, sink),
    };
    let op = read_op(action, &at, version, sink);
    if sink.errors.len() > errors_before {
        return None;
    }
    let (target, op) = (target?, op?);
    Some(Action {
        at,
        target_text: target.0,
        target: target.1,
        op,
    })
}

/// Checks an action's fields other than its target and change: unknown ones, a 1.0 `copy`, and
/// `description`.
fn check_fields(action: &Map<String, Value>, at: &str, version: Version, sink: &mut Sink<'_>) {
    for key in action.keys() {
        match key.as_str() {
            "target" | "description" | "update" | "remove" => {}
            "copy" if version == Version::V1_1 => {}
            "copy" => sink.error(
                &format!("{at}/copy"),
                "`copy` is an Overlay 1.1 action, and this overlay declares Overlay 1.0 \
                 (declare `overlay: 1.1.0` to use it)",
            ),
            _ if key.starts_with("x-") => {}
            _ => sink.warn(
                &join(at, key),
                format!(
                    "unknown field `{key}` in an action ignored: an action has `target`, \
                     `description`, {} and `x-` extensions",
                    version.changes()
                ),
            ),
        }
    }
    if let Some(description) = action.get("description") {
        if !description.is_string() {
            sink.error(
                &format!("{at}/description"),
                format!(
                    "`description` must be a string, not {}",
                    describe(description)
                ),
            );
        }
    }
}

/// The change an action makes (`remove`, `update` or `copy`); `None` when it has an error.
fn read_op(
    action: &Map<String, Value>,
    at: &str,
    version: Version,
    sink: &mut Sink<'_>,
) -> Option<Op> {
    let remove = match action.get("remove") {
        None => Some(false),
        Some(Value::Bool(remove)) => Some(*remove),
        Some(other) => {
            sink.error(
                &format!("{at}/remove"),
                format!("`remove` must be true or false, not {}", describe(other)),
            );
            None
        }
    };
    let update = action.get("update");
    let copy = action
        .get("copy")
        .filter(|_| version == Version::V1_1)
        .map(|value| (value, query(value, "copy", at, sink)));
    if remove == Some(true) {
        for (field, given) in [("update", update.is_some()), ("copy", copy.is_some())] {
            if given {
                sink.warn(
                    &format!("{at}/{field}"),
                    format!(
                        "`{field}` is ignored: this action has `remove: true`, which removes the \
                         target nodes"
                    ),
                );
            }
        }
        Some(Op::Remove)
    } else {
        match (update, copy) {
            (Some(_), Some(_)) => {
                sink.error(
                    at,
                    "an action has `update` or `copy`, not both: the specification gives neither \
                     precedence over the other",
                );
                None
            }
            (Some(update), None) => Some(Op::Update(update.clone())),
            (None, Some((_, Some((text, path))))) => Some(Op::Copy { text, path }),
            // Not a valid query: its error is recorded.
            (None, Some((_, None))) => None,
            // A 1.0 `copy` or a malformed `remove` has had its error already.
            (None, None) if action.contains_key("copy") || remove.is_none() => None,
            (None, None) => {
                sink.error(
                    at,
                    format!("this action changes nothing: give it {}", version.changes()),
                );
                None
            }
        }
    }
}

/// Parses the JSONPath in field `field` of the action at `at`.
fn query(value: &Value, field: &str, at: &str, sink: &mut Sink<'_>) -> Option<(String, JsonPath)> {
    let pointer = format!("{at}/{field}");
    let Some(text) = value.as_str() else {
        sink.error(
            &pointer,
            format!(
                "`{field}` must be a JSONPath query string (e.g. `$.paths.*.get`), not {}",
                describe(value)
            ),
        );
        return None;
    };
    match JsonPath::parse(text) {
        Ok(path) => Some((text.to_owned(), path)),
        Err(e) => {
            // The position is a byte offset; the parser's message alone is often just "parser
            // error", so show where.
            let position = e.position();
            let place = match text.get(position..) {
                Some("") => "at its end".to_owned(),
                Some(rest) => format!(
                    "at `{rest}` (character {})",
                    text.get(..position).map_or(0, |head| head.chars().count()) + 1
                ),
                None => format!("at byte {position}"),
            };
            sink.error(
                &pointer,
                format!(
                    "`{field}` `{text}` is not an RFC 9535 JSONPath query: {} {place}",
                    e.message()
                ),
            );
            None
        }
    }
}

impl Version {
    fn name(self) -> &'static str {
        match self {
            Version::V1_0 => "1.0",
            Version::V1_1 => "1.1",
        }
    }

    /// The changes an action of this version can make, for messages.
    fn changes(self) -> &'static str {
        match self {
            Version::V1_0 => "`update` or `remove: true`",
            Version::V1_1 => "`update`, `copy` or `remove: true`",
        }
    }
}
