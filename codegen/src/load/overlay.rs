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

// `load` calls `apply` once the document-set rewrite of load/mod.rs lands; until then only the
// tests do.

use std::collections::HashSet;
use std::path::Path;

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::diag::{escape_token, Diagnostic, Sink};

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
                    run(action, version, &mut work, &mut sink);
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

/// One step of a location in the document: an object member or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

type Loc = Vec<Step>;

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
                &format!("/{}", escape_token(key)),
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
                &format!("/info/{}", escape_token(key)),
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
                &format!("{at}/{}", escape_token(key)),
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
        .map(|value| (value, query(value, "copy", &at, sink)));
    let op = if remove == Some(true) {
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
                    &at,
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
                    &at,
                    format!("this action changes nothing: give it {}", version.changes()),
                );
                None
            }
        }
    };
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

// ---------------------------------------------------------------------------------------------
// Applying one action

fn run(action: &Action, version: Version, doc: &mut Value, sink: &mut Sink<'_>) {
    let target_at = format!("{}/target", action.at);
    let targets = select(&action.target, doc);
    if targets.is_empty() {
        sink.error(
            &target_at,
            format!(
                "`target` `{}` selects nothing in the document: a stale overlay must not \
                 silently stop applying (was it renamed or removed upstream?); fix the target or \
                 drop the action",
                action.target_text
            ),
        );
        return;
    }
    if version == Version::V1_0 {
        let primitives: Vec<&Loc> = targets
            .iter()
            .filter(|loc| node(doc, loc).is_some_and(is_primitive))
            .collect();
        if let Some(first) = primitives.first() {
            let kind = node(doc, first).map(describe).unwrap_or_default();
            let hint = match action.op {
                Op::Remove => "declare `overlay: 1.1.0` to remove primitives",
                _ => {
                    "select the containing object and update the property, or declare \
                      `overlay: 1.1.0`"
                }
            };
            sink.error(
                &target_at,
                format!(
                    "`target` `{}` selects {kind} at {}{}: Overlay 1.0 actions apply to objects \
                     and arrays only ({hint})",
                    action.target_text,
                    normalized(first),
                    more(primitives.len()),
                ),
            );
            return;
        }
    }
    match &action.op {
        Op::Remove => remove(action, &targets, doc, sink),
        Op::Update(value) => {
            let source = Source::Update {
                at: format!("{}/update", action.at),
            };
            update(action, version, &targets, value, &source, doc, sink);
        }
        Op::Copy { text, path } => {
            let copy_at = format!("{}/copy", action.at);
            let sources = select(path, doc);
            let (from, value) = match sources.as_slice() {
                [from] => match node(doc, from) {
                    Some(value) => (from.clone(), value.clone()),
                    None => return,
                },
                [] => {
                    sink.error(
                        &copy_at,
                        format!(
                            "`copy` `{text}` selects nothing in the document: it must select \
                             exactly one node to copy"
                        ),
                    );
                    return;
                }
                several => {
                    sink.error(
                        &copy_at,
                        format!(
                            "`copy` `{text}` selects {} nodes ({}): it must select exactly one \
                             node to copy",
                            several.len(),
                            list(several)
                        ),
                    );
                    return;
                }
            };
            let source = Source::Copy { at: copy_at, from };
            update(action, version, &targets, &value, &source, doc, sink);
        }
    }
}

/// The nodes `path` selects in `doc`, each once, in the order of the query's result.
fn select(path: &JsonPath, doc: &Value) -> Vec<Loc> {
    let mut seen = HashSet::new();
    path.query_located(doc)
        .iter()
        .map(|located| {
            located
                .location()
                .iter()
                .map(|step| match step {
                    serde_json_path::PathElement::Name(name) => Step::Key((*name).to_owned()),
                    serde_json_path::PathElement::Index(index) => Step::Index(*index),
                })
                .collect::<Loc>()
        })
        .filter(|loc| seen.insert(loc.clone()))
        .collect()
}

fn remove(action: &Action, targets: &[Loc], doc: &mut Value, sink: &mut Sink<'_>) {
    if targets.iter().any(Vec::is_empty) {
        sink.error(
            &format!("{}/target", action.at),
            format!(
                "`target` `{}` selects the document root, which cannot be removed",
                action.target_text
            ),
        );
        return;
    }
    // Last first: a later array element before an earlier one, and a node's descendants before
    // the node, so that every location still names the node it named when selected.
    let mut ordered: Vec<&Loc> = targets.iter().collect();
    ordered.sort_unstable_by(|a, b| b.cmp(a));
    for loc in ordered {
        let Some((last, parent)) = loc.split_last() else {
            continue;
        };
        match (doc.pointer_mut(&pointer(parent)), last) {
            (Some(Value::Object(members)), Step::Key(key)) => {
                members.shift_remove(key);
            }
            (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
                items.remove(*index);
            }
            _ => {}
        }
    }
}

