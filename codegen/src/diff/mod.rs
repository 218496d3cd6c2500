//! API diff: what changed between two versions of a spec, classified from a client's point of
//! view (breaking or not), with the public items of the generated crate whose signature or shape
//! changes.
//!
//! Both sides are checked models ([`crate::model_of`]): `$ref`s are resolved and every name is
//! final. Operations are matched by `operationId`, parameters by (location, wire name), types by
//! name, properties by wire name and enum values by wire string.
//!
//! A change is breaking when it breaks one of two things ([`Breaks`]): the wire, when a client
//! built for the old spec can fail against the new service (a call it makes is refused, a value
//! it receives no longer decodes); or callers' code, when a program written against the old
//! generated crate stops compiling against the new one, or compiles and does something else
//! (two arguments of one type that swap places). A new optional parameter breaks no client
//! already built, but it is a new positional argument: every existing call stops compiling.
//! The "Rust API" section lists every public item whose signature or shape moves, marked by
//! what callers' code does.

mod operations;
#[cfg(test)]
mod tests;
mod types;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::emit::spelling;
use crate::model::{Api, Field, Location, Param, ParamType, RequestBody, TypeDef, TypeRef};
use crate::names::unraw;
use crate::usage::Usage;

/// What happened to the item at a change's location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// In the new spec only.
    Added,
    /// In the old spec only.
    Removed,
    /// In both, different.
    Changed,
}

impl ChangeKind {
    fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// What a change breaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Breaks {
    /// A client built for the old spec can fail against the new service.
    pub wire: bool,
    /// Code written against the old generated crate stops compiling against the new one, or
    /// compiles with another meaning.
    pub code: bool,
}

impl Breaks {
    /// Breaks nothing.
    const NONE: Breaks = Breaks::both(false, false);

    const fn both(wire: bool, code: bool) -> Self {
        Breaks { wire, code }
    }

    const fn wire(wire: bool) -> Self {
        Breaks::both(wire, false)
    }

    const fn code(code: bool) -> Self {
        Breaks::both(false, code)
    }
}

/// One difference between the two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// Whether the change breaks the wire or callers' code (see `breaks`).
    pub breaking: bool,
    /// What the change breaks: clients already built, callers' code, or both.
    pub breaks: Breaks,
    /// Where: e.g. "operation SharedKeys_Regenerate / parameter workspaceName", "schema SharedKeys
    /// / property primarySharedKey", "schema KeyType / value Tertiary".
    pub location: String,
    /// What changed, readable: e.g. "maxLength 63 -> 50 (tightened)".
    pub description: String,
    /// The public item of the generated crate whose signature or shape changes, if any: e.g.
    /// "fn log_analytics::shared_keys_regenerate", "struct log_analytics::SharedKeys (field
    /// primary_shared_key)", "enum search::AdminKeyKind (variant Tertiary)".
    pub rust_item: Option<String>,
}

impl Change {
    /// The operation or schema the change belongs to, and the part of it (empty for the item
    /// itself).
    fn group(&self) -> (&str, &str) {
        match self.location.split_once(" / ") {
            Some((group, part)) => (group, part),
            None => (&self.location, ""),
        }
    }
}

