//! `$ref`s: siblings beside them, anchors, and `$defs` read relative to the enclosing schema.

use serde_json::{Map, Value};

use super::schema::Plan;
use super::Translator;
use crate::diag::join;

/// Siblings of a `$ref` left beside it: the resolver reads a `description` there, the others
/// change nothing the client does.
fn stays_beside_ref(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key,
            "description" | "title" | "summary" | "$defs" | "definitions"
        )
}

/// A JSON pointer as a `$ref` fragment (`%` is the only character it must escape).
fn fragment(pointer: &str) -> String {
    format!("#{}", pointer.replace('%', "%25"))
}

/// A `$ref` to rewrite once the whole document is translated.
pub(super) enum Pending {
    /// `$ref: '#name'`: a `$anchor`.
    Anchor { at: String, name: String },
    /// `$ref: '#/$defs/X'`: relative to the enclosing schema when the document has none.
    Defs {
        at: String,
        before: String,
        reference: String,
        pointer: String,
        root: String,
    },
}

impl Translator<'_, '_> {
    /// `$ref` with siblings: the ones that constrain go beside it in an `allOf`.
    pub(super) fn ref_siblings(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) {
        map.remove("examples");
        map.remove("example");
        // The target has the type; beside it, only `null` says something.
        if let Some(t) = map.remove("type") {
            let null = t == "null"
                || t.as_array()
                    .is_some_and(|ts| ts.iter().any(|t| t == "null"));
            if null {
                map.insert("nullable".into(), Value::Bool(true));
            }
        }
        if map.keys().all(|k| k == "$ref" || stays_beside_ref(k)) {
            return;
        }
        let Some(reference) = map.remove("$ref") else {
            return;
        };
        let member = serde_json::json!({ "$ref": reference });
        self.push_all_of(map, member, join(before, "$ref"), now, plan);
    }

    pub(super) fn note_ref(&mut self, reference: &str, now: &str, before: &str, root: &str) {
        if let Some(name) = reference
            .strip_prefix('#')
            .filter(|n| !n.is_empty() && !n.starts_with('/'))
        {
            self.pending.push(Pending::Anchor {
                at: now.to_owned(),
                name: name.to_owned(),
            });
        } else if let Some(pointer) = crate::refs::pointer(reference)
            .filter(|p| p.starts_with("/$defs/") || p.starts_with("/definitions/"))
        {
            self.pending.push(Pending::Defs {
                at: now.to_owned(),
                before: before.to_owned(),
                reference: reference.to_owned(),
                pointer,
                root: root.to_owned(),
            });
        }
    }

    /// `$ref: '#anchor'` -> the anchor's pointer; `$ref: '#/$defs/X'` with no `$defs` at the
    /// top of the document -> the enclosing schema's.
    pub(super) fn resolve_pending(&mut self, doc: &mut Value) {
        for pending in std::mem::take(&mut self.pending) {
            let (at, reference) = match pending {
                Pending::Anchor { at, name } => {
                    let Some(target) = self.anchors.get(&name) else {
                        continue;
                    };
                    (at, fragment(target))
                }
                Pending::Defs {
                    at,
                    before,
                    reference,
                    pointer,
                    root,
                } => {
                    let inside = format!("{root}{pointer}");
                    if doc.pointer(&pointer).is_some() || doc.pointer(&inside).is_none() {
                        continue;
                    }
                    let rewritten = fragment(&inside);
                    self.sink.warn(
                        &join(&before, "$ref"),
                        format!("`$ref: {reference}` names no node of the document: read relative to its enclosing schema, as `{rewritten}`"),
                    );
                    (at, rewritten)
                }
            };
            if let Some(Value::Object(node)) = doc.pointer_mut(&at) {
                node.insert("$ref".into(), Value::String(reference));
            }
        }
    }
}