/// Where the value merged into the targets comes from, for messages.
enum Source {
    /// The action's `update`, at this pointer in the overlay.
    Update { at: String },
    /// The node at `from` in the document, selected by the `copy` at this pointer in the overlay.
    Copy { at: String, from: Loc },
}

impl Source {
    /// How a message names the merged value.
    fn name(&self) -> String {
        match self {
            Source::Update { .. } => "`update`".to_owned(),
            Source::Copy { from, .. } => format!("the copied node at {}", normalized(from)),
        }
    }

    /// Where a part of the merged value comes from, for a message (the diagnostic's pointer
    /// already names it inside an `update`).
    fn origin(&self, inner: &[Step]) -> String {
        match self {
            Source::Update { .. } => String::new(),
            Source::Copy { from, .. } => {
                let mut whole = from.clone();
                whole.extend(inner.iter().cloned());
                format!(" from {}", normalized(&whole))
            }
        }
    }

    /// The overlay pointer of the merged value (or of a part of it, for `update`).
    fn pointer(&self, inner: &[Step]) -> String {
        match self {
            Source::Update { at } => join_loc(at, inner),
            Source::Copy { at, .. } => at.clone(),
        }
    }

    fn field(&self) -> &'static str {
        match self {
            Source::Update { .. } => "update",
            Source::Copy { .. } => "copy",
        }
    }
}

fn update(
    action: &Action,
    version: Version,
    targets: &[Loc],
    value: &Value,
    source: &Source,
    doc: &mut Value,
    sink: &mut Sink<'_>,
) {
    if version == Version::V1_1 {
        // "The selected nodes MUST be either all objects or all arrays or all primitives."
        let mut kinds: Vec<(&'static str, &Loc)> = Vec::new();
        for loc in targets {
            let kind = node(doc, loc).map(kind_of).unwrap_or("");
            if !kinds.iter().any(|(k, _)| *k == kind) {
                kinds.push((kind, loc));
            }
        }
        if kinds.len() > 1 {
            let found: Vec<String> = kinds
                .iter()
                .map(|(kind, loc)| format!("{kind} at {}", normalized(loc)))
                .collect();
            sink.error(
                &format!("{}/target", action.at),
                format!(
                    "`target` `{}` selects nodes of different kinds ({}): an `{}` applies to \
                     all objects, all arrays or all primitives",
                    action.target_text,
                    found.join(", "),
                    source.field()
                ),
            );
            return;
        }
    }
    let mut conflicts = Vec::new();
    let mut appended_array = false;
    for loc in targets {
        let Some(target) = doc.pointer_mut(&pointer(loc)) else {
            // Merging only adds members and appends items, so every selected node is still
            // where it was; nothing to do if it were not.
            continue;
        };
        match (target, value) {
            (Value::Object(members), Value::Object(update)) => {
                merge(members, update, loc, &mut Vec::new(), &mut conflicts);
            }
            (Value::Array(items), Value::Array(update)) if version == Version::V1_1 => {
                items.extend(update.iter().cloned());
            }
            (Value::Array(items), value) => {
                appended_array |= value.is_array();
                items.push(value.clone());
            }
            (target, value) if is_primitive(target) && is_primitive(value) => {
                *target = value.clone();
            }
            (target, value) => {
                let rule = if target.is_object() {
                    "an object is updated with an object of the properties to merge"
                } else {
                    "a primitive is replaced by a primitive"
                };
                sink.error(
                    &source.pointer(&[]),
                    format!(
                        "{} is {} but `target` `{}` selects {} at {}: {rule}",
                        source.name(),
                        describe(value),
                        action.target_text,
                        describe(target),
                        normalized(loc),
                    ),
                );
                // Every target is of the same kind (checked above for 1.1, objects or arrays
                // for 1.0), so the others fail alike.
                break;
            }
        }
    }
    if appended_array {
        sink.warn(
            &source.pointer(&[]),
            format!(
                "{} is an array, appended as one item to each selected array: Overlay 1.0 \
                 appends an `update` as an entry (declare `overlay: 1.1.0` to concatenate \
                 the arrays instead)",
                source.name()
            ),
        );
    }
    // One error per property of the merged value, naming the first node it conflicts with: an
    // update of `$.paths.*.get` must not repeat itself for every path.
    let mut reported: Vec<(&Conflict, usize)> = Vec::new();
    for conflict in &conflicts {
        match reported.iter_mut().find(|(c, _)| c.inner == conflict.inner) {
            Some((_, count)) => *count += 1,
            None => reported.push((conflict, 1)),
        }
    }
    for (conflict, count) in reported {
        sink.error(
            &source.pointer(&conflict.inner),
            format!(
                "cannot merge {}{} into {} at {}{}: a primitive replaces a primitive, an array \
                 is concatenated with an array and an object merges into an object; other \
                 combinations are incompatible",
                conflict.update,
                source.origin(&conflict.inner),
                conflict.target,
                normalized(&conflict.at),
                more(count),
            ),
        );
    }
}

/// A property present in both the merged value and the target, with incompatible values.
struct Conflict {
    /// Path of the property inside the merged value.
    inner: Vec<Step>,
    /// Location of the property in the document.
    at: Loc,
    update: String,
    target: String,
}

/// Merges `update` into `target` (located at `at`) by the Overlay 1.1 rules; `inner` is the path
/// inside the merged value, for messages.
fn merge(
    target: &mut Map<String, Value>,
    update: &Map<String, Value>,
    at: &Loc,
    inner: &mut Vec<Step>,
    conflicts: &mut Vec<Conflict>,
) {
    for (key, value) in update {
        let Some(existing) = target.get_mut(key) else {
            target.insert(key.clone(), value.clone());
            continue;
        };
        inner.push(Step::Key(key.clone()));
        match (existing, value) {
            (Value::Object(existing), Value::Object(value)) => {
                let mut at = at.clone();
                at.push(Step::Key(key.clone()));
                merge(existing, value, &at, inner, conflicts);
            }
            (Value::Array(existing), Value::Array(value)) => {
                existing.extend(value.iter().cloned());
            }
            (existing, value) if is_primitive(existing) && is_primitive(value) => {
                *existing = value.clone();
            }
            (existing, value) => {
                let mut at = at.clone();
                at.push(Step::Key(key.clone()));
                conflicts.push(Conflict {
                    inner: inner.clone(),
                    at,
                    update: describe(value),
                    target: describe(existing),
                });
            }
        }
        inner.pop();
    }
}

// ---------------------------------------------------------------------------------------------
// Locations and values in messages

fn node<'a>(doc: &'a Value, loc: &Loc) -> Option<&'a Value> {
    doc.pointer(&pointer(loc))
}