/// Every difference between two specs, sorted by location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The old spec (its source path).
    pub old: String,
    /// The new spec (its source path).
    pub new: String,
    /// Every difference found, in the order of the specs.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether any change breaks clients of the old spec.
    pub fn breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    /// The distinct Rust items that change, sorted, each with whether a change breaks callers'
    /// code through it.
    fn rust_items(&self) -> BTreeMap<&str, bool> {
        let mut items: BTreeMap<&str, bool> = BTreeMap::new();
        for c in &self.changes {
            if let Some(item) = &c.rust_item {
                *items.entry(item.as_str()).or_default() |= c.breaks.code;
            }
        }
        items
    }

    /// The readable report: a header, the changes grouped by operation and schema (each marked
    /// `BREAKING` or `ok`), a summary line and the Rust items that change.
    pub fn to_text(&self) -> String {
        let mut out = format!("API diff: {} -> {}\n", self.old, self.new);
        let mut current: Option<&str> = None;
        for c in &self.changes {
            let (group, part) = c.group();
            if current != Some(group) {
                out.push('\n');
                out.push_str(group);
                out.push('\n');
                current = Some(group);
            }
            let mark = if c.breaking { "BREAKING" } else { "ok" };
            let what = if part.is_empty() {
                c.description.clone()
            } else {
                format!("{part}: {}", c.description)
            };
            out.push_str(&format!("  {mark:<8}  {:<7}  {what}\n", c.kind.as_str()));
        }
        let count = |f: fn(&Change) -> bool| self.changes.iter().filter(|c| f(c)).count();
        let breaking = count(|c| c.breaking);
        let n = self.changes.len();
        out.push_str(&format!(
            "\n{n} change{}, {breaking} breaking",
            if n == 1 { "" } else { "s" }
        ));
        if breaking > 0 {
            out.push_str(&format!(
                " ({} on the wire, {} to callers' code)",
                count(|c| c.breaks.wire),
                count(|c| c.breaks.code)
            ));
        }
        out.push('\n');
        let items = self.rust_items();
        if items.is_empty() {
            out.push_str("\nRust API: no public item changes\n");
        } else {
            out.push_str(
                "\nRust API (public items whose signature or shape changes; BREAKING: callers' code stops compiling or changes meaning):\n",
            );
            for (item, breaking) in items {
                let mark = if breaking { "BREAKING" } else { "ok" };
                out.push_str(&format!("  {mark:<8}  {item}\n"));
            }
        }
        out
    }

    /// The report as JSON: `{"old", "new", "breaking", "changes": [{kind, breaking, breaks:
    /// {wire, code}, location, description, rust_item}], "rust_items": [..]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let items: Vec<&str> = self.rust_items().into_keys().collect();
        serde_json::json!({
            "old": self.old,
            "new": self.new,
            "breaking": self.breaking(),
            "changes": self.changes,
            "rust_items": items,
        })
    }
}

/// Compares two checked models of a spec.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut d = Differ {
        old,
        new,
        usage: Usage::of_all(&[old, new]),
        changes: Vec::new(),
    };
    d.info();
    d.operations();
    d.types();
    let mut changes = d.changes;
    // Stable: changes at one location keep the order they were found in.
    changes.sort_by(|a, b| a.group().cmp(&b.group()));
    Report {
        old: old.source.clone(),
        new: new.source.clone(),
        changes,
    }
}

struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    usage: Usage,
    changes: Vec<Change>,
}

impl Differ<'_> {
    fn push(
        &mut self,
        kind: ChangeKind,
        breaks: Breaks,
        location: &str,
        description: String,
        rust_item: Option<String>,
    ) {
        self.changes.push(Change {
            kind,
            breaking: breaks.wire || breaks.code,
            breaks,
            location: location.to_owned(),
            description,
            rust_item,
        });
    }

    fn info(&mut self) {
        let (old, new) = (self.old, self.new);
        if old.version != new.version {
            self.push(
                ChangeKind::Changed,
                Breaks::NONE,
                "api",
                format!("version {} -> {}", old.version, new.version),
                None,
            );
        }
        if old.server != new.server {
            self.push(
                ChangeKind::Changed,
                Breaks::NONE,
                "api",
                format!("default server {} -> {}", old.server, new.server),
                None,
            );
        }
    }
}

/// A public item of the generated module: `fn keys::regenerate`.
fn item(api: &Api, kind: &str, name: &str) -> String {
    format!("{kind} {}::{name}", unraw(&api.module))
}

fn kind_word(t: &TypeDef) -> &'static str {
    match t {
        TypeDef::Struct(_) => "struct",
        TypeDef::Enum(_) => "enum",
        TypeDef::Union(_) => "union enum",
    }
}

fn required_word(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    }
}

/// How the report words a type's use.
fn role(usage: &Usage, ty: &str) -> &'static str {
    if usage.sent.contains(ty) {
        "the type is sent in requests"
    } else if usage.responses.contains(ty) {
        "the type is only received"
    } else {
        "no operation uses the type"
    }
}

/// A value's Rust type, as the generated crate spells it.
fn type_str(ty: &TypeRef) -> String {
    spelling::value(&spelling::plain, ty).to_string()
}

/// A parameter's type (before `Option`).
fn param_type_str(ty: &ParamType) -> String {
    spelling::param(&spelling::plain, ty).to_string()
}

/// A parameter's argument type.
fn param_rust(p: &Param) -> String {
    spelling::argument(&spelling::plain, p).to_string()
}

/// A body's argument type (borrowed).
fn body_rust(b: &RequestBody) -> String {
    spelling::body_argument(&spelling::plain, b).to_string()
}

/// A struct field's Rust type.
fn field_rust(f: &Field) -> String {
    spelling::field(&spelling::plain, f).to_string()
}
