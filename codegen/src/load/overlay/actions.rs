//! Running one action: selecting its targets, then removing them or merging into them.

use std::collections::HashSet;

use serde_json::Value;
use serde_json_path::JsonPath;

use super::location::{describe, is_primitive, list, more, node, normalized, pointer, Loc, Step};
use super::merge::{update, Source};
use super::{Action, Op, Version};
use crate::diag::Sink;

pub(super) fn run(action: &Action, version: Version, doc: &mut Value, sink: &mut Sink<'_>) {
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
    if version == Version::V1_0 && selects_primitives(action, &targets, doc, sink) {
        return;
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
            let Some((from, value)) = copied(text, path, &copy_at, doc, sink) else {
                return;
            };
            let source = Source::Copy { at: copy_at, from };
            update(action, version, &targets, &value, &source, doc, sink);
        }
    }
}

/// Overlay 1.0 changes objects and arrays only: whether `targets` holds a primitive (reported).
fn selects_primitives(action: &Action, targets: &[Loc], doc: &Value, sink: &mut Sink<'_>) -> bool {
    let primitives: Vec<&Loc> = targets
        .iter()
        .filter(|loc| node(doc, loc).is_some_and(is_primitive))
        .collect();
    let Some(first) = primitives.first() else {
        return false;
    };
    let kind = node(doc, first).map(describe).unwrap_or_default();
    let hint = match action.op {
        Op::Remove => "declare `overlay: 1.1.0` to remove primitives",
        _ => {
            "select the containing object and update the property, or declare \
              `overlay: 1.1.0`"
        }
    };
    sink.error(
        &format!("{}/target", action.at),
        format!(
            "`target` `{}` selects {kind} at {}{}: Overlay 1.0 actions apply to objects \
             and arrays only ({hint})",
            action.target_text,
            normalized(first),
            more(primitives.len()),
        ),
    );
    true
}

/// The one node a `copy` (`text`, parsed as `path`) selects, with its location; `None` when it
/// selects none or several (reported).
fn copied(
    text: &str,
    path: &JsonPath,
    copy_at: &str,
    doc: &Value,
    sink: &mut Sink<'_>,
) -> Option<(Loc, Value)> {
    let sources = select(path, doc);
    match sources.as_slice() {
        [from] => node(doc, from).map(|value| (from.clone(), value.clone())),
        [] => {
            sink.error(
                copy_at,
                format!(
                    "`copy` `{text}` selects nothing in the document: it must select \
                     exactly one node to copy"
                ),
            );
            None
        }
        several => {
            sink.error(
                copy_at,
                format!(
                    "`copy` `{text}` selects {} nodes ({}): it must select exactly one \
                     node to copy",
                    several.len(),
                    list(several)
                ),
            );
            None
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