/// The JSON pointer (RFC 6901) of a location.
fn pointer(loc: &[Step]) -> String {
    join_loc("", loc)
}

fn join_loc(base: &str, loc: &[Step]) -> String {
    let mut out = base.to_owned();
    for step in loc {
        out.push('/');
        match step {
            Step::Key(key) => out.push_str(&escape_token(key)),
            Step::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

/// The normalized path (RFC 9535 §2.7) of a location: what an overlay author can paste into a
/// `target`.
fn normalized(loc: &[Step]) -> String {
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
fn list(locs: &[Loc]) -> String {
    let shown: Vec<String> = locs.iter().take(3).map(|loc| normalized(loc)).collect();
    let mut out = shown.join(", ");
    if locs.len() > 3 {
        out.push_str(&format!(" and {} more", locs.len() - 3));
    }
    out
}

/// `" (and N more)"` after the first of `count` offending nodes.
fn more(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        2 => " (and 1 more such node)".to_owned(),
        n => format!(" (and {} more such nodes)", n - 1),
    }
}

fn is_primitive(value: &Value) -> bool {
    !value.is_object() && !value.is_array()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        _ => "a primitive",
    }
}

/// A value's kind, with the value itself when it is short and primitive.
fn describe(value: &Value) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(doc: &mut Value, overlay: &str) -> Vec<String> {
        match apply(doc, Path::new("ov.yaml"), overlay) {
            Ok(warnings) => warnings.iter().map(ToString::to_string).collect(),
            Err(errors) => panic!("unexpected errors: {errors:#?}"),
        }
    }

    /// The errors, as displayed; asserts that `doc` was left unchanged.
    fn errs(doc: &Value, overlay: &str) -> Vec<String> {
        let mut work = doc.clone();
        match apply(&mut work, Path::new("ov.yaml"), overlay) {
            Ok(warnings) => panic!("expected errors, got a result and {warnings:?}"),
            Err(errors) => {
                assert_eq!(&work, doc, "the document changed on error");
                errors.iter().map(ToString::to_string).collect()
            }
        }
    }

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/keys": {
                    "get": {
                        "summary": "list",
                        "tags": ["keys", "dummy"],
                        "parameters": [
                            {"name": "api-version", "in": "query"},
                            {"name": "dummy", "in": "query"}
                        ]
                    },
                    "post": {
                        "parameters": [{"name": "api-version", "in": "query"}]
                    }
                },
                "/items": {
                    "get": {"summary": "items", "tags": ["items"]}
                }
            },
            "definitions": {
                "SharedKeys": {
                    "properties": {
                        "primarySharedKey": {"type": "string"},
                        "secondarySharedKey": {"type": "string"}
                    }
                }
            }
        })
    }

    const HEAD_10: &str = "overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n";
    const HEAD_11: &str = "overlay: 1.1.0\ninfo:\n  title: t\n  version: '1'\nactions:\n";

    fn v10(actions: &str) -> String {
        format!("{HEAD_10}{actions}")
    }

    fn v11(actions: &str) -> String {
        format!("{HEAD_11}{actions}")
    }

    #[test]
    fn update_merges_into_every_selected_object() {
        let mut doc = spec();
        let warnings = ok(
            &mut doc,
            &v10(
                "  - target: $.paths.*.get\n    update:\n      x-safe: true\n      summary: new\n",
            ),
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let keys = &doc["paths"]["/keys"]["get"];
        assert_eq!(keys["x-safe"], json!(true));
        assert_eq!(keys["summary"], json!("new"));
        assert_eq!(keys["tags"], json!(["keys", "dummy"]), "untouched");
        assert_eq!(doc["paths"]["/items"]["get"]["x-safe"], json!(true));
        assert_eq!(doc["paths"]["/items"]["get"]["summary"], json!("new"));
        assert!(doc["paths"]["/keys"]["post"].get("x-safe").is_none());
    }

    #[test]
    fn update_merges_recursively_and_concatenates_nested_arrays() {
        let mut doc = spec();
        ok(
            &mut doc,
            &v10(concat!(
                "  - target: $.paths['/keys']\n",
                "    update:\n",
                "      get:\n",
                "        tags: [extra]\n",
                "        responses: {'200': {description: ok}}\n",
            )),
        );
        let get = &doc["paths"]["/keys"]["get"];
        assert_eq!(get["tags"], json!(["keys", "dummy", "extra"]));
        assert_eq!(get["responses"]["200"]["description"], json!("ok"));
        assert_eq!(get["summary"], json!("list"));
    }

    #[test]
    fn update_adds_a_property() {
        let mut doc = spec();
        ok(
            &mut doc,
            &v10("  - target: $.definitions.SharedKeys.properties.primarySharedKey\n    update:\n      x-ms-secret: true\n"),
        );
        assert_eq!(
            doc["definitions"]["SharedKeys"]["properties"]["primarySharedKey"],
            json!({"type": "string", "x-ms-secret": true})
        );
        assert!(
            doc["definitions"]["SharedKeys"]["properties"]["secondarySharedKey"]
                .get("x-ms-secret")
                .is_none()
        );
    }

    #[test]
    fn filter_expressions_select_array_elements() {
        let mut doc = spec();
        ok(
            &mut doc,
            &v10("  - target: \"$.paths.*.*.parameters[?@.name=='api-version']\"\n    update:\n      required: true\n"),
        );
        assert_eq!(
            doc["paths"]["/keys"]["get"]["parameters"][0]["required"],
            json!(true)
        );
        assert_eq!(
            doc["paths"]["/keys"]["post"]["parameters"][0]["required"],
            json!(true)
        );
        assert!(doc["paths"]["/keys"]["get"]["parameters"][1]
            .get("required")
            .is_none());
    }

    #[test]
    fn the_specifications_nested_filter_example_applies() {
        let mut doc = json!({"paths": {
            "/items": {"get": {"x-oai-traits": ["paged"], "responses": {}}},
            "/other": {"get": {"responses": {}}}
        }});
        ok(
            &mut doc,
            &v11("  - target: $.paths[?(@.get['x-oai-traits'][?(@ == 'paged')])].get\n    update:\n      parameters: [{name: top, in: query}]\n"),
        );
        assert_eq!(
            doc["paths"]["/items"]["get"]["parameters"],
            json!([{"name": "top", "in": "query"}])
        );
        assert!(doc["paths"]["/other"]["get"].get("parameters").is_none());
    }

    #[test]
    fn remove_deletes_members_and_array_elements() {
        let mut doc = spec();
        ok(
            &mut doc,
            &v10(concat!(
                "  - target: $.paths['/items']\n",
                "    remove: true\n",
                "  - target: $.paths.*.get.parameters[?@.name == 'dummy']\n",
                "    remove: true\n",
            )),
        );
        assert!(doc["paths"].get("/items").is_none());
        assert_eq!(
            doc["paths"]["/keys"]["get"]["parameters"],
            json!([{"name": "api-version", "in": "query"}])
        );
    }

    #[test]
    fn removal_keeps_indexes_valid_and_order_stable() {
        let mut doc = json!({"a": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "b": 1, "c": 2, "d": 3});
        ok(
            &mut doc,
            &v11(
                "  - target: $.a[1,2,10,11]\n    remove: true\n  - target: $.c\n    remove: true\n",
            ),
        );
        assert_eq!(doc["a"], json!([0, 3, 4, 5, 6, 7, 8, 9]));
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["a", "b", "d"], "member order kept");
    }

    #[test]
    fn removal_of_a_node_and_its_descendants_together() {
        let mut doc = json!({"a": {"a": {"a": {}}}, "b": [{"a": 1}]});
        ok(&mut doc, &v11("  - target: $..a\n    remove: true\n"));
        assert_eq!(doc, json!({"b": [{}]}));
    }

    #[test]
    fn actions_apply_in_order_each_on_the_previous_result() {
        let mut doc = spec();
        ok(
            &mut doc,
            &v10(concat!(
                "  - target: $.paths['/items'].get\n",
                "    remove: true\n",
                "  - target: $.paths['/items']\n",
                "    update: {get: {summary: again}}\n",
            )),
        );
        assert_eq!(doc["paths"]["/items"], json!({"get": {"summary": "again"}}));
    }

    #[test]
    fn copy_merges_the_single_selected_node_into_the_targets() {
        // The specification's Move example: ensure, copy, remove.
        let mut doc = json!({"paths": {
            "/items": {"get": {"responses": {"200": {"description": "OK"}}}},
            "/some-items": {"delete": {"responses": {"200": {"description": "OK"}}}}
        }});
        ok(
            &mut doc,
            &v11(concat!(
                "  - target: '$.paths'\n",
                "    update: { \"/new-items\": {} }\n",
                "  - target: '$.paths[\"/new-items\"]'\n",
                "    copy: '$.paths[\"/items\"]'\n",
                "  - target: '$.paths[\"/items\"]'\n",
                "    remove: true\n",
            )),
        );
        assert_eq!(
            doc,
            json!({"paths": {
                "/some-items": {"delete": {"responses": {"200": {"description": "OK"}}}},
                "/new-items": {"get": {"responses": {"200": {"description": "OK"}}}}
            }})
        );
    }

    #[test]
    fn copy_into_arrays_and_primitives() {
        let mut doc = json!({"a": [1], "b": [2, 3], "s": "x", "t": "y", "o": {"k": 1}});
        ok(
            &mut doc,
            &v11("  - target: $.a\n    copy: $.b\n  - target: $.s\n    copy: $.t\n  - target: $.b\n    copy: $.o\n"),
        );
        assert_eq!(doc["a"], json!([1, 2, 3]));
        assert_eq!(doc["s"], json!("y"));
        assert_eq!(doc["b"], json!([2, 3, {"k": 1}]));
    }

    #[test]
    fn version_1_1_replaces_primitives_and_concatenates_arrays() {
        let mut doc = spec();
        let warnings = ok(
            &mut doc,
            &v11(concat!(
                "  - target: $.paths['/keys'].get.summary\n",
                "    update: renamed\n",
                "  - target: $.paths.*.get.tags\n",
                "    update: [more]\n",
                "  - target: $.paths.*.get.tags[?@ == 'dummy']\n",
                "    remove: true\n",
            )),
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(doc["paths"]["/keys"]["get"]["summary"], json!("renamed"));
        assert_eq!(
            doc["paths"]["/keys"]["get"]["tags"],
            json!(["keys", "more"])
        );
        assert_eq!(
            doc["paths"]["/items"]["get"]["tags"],
            json!(["items", "more"])
        );
    }

    #[test]
    fn version_1_0_appends_an_array_update_as_one_entry_with_a_warning() {
        let mut doc = spec();
        let warnings = ok(
            &mut doc,
            &v10("  - target: $.paths['/items'].get.tags\n    update: [more]\n"),
        );
        assert_eq!(
            doc["paths"]["/items"]["get"]["tags"],
            json!(["items", ["more"]])
        );
        assert_eq!(
            warnings,
            [
                "ov.yaml:7: at #/actions/0/update: `update` is an array, appended as one item to \
              each selected array: Overlay 1.0 appends an `update` as an entry (declare \
              `overlay: 1.1.0` to concatenate the arrays instead)"
            ]
        );
        // An object is appended as one entry in both versions.
        let mut doc = spec();
        ok(
            &mut doc,
            &v10("  - target: $.paths.*.get.parameters\n    update: {name: newParam, in: query}\n"),
        );
        assert_eq!(
            doc["paths"]["/keys"]["get"]["parameters"][2],
            json!({"name": "newParam", "in": "query"})
        );
    }

    #[test]
    fn patch_versions_and_json_overlays_are_accepted() {
        let mut doc = spec();
        let overlay = r#"{"overlay": "1.1.7", "info": {"title": "t", "version": "1"},
            "actions": [{"target": "$.info", "update": {"x-a": 1}}]}"#;
        assert!(apply(&mut doc, Path::new("ov.json"), overlay).is_ok());
        assert_eq!(doc["info"]["x-a"], json!(1));
    }

    #[test]
    fn warnings_for_unknown_fields_and_ignored_changes() {
        let mut doc = spec();
        let warnings = ok(
            &mut doc,
            concat!(
                "overlay: 1.1.0\n",
                "info:\n",
                "  title: t\n",
                "  version: '1'\n",
                "  x-ok: 1\n",
                "  author: me\n",
                "x-tool: fine\n",
                "action: typo\n",
                "actions:\n",
                "  - target: $.paths['/items']\n",
                "    remove: true\n",
                "    update: {a: 1}\n",
                "    updat: {a: 1}\n",
            ),
        );
        assert_eq!(
            warnings,
            [
                "ov.yaml:8: at #/action: unknown field `action` ignored: an overlay has \
                 `overlay`, `info`, `extends`, `actions` and `x-` extensions",
                "ov.yaml:6: at #/info/author: unknown field `author` in `info` ignored: \
                 Overlay 1.1 `info` has `title`, `version`, `description` and `x-` extensions",
                "ov.yaml:13: at #/actions/0/updat: unknown field `updat` in an action ignored: \
                 an action has `target`, `description`, `update`, `copy` or `remove: true` and \
                 `x-` extensions",
                "ov.yaml:12: at #/actions/0/update: `update` is ignored: this action has \
                 `remove: true`, which removes the target nodes",
            ]
        );
        assert!(doc["paths"].get("/items").is_none());
    }

    // ---- errors: each located in the overlay, the document unchanged

    #[test]
    fn not_yaml_or_json() {
        assert_eq!(
            errs(&spec(), "overlay: 1.1.0\nactions: [\n  - a\n"),
            [
                "ov.yaml:3: at #/: not valid YAML or JSON: did not find expected node content at \
              line 3 column 3, while parsing a flow node"
            ]
        );
    }

    #[test]
    fn json_overlays_are_located_too() {
        let overlay =
            "{\"overlay\": \"1.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \
                       \"actions\": [\n  {\"target\": \"$.nope\",\n   \"remove\": true}]}\n";
        let mut doc = spec();
        let errors = apply(&mut doc, Path::new("ov.json"), overlay).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "ov.json:3: at #/actions/0/target: `target` `$.nope` selects nothing in the \
             document: a stale overlay must not silently stop applying (was it renamed or \
             removed upstream?); fix the target or drop the action"
        );
        assert_eq!(doc, spec());
    }

    #[test]
    fn not_an_object() {
        assert_eq!(
            errs(&spec(), "- overlay: 1.1.0\n"),
            [
                "ov.yaml:1: at #/: an overlay is an object with `overlay`, `info` and `actions`, \
              not an array"
            ]
        );
    }

    #[test]
    fn wrong_or_missing_version_is_one_error() {
        assert_eq!(
            errs(&spec(), "overlay: 2.0.0\nactions: 3\n"),
            [
                "ov.yaml:1: at #/overlay: Overlay 2.0.0 is not supported: only Overlay 1.0.x \
              and 1.1.x documents are"
            ]
        );
        assert_eq!(
            errs(&spec(), "info: {title: t, version: '1'}\nactions: []\n"),
            [
                "ov.yaml:1: at #/overlay: missing `overlay` version field: not an Overlay \
              document (only Overlay 1.0.x and 1.1.x documents are supported, e.g. \
              `overlay: 1.1.0`)"
            ]
        );
        assert_eq!(
            errs(&spec(), "info: {}\noverlay: 1.1\n"),
            [
                "ov.yaml:2: at #/overlay: `overlay` must be a version string such as \"1.1.0\", \
              not the number 1.1 (quote it in YAML)"
            ]
        );
        assert_eq!(
            errs(&spec(), "overlay: '1.1'\n")[0],
            "ov.yaml:1: at #/overlay: Overlay 1.1 is not supported: only Overlay 1.0.x and \
             1.1.x documents are"
        );
    }

    #[test]
    fn missing_info_and_actions() {
        assert_eq!(
            errs(&spec(), "overlay: 1.0.0\n"),
            [
                "ov.yaml:1: at #/info: missing `info`: an overlay needs `info` with its \
                 `title` and `version`",
                "ov.yaml:1: at #/actions: missing `actions`: an overlay lists the actions to \
                 apply, at least one",
            ]
        );
        assert_eq!(
            errs(
                &spec(),
                "overlay: 1.0.0\ninfo:\n  version: 1.0\nactions: []\n"
            ),
            [
                "ov.yaml:2: at #/info/title: missing `info.title`: `info` needs a `title` and \
                 a `version`",
                "ov.yaml:3: at #/info/version: `info.version` must be a string, not the number \
                 1.0 (quote it in YAML)",
                "ov.yaml:4: at #/actions: `actions` is empty: an overlay lists at least one \
                 action",
            ]
        );
    }

    #[test]
    fn malformed_actions() {
        let e = errs(
            &spec(),
            &v11(concat!(
                "  - description: no target\n",
                "    update: {a: 1}\n",
                "  - target: $.paths[\n",
                "    update: {a: 1}\n",
                "  - target: $.info\n",
                "  - target: $.info\n",
                "    update: {a: 1}\n",
                "    copy: $.paths\n",
                "  - target: $.info\n",
                "    remove: 'yes'\n",
                "  - target: 7\n",
                "    copy: $.x[\n",
                "  - just a string\n",
            )),
        );
        assert_eq!(
            e,
            [
                "ov.yaml:6: at #/actions/0/target: missing `target`: every action selects the \
                 nodes it changes with a JSONPath `target` (e.g. `$.paths.*.get`)",
                "ov.yaml:8: at #/actions/1/target: `target` `$.paths[` is not an RFC 9535 \
                 JSONPath query: parser error at `[` (character 8)",
                "ov.yaml:10: at #/actions/2: this action changes nothing: give it `update`, \
                 `copy` or `remove: true`",
                "ov.yaml:11: at #/actions/3: an action has `update` or `copy`, not both: the \
                 specification gives neither precedence over the other",
                "ov.yaml:15: at #/actions/4/remove: `remove` must be true or false, not the \
                 string \"yes\"",
                "ov.yaml:16: at #/actions/5/target: `target` must be a JSONPath query string \
                 (e.g. `$.paths.*.get`), not the number 7",
                "ov.yaml:17: at #/actions/5/copy: `copy` `$.x[` is not an RFC 9535 JSONPath \
                 query: parser error at `[` (character 4)",
                "ov.yaml:18: at #/actions/6: an action must be an object with a `target` and \
                 `update`, `copy` or `remove: true`, not the string \"just a string\"",
            ]
        );
    }

    #[test]
    fn a_target_that_selects_nothing() {
        assert_eq!(
            errs(
                &spec(),
                &v10(concat!(
                    "  - target: $.info\n",
                    "    update: {x-a: 1}\n",
                    "  - target: $.paths['/gone'].get\n",
                    "    update: {x-a: 1}\n",
                )),
            ),
            [
                "ov.yaml:8: at #/actions/1/target: `target` `$.paths['/gone'].get` selects \
              nothing in the document: a stale overlay must not silently stop applying (was \
              it renamed or removed upstream?); fix the target or drop the action"
            ]
        );
        // A node removed by an earlier action is gone for the later ones.
        assert_eq!(
            errs(
                &spec(),
                &v11("  - target: $.info\n    remove: true\n  - target: $.info.title\n    remove: true\n"),
            ),
            ["ov.yaml:8: at #/actions/1/target: `target` `$.info.title` selects nothing in \
              the document: a stale overlay must not silently stop applying (was it renamed \
              or removed upstream?); fix the target or drop the action"]
        );
    }

    #[test]
    fn copy_must_select_exactly_one_node() {
        assert_eq!(
            errs(
                &spec(),
                &v11(concat!(
                    "  - target: $.info\n",
                    "    copy: $.paths.*.get\n",
                    "  - target: $.info\n",
                    "    copy: $.nothing\n",
                )),
            ),
            [
                "ov.yaml:7: at #/actions/0/copy: `copy` `$.paths.*.get` selects 2 nodes \
                 ($['paths']['/keys']['get'], $['paths']['/items']['get']): it must select \
                 exactly one node to copy",
                "ov.yaml:9: at #/actions/1/copy: `copy` `$.nothing` selects nothing in the \
                 document: it must select exactly one node to copy",
            ]
        );
    }

    #[test]
    fn version_1_0_refuses_copy() {
        assert_eq!(
            errs(&spec(), &v10("  - target: $.info\n    copy: $.paths\n")),
            [
                "ov.yaml:7: at #/actions/0/copy: `copy` is an Overlay 1.1 action, and this \
              overlay declares Overlay 1.0 (declare `overlay: 1.1.0` to use it)"
            ]
        );
    }

    #[test]
    fn version_1_0_targets_objects_and_arrays_only() {
        assert_eq!(
            errs(
                &spec(),
                &v10("  - target: $.paths.*.get.summary\n    update: new\n"),
            ),
            [
                "ov.yaml:6: at #/actions/0/target: `target` `$.paths.*.get.summary` selects the \
              string \"list\" at $['paths']['/keys']['get']['summary'] (and 1 more such \
              node): Overlay 1.0 actions apply to objects and arrays only (select the \
              containing object and update the property, or declare `overlay: 1.1.0`)"
            ]
        );
        assert_eq!(
            errs(
                &spec(),
                &v10("  - target: $.paths.*.get.tags[?@ == 'dummy']\n    remove: true\n"),
            ),
            [
                "ov.yaml:6: at #/actions/0/target: `target` `$.paths.*.get.tags[?@ == 'dummy']` \
              selects the string \"dummy\" at $['paths']['/keys']['get']['tags'][1]: Overlay \
              1.0 actions apply to objects and arrays only (declare `overlay: 1.1.0` to remove \
              primitives)"
            ]
        );
    }

    #[test]
    fn update_of_the_wrong_kind() {
        assert_eq!(
            errs(&spec(), &v11("  - target: $.info\n    update: new title\n")),
            [
                "ov.yaml:7: at #/actions/0/update: `update` is the string \"new title\" but \
              `target` `$.info` selects an object at $['info']: an object is updated with an \
              object of the properties to merge"
            ]
        );
        assert_eq!(
            errs(
                &spec(),
                &v11("  - target: $.info.title\n    update: {a: 1}\n")
            ),
            [
                "ov.yaml:7: at #/actions/0/update: `update` is an object but `target` \
              `$.info.title` selects the string \"t\" at $['info']['title']: a primitive is \
              replaced by a primitive"
            ]
        );
        assert_eq!(
            errs(&spec(), &v11("  - target: $.info.*\n    copy: $.paths\n")),
            [
                "ov.yaml:7: at #/actions/0/copy: the copied node at $['paths'] is an object but \
              `target` `$.info.*` selects the string \"t\" at $['info']['title']: a primitive \
              is replaced by a primitive"
            ]
        );
    }

    #[test]
    fn update_of_mixed_kinds_in_1_1() {
        assert_eq!(
            errs(
                &spec(),
                &v11("  - target: $.paths['/keys'].get.*\n    update: x\n"),
            ),
            [
                "ov.yaml:6: at #/actions/0/target: `target` `$.paths['/keys'].get.*` selects \
              nodes of different kinds (a primitive at $['paths']['/keys']['get']['summary'], \
              an array at $['paths']['/keys']['get']['tags']): an `update` applies to all \
              objects, all arrays or all primitives"
            ]
        );
    }

    #[test]
    fn incompatible_properties_are_located_inside_the_update() {
        assert_eq!(
            errs(
                &spec(),
                &v10(concat!(
                    "  - target: $.paths.*.get\n",
                    "    update:\n",
                    "      x-fine: 1\n",
                    "      summary:\n",
                    "        text: x\n",
                    "      tags: none\n",
                )),
            ),
            [
                "ov.yaml:9: at #/actions/0/update/summary: cannot merge an object into the \
                 string \"list\" at $['paths']['/keys']['get']['summary'] (and 1 more such \
                 node): a primitive replaces a primitive, an array is concatenated with an \
                 array and an object merges into an object; other combinations are \
                 incompatible",
                "ov.yaml:11: at #/actions/0/update/tags: cannot merge the string \"none\" into \
                 an array at $['paths']['/keys']['get']['tags'] (and 1 more such node): a \
                 primitive replaces a primitive, an array is concatenated with an array and an \
                 object merges into an object; other combinations are incompatible",
            ]
        );
    }

    #[test]
    fn incompatible_copied_properties_name_their_source() {
        let doc = json!({"a": {"x": {"k": 1}}, "b": {"x": "s"}});
        assert_eq!(
            errs(&doc, &v11("  - target: $.b\n    copy: $.a\n")),
            [
                "ov.yaml:7: at #/actions/0/copy: cannot merge an object from $['a']['x'] into the \
              string \"s\" at $['b']['x']: a primitive replaces a primitive, an array is \
              concatenated with an array and an object merges into an object; other \
              combinations are incompatible"
            ]
        );
    }

    #[test]
    fn removing_the_root_is_an_error() {
        assert_eq!(
            errs(&spec(), &v11("  - target: $\n    remove: true\n")),
            [
                "ov.yaml:6: at #/actions/0/target: `target` `$` selects the document root, which \
              cannot be removed"
            ]
        );
    }

    #[test]
    fn errors_in_several_actions_are_all_reported() {
        let e = errs(
            &spec(),
            &v11(concat!(
                "  - target: $.info\n",
                "    update: {x-a: 1}\n",
                "  - target: $.nope\n",
                "    remove: true\n",
                "  - target: $.paths[\n",
                "    remove: true\n",
            )),
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("ov.yaml:10: at #/actions/2/target: "),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("ov.yaml:8: at #/actions/1/target: "),
            "{e:?}"
        );
    }

    #[test]
    fn normalized_paths_escape_like_rfc_9535() {
        let loc = vec![
            Step::Key("it's\\\n\u{1}".to_owned()),
            Step::Index(3),
            Step::Key("/a~b".to_owned()),
        ];
        assert_eq!(normalized(&loc), "$['it\\'s\\\\\\n\\u0001'][3]['/a~b']");
        assert_eq!(pointer(&loc), "/it's\\\n\u{1}/3/~1a~0b");
    }

    #[test]
    fn odd_inputs_never_panic() {
        let docs = [json!(null), json!([1, [2]]), json!("s"), spec()];
        let overlays = [
            "",
            "~",
            "[]",
            "42",
            "overlay: 1.1.0",
            "overlay: 1.1.0\ninfo: 3\nactions: {a: 1}\n",
            "overlay: 1.1.0\ninfo: {title: [], version: {}}\nextends: 1\nactions: [null, [], {}]\n",
            "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$..*', remove: true}\n",
            "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$..*', update: 1}\n",
            "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$..*', copy: '$'}\n",
            "overlay: 1.0.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$..*', update: {}}\n",
            "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$[-1:0:-1]', update: []}\n",
            "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$[?length(@) > 1]', remove: true}\n",
            "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: \"$[?match(@, '[')]\", remove: true}\n",
            "{\"overlay\": \"1.1.0\", \"actions\": [{\"target\": \"$['\\u0000']\"}]",
        ];
        for doc in &docs {
            for overlay in overlays {
                let mut work = doc.clone();
                let _ = apply(&mut work, Path::new("ov.yaml"), overlay);
            }
        }
    }
}
