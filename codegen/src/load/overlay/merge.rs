//! `update` and `copy`: merging a value into the selected nodes by the Overlay rules.

use serde_json::{Map, Value};

use super::location::{
    describe, is_primitive, join_loc, kind_of, more, node, normalized, pointer, Loc, Step,
};
use super::{Action, Version};
use crate::diag::Sink;

/// Where the value merged into the targets comes from, for messages.
pub(super) enum Source {
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

pub(super) fn update(
    action: &Action,
    version: Version,
    targets: &[Loc],
    value: &Value,
    source: &Source,
    doc: &mut Value,
    sink: &mut Sink<'_>,
) {
    if version == Version::V1_1 && mixes_kinds(action, targets, source, doc, sink) {
        return;
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
    report_conflicts(&conflicts, source, sink);
}

/// Overlay 1.1: "The selected nodes MUST be either all objects or all arrays or all primitives."
/// Whether they are not (reported).
fn mixes_kinds(
    action: &Action,
    targets: &[Loc],
    source: &Source,
    doc: &Value,
    sink: &mut Sink<'_>,
) -> bool {
    let mut kinds: Vec<(&'static str, &Loc)> = Vec::new();
    for loc in targets {
        let kind = node(doc, loc).map(kind_of).unwrap_or("");
        if !kinds.iter().any(|(k, _)| *k == kind) {
            kinds.push((kind, loc));
        }
    }
    if kinds.len() <= 1 {
        return false;
    }
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
    true
}

/// One error per property of the merged value, naming the first node it conflicts with: an
/// update of `$.paths.*.get` must not repeat itself for every path.
fn report_conflicts(conflicts: &[Conflict], source: &Source, sink: &mut Sink<'_>) {
    let mut reported: Vec<(&Conflict, usize)> = Vec::new();
    for conflict in conflicts {
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
