//! API diff: what changed between two versions of a spec, classified from a client's point of
//! view (breaking or not), with the public items of the generated crate whose signature or shape
//! changes.
//!
//! Both sides are checked models ([`crate::model_of`]): `$ref`s are resolved and every name is
//! final. Operations are matched by `operationId`, parameters by (location, wire name), types by
//! name, properties by wire name and enum values by wire string.
//!
//! "Breaking" follows the spec: a change is breaking when a client built for the old spec can
//! fail against the new one (a call it makes is refused, a value it receives no longer decodes,
//! code written against the generated crate stops compiling). Changes that only touch the Rust
//! API (a new optional argument, a new variant) are not breaking but name their Rust item, so the
//! "Rust API" section of the report lists everything whose signature or shape moves.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::model::{
    Api, ConstParam, Constraints, EnumDef, Field, Location, Operation, Param, ParamType,
    RequestBody, StructDef, Success, TypeDef, TypeRef,
};
use crate::names::unraw;

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

/// One difference between the two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// Whether a client written against the old spec may break (no longer compile, or fail a call that worked).
    pub breaking: bool,
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

    /// The distinct Rust items that change, sorted, each with whether a breaking change touches
    /// it.
    fn rust_items(&self) -> BTreeMap<&str, bool> {
        let mut items: BTreeMap<&str, bool> = BTreeMap::new();
        for c in &self.changes {
            if let Some(item) = &c.rust_item {
                *items.entry(item.as_str()).or_default() |= c.breaking;
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
        let breaking = self.changes.iter().filter(|c| c.breaking).count();
        let n = self.changes.len();
        out.push_str(&format!(
            "\n{n} change{}, {breaking} breaking\n",
            if n == 1 { "" } else { "s" }
        ));
        let items = self.rust_items();
        if items.is_empty() {
            out.push_str("\nRust API: no public item changes\n");
        } else {
            out.push_str("\nRust API (public items whose signature or shape changes):\n");
            for (item, breaking) in items {
                let mark = if breaking { "BREAKING" } else { "ok" };
                out.push_str(&format!("  {mark:<8}  {item}\n"));
            }
        }
        out
    }

    /// The report as JSON: `{"old", "new", "breaking", "changes": [{kind, breaking, location,
    /// description, rust_item}], "rust_items": [..]}`.
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
        usage: Usage::of(old).union(Usage::of(new)),
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

/// Which types travel in requests and which in responses (directly or nested).
#[derive(Debug, Default)]
struct Usage {
    sent: BTreeSet<String>,
    received: BTreeSet<String>,
}

impl Usage {
    fn of(api: &Api) -> Self {
        let index: HashMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name(), t)).collect();
        let mut usage = Usage::default();
        for op in &api.operations {
            if let Some(body) = &op.body {
                walk(&index, &body.ty, &mut usage.sent);
            }
            for p in &op.params {
                if let ParamType::Enum(name) = &p.ty {
                    walk(&index, &TypeRef::Named(name.clone()), &mut usage.sent);
                }
            }
            for ty in op.success.types() {
                walk(&index, ty, &mut usage.received);
            }
            walk(&index, &op.error, &mut usage.received);
        }
        usage
    }

    /// A type counts as sent (or received) when either side of the diff uses it so.
    fn union(mut self, other: Usage) -> Self {
        self.sent.extend(other.sent);
        self.received.extend(other.received);
        self
    }

    fn sent(&self, ty: &str) -> bool {
        self.sent.contains(ty)
    }

    fn received(&self, ty: &str) -> bool {
        self.received.contains(ty)
    }

    /// How the report words a type's use.
    fn role(&self, ty: &str) -> &'static str {
        if self.sent(ty) {
            "the type is sent in requests"
        } else if self.received(ty) {
            "the type is only received"
        } else {
            "no operation uses the type"
        }
    }
}

fn walk(index: &HashMap<&str, &TypeDef>, ty: &TypeRef, seen: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(name) => {
            if !seen.insert(name.clone()) {
                return;
            }
            if let Some(TypeDef::Struct(s)) = index.get(name.as_str()) {
                for f in &s.fields {
                    walk(index, &f.ty, seen);
                }
                if let Some(additional) = &s.additional {
                    walk(index, additional, seen);
                }
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            walk(index, inner, seen)
        }
        _ => {}
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
        breaking: bool,
        location: &str,
        description: String,
        rust_item: Option<String>,
    ) {
        self.changes.push(Change {
            kind,
            breaking,
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
                false,
                "api",
                format!("version {} -> {}", old.version, new.version),
                None,
            );
        }
        if old.server != new.server {
            self.push(
                ChangeKind::Changed,
                false,
                "api",
                format!("default server {} -> {}", old.server, new.server),
                None,
            );
        }
    }

    fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        let old_ops: BTreeMap<&str, &Operation> = old
            .operations
            .iter()
            .map(|o| (o.operation_id.as_str(), o))
            .collect();
        let new_ops: BTreeMap<&str, &Operation> = new
            .operations
            .iter()
            .map(|o| (o.operation_id.as_str(), o))
            .collect();
        for (id, o) in &old_ops {
            if !new_ops.contains_key(id) {
                self.push(
                    ChangeKind::Removed,
                    true,
                    &format!("operation {id}"),
                    format!("{} {}", o.method.as_str(), o.path),
                    Some(item(old, "fn", &o.name)),
                );
            }
        }
        for (id, n) in &new_ops {
            match old_ops.get(id) {
                None => self.push(
                    ChangeKind::Added,
                    false,
                    &format!("operation {id}"),
                    format!("{} {}", n.method.as_str(), n.path),
                    Some(item(new, "fn", &n.name)),
                ),
                Some(o) => self.operation(o, n),
            }
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let loc = format!("operation {}", n.operation_id);
        let func = item(self.new, "fn", &n.name);
        if o.name != n.name {
            self.push(
                ChangeKind::Changed,
                true,
                &loc,
                format!("function `{}` -> `{}`", o.name, n.name),
                Some(func.clone()),
            );
        }
        // Renaming a path template's placeholder changes nothing on the wire (the parameters
        // say the rest).
        if o.method != n.method || path_shape(&o.path) != path_shape(&n.path) {
            let case_only = o.method == n.method
                && path_shape(&o.path).eq_ignore_ascii_case(&path_shape(&n.path));
            self.push(
                ChangeKind::Changed,
                true,
                &loc,
                format!(
                    "request {} {} -> {} {}{}",
                    o.method.as_str(),
                    o.path,
                    n.method.as_str(),
                    n.path,
                    if case_only { " (letter case only)" } else { "" }
                ),
                None,
            );
        }
        if o.deprecated != n.deprecated {
            let what = if n.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(ChangeKind::Changed, false, &loc, what.to_owned(), None);
        }
        self.params(&loc, &func, o, n);
        self.constants(&loc, o, n);
        self.body(&loc, &func, o.body.as_ref(), n.body.as_ref());
        self.responses(&loc, &func, o, n);
    }

    fn params(&mut self, loc: &str, func: &str, o: &Operation, n: &Operation) {
        let find = |ps: &'_ [Param], p: &Param| -> Option<usize> {
            ps.iter()
                .position(|q| q.location == p.location && q.wire == p.wire)
        };
        for op in &o.params {
            if find(&n.params, op).is_none() {
                self.push(
                    ChangeKind::Removed,
                    true,
                    &format!("{loc} / parameter {}", op.wire),
                    format!(
                        "{} {} parameter (argument `{}`)",
                        required_word(op.required),
                        location_word(op.location),
                        op.name
                    ),
                    Some(func.to_owned()),
                );
            }
        }
        for np in &n.params {
            let ploc = format!("{loc} / parameter {}", np.wire);
            let Some(i) = find(&o.params, np) else {
                self.push(
                    ChangeKind::Added,
                    np.required,
                    &ploc,
                    format!(
                        "{} {} parameter: new argument `{}: {}`",
                        required_word(np.required),
                        location_word(np.location),
                        np.name,
                        param_rust(np)
                    ),
                    Some(func.to_owned()),
                );
                continue;
            };
            let op = &o.params[i];
            if op.required != np.required {
                let what = if np.required {
                    "became required"
                } else {
                    "became optional"
                };
                self.push(
                    ChangeKind::Changed,
                    np.required,
                    &ploc,
                    format!(
                        "{what} (argument `{}`: {} -> {})",
                        np.name,
                        param_rust(op),
                        param_rust(np)
                    ),
                    Some(func.to_owned()),
                );
            }
            if op.ty != np.ty {
                self.push(
                    ChangeKind::Changed,
                    true,
                    &ploc,
                    format!(
                        "type {} -> {}",
                        param_type_str(&op.ty),
                        param_type_str(&np.ty)
                    ),
                    Some(func.to_owned()),
                );
            }
            self.constraints(&ploc, &op.constraints, &np.constraints, None);
        }
        // Arguments are positional: the ones both versions have must keep their order.
        let kept_old: Vec<&str> = o
            .params
            .iter()
            .filter(|p| find(&n.params, p).is_some())
            .map(|p| p.name.as_str())
            .collect();
        let kept_new: Vec<&str> = n
            .params
            .iter()
            .filter(|p| find(&o.params, p).is_some())
            .map(|p| p.name.as_str())
            .collect();
        if kept_old != kept_new {
            self.push(
                ChangeKind::Changed,
                false,
                loc,
                format!(
                    "argument order ({}) -> ({}): existing calls whose moved arguments \
                     share a type still compile, with the values exchanged",
                    kept_old.join(", "),
                    kept_new.join(", ")
                ),
                Some(func.to_owned()),
            );
        }
    }

    /// Parameters sent with one fixed value (`api-version`): the client sends them itself.
    fn constants(&mut self, loc: &str, o: &Operation, n: &Operation) {
        let find = |cs: &'_ [ConstParam], c: &ConstParam| -> Option<usize> {
            cs.iter()
                .position(|d| d.location == c.location && d.wire == c.wire)
        };
        for oc in &o.constants {
            if find(&n.constants, oc).is_none() {
                self.push(
                    ChangeKind::Removed,
                    false,
                    &format!("{loc} / parameter {}", oc.wire),
                    format!(
                        "constant {} parameter {} = {} (no longer sent)",
                        location_word(oc.location),
                        oc.wire,
                        oc.value
                    ),
                    None,
                );
            }
        }
        for nc in &n.constants {
            let cloc = format!("{loc} / parameter {}", nc.wire);
            match find(&o.constants, nc).map(|i| &o.constants[i]) {
                None => self.push(
                    ChangeKind::Added,
                    false,
                    &cloc,
                    format!(
                        "constant {} parameter {} = {} (sent by the client itself)",
                        location_word(nc.location),
                        nc.wire,
                        nc.value
                    ),
                    None,
                ),
                Some(oc) if oc.value != nc.value => self.push(
                    ChangeKind::Changed,
                    false,
                    &cloc,
                    format!("{} {} -> {}", nc.wire, oc.value, nc.value),
                    None,
                ),
                Some(_) => {}
            }
        }
    }

    fn body(&mut self, loc: &str, func: &str, o: Option<&RequestBody>, n: Option<&RequestBody>) {
        let bloc = format!("{loc} / request body");
        match (o, n) {
            (None, None) => {}
            (Some(o), None) => self.push(
                ChangeKind::Removed,
                true,
                &bloc,
                format!(
                    "{} {} body (argument `{}`)",
                    required_word(o.required),
                    type_str(&o.ty),
                    o.name
                ),
                Some(func.to_owned()),
            ),
            (None, Some(n)) => self.push(
                ChangeKind::Added,
                n.required,
                &bloc,
                format!(
                    "{} body: new argument `{}: {}`",
                    required_word(n.required),
                    n.name,
                    body_rust(n)
                ),
                Some(func.to_owned()),
            ),
            (Some(o), Some(n)) => {
                if o.required != n.required {
                    let what = if n.required {
                        "became required"
                    } else {
                        "became optional"
                    };
                    self.push(
                        ChangeKind::Changed,
                        n.required,
                        &bloc,
                        format!(
                            "{what} (argument `{}`: {} -> {})",
                            n.name,
                            body_rust(o),
                            body_rust(n)
                        ),
                        Some(func.to_owned()),
                    );
                }
                if o.ty != n.ty {
                    self.push(
                        ChangeKind::Changed,
                        true,
                        &bloc,
                        format!("type {} -> {}", type_str(&o.ty), type_str(&n.ty)),
                        Some(func.to_owned()),
                    );
                }
                if o.content_type != n.content_type {
                    self.push(
                        ChangeKind::Changed,
                        true,
                        &bloc,
                        format!("content type {} -> {}", o.content_type, n.content_type),
                        None,
                    );
                }
            }
        }
    }

    fn responses(&mut self, loc: &str, func: &str, o: &Operation, n: &Operation) {
        let sloc = format!("{loc} / success response");
        if o.success.statuses != n.success.statuses {
            self.push(
                ChangeKind::Changed,
                true,
                &sloc,
                format!(
                    "statuses {} -> {}",
                    statuses(&o.success.statuses),
                    statuses(&n.success.statuses)
                ),
                None,
            );
        }
        if o.success.ty != n.success.ty || o.success.by_status != n.success.by_status {
            self.push(
                ChangeKind::Changed,
                true,
                &sloc,
                format!(
                    "type {} -> {}",
                    success_str(&o.success),
                    success_str(&n.success)
                ),
                Some(func.to_owned()),
            );
        }
        let fields = |s: &Success| -> Vec<(String, String)> {
            s.headers
                .iter()
                .flat_map(|h| &h.fields)
                .map(|f| (f.wire.clone(), type_str(&f.ty)))
                .collect()
        };
        let (old_headers, new_headers) = (fields(&o.success), fields(&n.success));
        if old_headers != new_headers {
            // Headers appearing or disappearing change the return type; a header removed or
            // retyped changes a field; a header added only adds one.
            let breaking = old_headers.is_empty() != new_headers.is_empty()
                || old_headers.iter().any(|h| !new_headers.contains(h));
            let list = |h: &[(String, String)]| -> String {
                if h.is_empty() {
                    return "none".to_owned();
                }
                let items: Vec<String> = h.iter().map(|(w, t)| format!("{w}: {t}")).collect();
                items.join(", ")
            };
            self.push(
                ChangeKind::Changed,
                breaking,
                &sloc,
                format!("headers {} -> {}", list(&old_headers), list(&new_headers)),
                Some(func.to_owned()),
            );
        }
        if o.error != n.error {
            self.push(
                ChangeKind::Changed,
                true,
                &format!("{loc} / error response"),
                format!("type {} -> {}", type_str(&o.error), type_str(&n.error)),
                Some(func.to_owned()),
            );
        }
    }

    /// Constraint changes at `loc`. `role` is `None` for parameters (always checked) and the
    /// type's use for body properties: constraints are only checked on values the client sends.
    fn constraints(&mut self, loc: &str, o: &Constraints, n: &Constraints, role: Option<&str>) {
        const TIGHTENED: &str = "tightened";
        const WIDENED: &str = "widened";
        // (tightened, what, effect)
        let mut found: Vec<(bool, String, &str)> = Vec::new();
        let mut bound = |name: &str, old: Option<f64>, new: Option<f64>, upper: bool| {
            let (tightened, what) = match (old, new) {
                (None, Some(b)) => (true, format!("{name} {b} added")),
                (Some(a), None) => (false, format!("{name} {a} removed")),
                (Some(a), Some(b)) if a != b => ((b < a) == upper, format!("{name} {a} -> {b}")),
                _ => return,
            };
            found.push((tightened, what, if tightened { TIGHTENED } else { WIDENED }));
        };
        let len = |v: Option<usize>| v.map(|v| v as f64);
        bound("minLength", len(o.min_length), len(n.min_length), false);
        bound("maxLength", len(o.max_length), len(n.max_length), true);
        bound("minimum", o.minimum, n.minimum, false);
        bound("maximum", o.maximum, n.maximum, true);
        match (&o.pattern, &n.pattern) {
            (None, Some(b)) => {
                found.push((true, format!("pattern `{}` added", b.source), TIGHTENED))
            }
            (Some(a), None) => {
                found.push((false, format!("pattern `{}` removed", a.source), WIDENED))
            }
            // No attempt to compare languages: a different pattern may refuse what passed.
            (Some(a), Some(b)) if a.source != b.source => found.push((
                true,
                format!("pattern `{}` -> `{}`", a.source, b.source),
                "changed: it may refuse values the old one accepted",
            )),
            _ => {}
        }
        if o.uuid != n.uuid {
            let (what, effect) = if n.uuid {
                ("added", TIGHTENED)
            } else {
                ("removed", WIDENED)
            };
            found.push((n.uuid, format!("format uuid {what}"), effect));
        }
        for (tightened, what, effect) in found {
            let (breaking, description) = match role {
                Some(role) if tightened => (false, format!("{what} ({effect}, but {role})")),
                _ => (tightened, format!("{what} ({effect})")),
            };
            self.push(ChangeKind::Changed, breaking, loc, description, None);
        }
    }

    fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        let old_types: BTreeMap<&str, &TypeDef> = old.types.iter().map(|t| (t.name(), t)).collect();
        let new_types: BTreeMap<&str, &TypeDef> = new.types.iter().map(|t| (t.name(), t)).collect();
        for (name, t) in &old_types {
            if !new_types.contains_key(name) {
                self.push(
                    ChangeKind::Removed,
                    true,
                    &format!("schema {name}"),
                    kind_word(t).to_owned(),
                    Some(item(old, kind_word(t), name)),
                );
            }
        }
        for (name, n) in &new_types {
            let loc = format!("schema {name}");
            match (old_types.get(name), n) {
                (None, _) => self.push(
                    ChangeKind::Added,
                    false,
                    &loc,
                    kind_word(n).to_owned(),
                    Some(item(new, kind_word(n), name)),
                ),
                (Some(TypeDef::Struct(o)), TypeDef::Struct(n)) => self.structure(&loc, o, n),
                (Some(TypeDef::Enum(o)), TypeDef::Enum(n)) => self.enumeration(&loc, o, n),
                (Some(TypeDef::Union(o)), TypeDef::Union(n)) => {
                    let shape = |u: &crate::model::UnionDef| -> Vec<String> {
                        u.variants
                            .iter()
                            .map(|v| format!("{}({})", v.name, type_str(&v.ty)))
                            .collect()
                    };
                    let (old_shape, new_shape) = (shape(o), shape(n));
                    if old_shape != new_shape {
                        // A member removed or changed breaks code matching on it.
                        let breaking = old_shape.iter().any(|v| !new_shape.contains(v));
                        self.push(
                            ChangeKind::Changed,
                            breaking,
                            &loc,
                            format!(
                                "members [{}] -> [{}]",
                                old_shape.join(", "),
                                new_shape.join(", ")
                            ),
                            Some(item(new, "enum", name)),
                        );
                    }
                }
                (Some(o), n) => self.push(
                    ChangeKind::Changed,
                    true,
                    &loc,
                    format!("{} -> {}", kind_word(o), kind_word(n)),
                    Some(item(new, kind_word(n), name)),
                ),
            }
        }
    }

    fn structure(&mut self, loc: &str, o: &StructDef, n: &StructDef) {
        let sent = self.usage.sent(&n.name);
        let received = self.usage.received(&n.name);
        let role = self.usage.role(&n.name);
        let field_item = |api: &Api, f: &Field| {
            format!(
                "{} (field {})",
                item(api, "struct", &n.name),
                unraw(&f.name)
            )
        };
        let find = |fs: &'_ [Field], f: &Field| fs.iter().position(|g| g.wire == f.wire);
        for of in &o.fields {
            if find(&n.fields, of).is_none() {
                self.push(
                    ChangeKind::Removed,
                    true,
                    &format!("{loc} / property {}", of.wire),
                    format!(
                        "{} property (field `{}: {}`)",
                        required_word(of.required),
                        of.name,
                        field_rust(of)
                    ),
                    Some(field_item(self.old, of)),
                );
            }
        }
        for nf in &n.fields {
            let floc = format!("{loc} / property {}", nf.wire);
            let Some(i) = find(&o.fields, nf) else {
                let description = if nf.required {
                    format!(
                        "required property: new field `{}: {}` ({role})",
                        nf.name,
                        field_rust(nf)
                    )
                } else {
                    format!(
                        "optional property: new field `{}: {}`",
                        nf.name,
                        field_rust(nf)
                    )
                };
                self.push(
                    ChangeKind::Added,
                    nf.required && sent,
                    &floc,
                    description,
                    Some(field_item(self.new, nf)),
                );
                continue;
            };
            let of = &o.fields[i];
            // The field's Rust type changes when it turns into (or out of) an `Option`.
            let shape = (field_rust(of) != field_rust(nf)).then(|| field_item(self.new, nf));
            if of.required != nf.required {
                let (what, breaking, why) = if nf.required {
                    (
                        "became required",
                        sent,
                        if sent {
                            "the type is sent in requests"
                        } else {
                            role
                        },
                    )
                } else {
                    (
                        "became optional",
                        received,
                        if received {
                            "the type is received in responses"
                        } else {
                            role
                        },
                    )
                };
                self.push(
                    ChangeKind::Changed,
                    breaking,
                    &floc,
                    format!(
                        "{what} (field `{}`: {} -> {}; {why})",
                        nf.name,
                        field_rust(of),
                        field_rust(nf)
                    ),
                    shape.clone(),
                );
            }
            if of.nullable != nf.nullable {
                // A required field may now be `null` in responses, or must no longer be `null`
                // in requests.
                let (what, breaking, why) = if nf.nullable {
                    ("became nullable", nf.required && received, "received")
                } else {
                    ("no longer nullable", nf.required && sent, "sent")
                };
                let why = if breaking {
                    format!("; the type is {why}")
                } else {
                    String::new()
                };
                self.push(
                    ChangeKind::Changed,
                    breaking,
                    &floc,
                    format!(
                        "{what} (field `{}`: {} -> {}{why})",
                        nf.name,
                        field_rust(of),
                        field_rust(nf)
                    ),
                    shape.clone(),
                );
            }
            if of.ty != nf.ty {
                self.push(
                    ChangeKind::Changed,
                    true,
                    &floc,
                    format!("type {} -> {}", type_str(&of.ty), type_str(&nf.ty)),
                    Some(field_item(self.new, nf)),
                );
            }
            let unchecked = (!sent).then_some(role);
            self.constraints(&floc, &of.constraints, &nf.constraints, unchecked);
        }
        let aloc = format!("{loc} / additionalProperties");
        let extra = || {
            format!(
                "{} (additional properties)",
                item(self.new, "struct", &n.name)
            )
        };
        match (&o.additional, &n.additional) {
            (None, Some(t)) => self.push(
                ChangeKind::Added,
                false,
                &aloc,
                format!("values of type {}", type_str(t)),
                Some(extra()),
            ),
            (Some(t), None) => self.push(
                ChangeKind::Removed,
                true,
                &aloc,
                format!("values of type {}", type_str(t)),
                Some(extra()),
            ),
            (Some(a), Some(b)) if a != b => self.push(
                ChangeKind::Changed,
                true,
                &aloc,
                format!("type {} -> {}", type_str(a), type_str(b)),
                Some(extra()),
            ),
            _ => {}
        }
    }

    fn enumeration(&mut self, loc: &str, o: &EnumDef, n: &EnumDef) {
        let variant_item =
            |api: &Api, name: &str| format!("{} (variant {name})", item(api, "enum", &n.name));
        for ov in &o.variants {
            if !n.variants.iter().any(|v| v.wire == ov.wire) {
                self.push(
                    ChangeKind::Removed,
                    true,
                    &format!("{loc} / value {}", ov.wire),
                    format!("variant `{}` (narrowed)", ov.name),
                    Some(variant_item(self.old, &ov.name)),
                );
            }
        }
        for nv in &n.variants {
            let vloc = format!("{loc} / value {}", nv.wire);
            match o.variants.iter().find(|v| v.wire == nv.wire) {
                None => self.push(
                    ChangeKind::Added,
                    false,
                    &vloc,
                    format!(
                        "variant `{}` (widened; old clients decode the value as `{}`)",
                        nv.name, o.fallback
                    ),
                    Some(variant_item(self.new, &nv.name)),
                ),
                Some(ov) if ov.name != nv.name => self.push(
                    ChangeKind::Changed,
                    true,
                    &vloc,
                    format!("variant `{}` -> `{}`", ov.name, nv.name),
                    Some(variant_item(self.new, &nv.name)),
                ),
                Some(_) => {}
            }
        }
        if o.fallback != n.fallback {
            self.push(
                ChangeKind::Changed,
                true,
                loc,
                format!(
                    "the variant for unknown values `{}` -> `{}`",
                    o.fallback, n.fallback
                ),
                Some(variant_item(self.new, &n.fallback)),
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

/// The path with its placeholders' names left out: what the wire sees.
fn path_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

fn statuses(list: &[u16]) -> String {
    if list.is_empty() {
        return "default".to_owned();
    }
    list.iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value's Rust type, as the generated crate spells it.
fn type_str(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Secret => "SecretString".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::Date => "chrono::NaiveDate".to_owned(),
        TypeRef::DateTime => "chrono::DateTime<chrono::Utc>".to_owned(),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Array(inner) => format!("Vec<{}>", type_str(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_str(inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_str(inner)),
    }
}

fn success_str(success: &Success) -> String {
    match &success.by_status {
        Some(e) => {
            let variants: Vec<String> = e
                .variants
                .iter()
                .map(|v| match &v.ty {
                    Some(ty) => format!("{}({})", v.name, type_str(ty)),
                    None => v.name.clone(),
                })
                .collect();
            format!("{} {{ {} }}", e.name, variants.join(", "))
        }
        None => success
            .ty
            .as_ref()
            .map_or_else(|| "()".to_owned(), type_str),
    }
}

fn param_type_str(ty: &ParamType) -> String {
    match ty {
        ParamType::Str => "&str".to_owned(),
        ParamType::Enum(name) => name.clone(),
        ParamType::I32 => "i32".to_owned(),
        ParamType::I64 => "i64".to_owned(),
        ParamType::Date => "chrono::NaiveDate".to_owned(),
        ParamType::DateTime => "chrono::DateTime<chrono::Utc>".to_owned(),
        ParamType::F64 => "f64".to_owned(),
        ParamType::Bool => "bool".to_owned(),
        ParamType::List { item, .. } => format!("&[{}]", param_type_str(item)),
        ParamType::Structured { ty, .. } => match ty {
            TypeRef::Array(inner) => format!("&[{}]", type_str(inner)),
            other => format!("&{}", type_str(other)),
        },
    }
}

/// A parameter's argument type.
fn param_rust(p: &Param) -> String {
    let ty = param_type_str(&p.ty);
    if p.required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// A body's argument type (borrowed).
fn body_rust(b: &RequestBody) -> String {
    let ty = match &b.ty {
        TypeRef::String => "&str".to_owned(),
        TypeRef::Array(inner) => format!("&[{}]", type_str(inner)),
        other => format!("&{}", type_str(other)),
    };
    if b.required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// A struct field's Rust type.
fn field_rust(f: &Field) -> String {
    let ty = type_str(&f.ty);
    if !f.required || f.nullable {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec's model, named `keys` whatever its file.
    fn model(name: &str, text: &str) -> Api {
        let mut spec = crate::Spec::new(name, text.to_owned());
        spec.module = "keys".to_owned();
        match crate::model_of(&spec) {
            Ok((api, _)) => api,
            Err(e) => panic!("{name}: {e}"),
        }
    }

    fn spec(paths: &str, schemas: &str) -> String {
        format!(
            "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
{paths}components:
  schemas:
{schemas}"
        )
    }

    /// `POST /keys` sending `body` (a schema name) and receiving `reply`.
    fn post(body: &str, reply: &str) -> String {
        format!(
            "  /keys:
    post:
      operationId: Keys_Create
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/{body}'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/{reply}'}}
"
        )
    }

    /// `Request` (sent) holds `Item`s; `Reply` is only received.
    const SCHEMAS: &str = "    Request:
      type: object
      properties:
        items: {type: array, items: {$ref: '#/components/schemas/Item'}}
    Item:
      type: object
      properties:
        name: {type: string, maxLength: 10}
    Reply:
      type: object
      required: [id]
      properties:
        id: {type: string, maxLength: 10}
";

    /// No types: for operations that need none.
    const NO_SCHEMAS: &str = "    Unused: {type: object}\n";

    fn run(old: &str, new: &str) -> Report {
        diff(&model("old.yaml", old), &model("new.yaml", new))
    }

    fn only(report: &Report) -> &Change {
        assert_eq!(report.changes.len(), 1, "{}", report.to_text());
        &report.changes[0]
    }

    #[test]
    fn a_spec_against_itself_has_no_changes() {
        let text = spec(&post("Request", "Reply"), SCHEMAS);
        let report = run(&text, &text);
        assert!(report.changes.is_empty(), "{}", report.to_text());
        assert!(!report.breaking());
        assert!(report.to_text().contains("0 changes, 0 breaking"));
    }

    #[test]
    fn the_real_specs_against_themselves_have_no_changes() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let config = crate::config::Config::read_in(&root, "specs/codegen.toml").unwrap();
        let specs = config.specs().unwrap();
        assert!(!specs.is_empty());
        for spec in specs {
            let (api, _) = crate::model_of(&spec).unwrap_or_else(|e| panic!("{e}"));
            let report = diff(&api, &api);
            assert!(report.changes.is_empty(), "{}", report.to_text());
        }
    }

    #[test]
    fn a_required_property_nested_in_a_request_is_breaking() {
        let old = spec(&post("Request", "Reply"), SCHEMAS);
        let new = spec(
            &post("Request", "Reply"),
            &SCHEMAS
                .replace(
                    "    Item:\n      type: object\n",
                    "    Item:\n      type: object\n      required: [size]\n",
                )
                .replace(
                    "name: {type: string, maxLength: 10}\n",
                    "name: {type: string, maxLength: 10}\n        size: {type: integer}\n",
                ),
        );
        let report = run(&old, &new);
        let c = only(&report);
        assert_eq!(c.location, "schema Item / property size");
        assert_eq!(c.kind, ChangeKind::Added);
        assert!(c.breaking, "Item is sent inside Request.items");
        assert_eq!(
            c.rust_item.as_deref(),
            Some("struct keys::Item (field size)")
        );
    }

    #[test]
    fn constraints_of_received_types_are_not_breaking() {
        let old = spec(&post("Request", "Reply"), SCHEMAS);
        let new = spec(
            &post("Request", "Reply"),
            &SCHEMAS.replace(
                "id: {type: string, maxLength: 10}",
                "id: {type: string, maxLength: 5}",
            ),
        );
        let report = run(&old, &new);
        let c = only(&report);
        assert!(!c.breaking);
        assert_eq!(
            c.description,
            "maxLength 10 -> 5 (tightened, but the type is only received)"
        );
        // The same tightening on a sent type is breaking.
        let new = spec(
            &post("Request", "Reply"),
            &SCHEMAS.replace(
                "name: {type: string, maxLength: 10}",
                "name: {type: string, maxLength: 5}",
            ),
        );
        let report = run(&old, &new);
        assert!(only(&report).breaking);
    }

    #[test]
    fn a_response_property_that_became_optional_is_breaking() {
        let old = spec(&post("Request", "Reply"), SCHEMAS);
        let new = spec(
            &post("Request", "Reply"),
            &SCHEMAS.replace("      required: [id]\n", ""),
        );
        let report = run(&old, &new);
        let c = only(&report);
        assert!(c.breaking);
        assert_eq!(c.location, "schema Reply / property id");
        assert_eq!(
            c.description,
            "became optional (field `id`: String -> Option<String>; the type is received in responses)"
        );
        assert_eq!(
            c.rust_item.as_deref(),
            Some("struct keys::Reply (field id)")
        );
        // The reverse only matters in requests: Reply is never sent.
        let report = run(&new, &old);
        assert!(!only(&report).breaking, "{}", report.to_text());
    }

    #[test]
    fn bounds_tighten_and_widen_in_the_right_direction() {
        let param = |schema: &str| {
            spec(
                &format!(
                    "  /keys:
    get:
      operationId: Keys_List
      parameters:
        - {{name: top, in: query, schema: {{type: {schema}}}}}
      responses: {{'200': {{description: ok}}}}
"
                ),
                NO_SCHEMAS,
            )
        };
        let cases = [
            (
                "integer",
                "integer, minimum: 1",
                "minimum 1 added (tightened)",
                true,
            ),
            (
                "integer, minimum: 1",
                "integer, minimum: 2",
                "minimum 1 -> 2 (tightened)",
                true,
            ),
            (
                "integer, minimum: 2",
                "integer, minimum: 1",
                "minimum 2 -> 1 (widened)",
                false,
            ),
            (
                "integer, minimum: 1",
                "integer",
                "minimum 1 removed (widened)",
                false,
            ),
            (
                "integer, maximum: 9",
                "integer, maximum: 5",
                "maximum 9 -> 5 (tightened)",
                true,
            ),
            (
                "integer, maximum: 5",
                "integer, maximum: 9",
                "maximum 5 -> 9 (widened)",
                false,
            ),
            (
                "integer",
                "integer, maximum: 5",
                "maximum 5 added (tightened)",
                true,
            ),
            (
                "number, maximum: 1.5",
                "number, maximum: 2.5",
                "maximum 1.5 -> 2.5 (widened)",
                false,
            ),
            (
                "string",
                "string, minLength: 2",
                "minLength 2 added (tightened)",
                true,
            ),
            (
                "string, minLength: 3",
                "string, minLength: 2",
                "minLength 3 -> 2 (widened)",
                false,
            ),
            (
                "string, minLength: 2",
                "string, minLength: 3",
                "minLength 2 -> 3 (tightened)",
                true,
            ),
            (
                "string, maxLength: 9",
                "string",
                "maxLength 9 removed (widened)",
                false,
            ),
            (
                "string",
                "string, maxLength: 9",
                "maxLength 9 added (tightened)",
                true,
            ),
            (
                "string",
                "string, format: uuid",
                "format uuid added (tightened)",
                true,
            ),
            (
                "string, format: uuid",
                "string",
                "format uuid removed (widened)",
                false,
            ),
            (
                "string, pattern: '^a$'",
                "string",
                "pattern `^a$` removed (widened)",
                false,
            ),
            (
                "string",
                "string, pattern: '^a$'",
                "pattern `^a$` added (tightened)",
                true,
            ),
        ];
        for (old, new, description, breaking) in cases {
            let report = run(&param(old), &param(new));
            let c = only(&report);
            assert_eq!(c.location, "operation Keys_List / parameter top");
            assert_eq!(c.description, description);
            assert_eq!(c.breaking, breaking, "{description}");
            assert_eq!(c.rust_item, None, "constraints leave the signature alone");
        }
    }

    #[test]
    fn bodies_and_error_types() {
        let get = |extra: &str| {
            spec(
                &format!(
                    "  /keys:
    put:
      operationId: Keys_Put
{extra}      responses:
        '200': {{description: ok}}
        default:
          description: error
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Reply'}}
"
                ),
                SCHEMAS,
            )
        };
        let body = |required: bool| {
            format!(
                "      requestBody:
        required: {required}
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Item'}}
"
            )
        };
        let report = run(&get(""), &get(&body(true)));
        let c = only(&report);
        assert_eq!(c.location, "operation Keys_Put / request body");
        assert_eq!(c.description, "required body: new argument `body: &Item`");
        assert!(c.breaking);
        assert_eq!(c.rust_item.as_deref(), Some("fn keys::keys_put"));

        let report = run(&get(""), &get(&body(false)));
        assert!(!only(&report).breaking);

        let report = run(&get(&body(true)), &get(&body(false)));
        let c = only(&report);
        assert!(!c.breaking);
        assert_eq!(
            c.description,
            "became optional (argument `body`: &Item -> Option<&Item>)"
        );

        let report = run(&get(&body(false)), &get(""));
        assert!(only(&report).breaking);

        let old = get("");
        let new = old.replace(
            "schema: {$ref: '#/components/schemas/Reply'}",
            "schema: {$ref: '#/components/schemas/Item'}",
        );
        let report = run(&old, &new);
        let c = only(&report);
        assert_eq!(c.location, "operation Keys_Put / error response");
        assert_eq!(c.description, "type Reply -> Item");
        assert!(c.breaking);
    }

    #[test]
    fn parameters_that_change_requirement_type_or_order() {
        let op = |params: &str| {
            spec(
                &format!(
                    "  /keys:
    get:
      operationId: Keys_List
      parameters:
{params}      responses: {{'200': {{description: ok}}}}
"
                ),
                NO_SCHEMAS,
            )
        };
        let a = "        - {name: a, in: query, schema: {type: string}}\n";
        let a_required = "        - {name: a, in: query, required: true, schema: {type: string}}\n";
        let a_int = "        - {name: a, in: query, schema: {type: integer}}\n";
        let b = "        - {name: b, in: query, schema: {type: string}}\n";

        let report = run(&op(a), &op(a_required));
        let c = only(&report);
        assert!(c.breaking);
        assert_eq!(
            c.description,
            "became required (argument `a`: Option<&str> -> &str)"
        );
        assert!(!only(&run(&op(a_required), &op(a))).breaking);

        let report = run(&op(a), &op(a_int));
        let c = only(&report);
        assert!(c.breaking);
        assert_eq!(c.description, "type &str -> i64");

        let report = run(&op(&format!("{a}{b}")), &op(&format!("{b}{a}")));
        let c = only(&report);
        assert!(!c.breaking);
        assert_eq!(c.location, "operation Keys_List");
        assert!(c.description.starts_with("argument order (a, b) -> (b, a)"));
        assert_eq!(c.rust_item.as_deref(), Some("fn keys::keys_list"));
    }

    #[test]
    fn renamed_path_placeholders_are_no_path_change() {
        let op = |name: &str| {
            spec(
                &format!(
                    "  /keys/{{{name}}}:
    get:
      operationId: Keys_Get
      parameters:
        - {{name: {name}, in: path, required: true, schema: {{type: string}}}}
      responses: {{'200': {{description: ok}}}}
"
                ),
                NO_SCHEMAS,
            )
        };
        let report = run(&op("id"), &op("keyId"));
        let locations: Vec<&str> = report.changes.iter().map(|c| c.location.as_str()).collect();
        assert_eq!(
            locations,
            [
                "operation Keys_Get / parameter id",
                "operation Keys_Get / parameter keyId"
            ]
        );
        let moved = run(&op("id"), &op("id").replace("/keys/{id}", "/Keys/{id}"));
        let c = only(&moved);
        assert!(c.breaking);
        assert_eq!(
            c.description,
            "request GET /keys/{id} -> GET /Keys/{id} (letter case only)"
        );
    }

    #[test]
    fn json_lists_changes_and_rust_items() {
        let old = spec(&post("Request", "Reply"), SCHEMAS);
        let new = spec(
            &post("Request", "Reply"),
            &SCHEMAS.replace(
                "        id: {type: string, maxLength: 10}\n",
                "        id: {type: string, maxLength: 10}\n        note: {type: string}\n",
            ),
        );
        let report = run(&old, &new);
        let json = report.to_json();
        assert_eq!(
            json,
            serde_json::json!({
                "old": "old.yaml",
                "new": "new.yaml",
                "breaking": false,
                "changes": [{
                    "kind": "added",
                    "breaking": false,
                    "location": "schema Reply / property note",
                    "description": "optional property: new field `note: Option<String>`",
                    "rust_item": "struct keys::Reply (field note)",
                }],
                "rust_items": ["struct keys::Reply (field note)"],
            })
        );
    }

    #[test]
    fn the_report_is_deterministic_and_sorted() {
        let old = spec(&post("Request", "Reply"), SCHEMAS);
        let new = spec(
            &post("Request", "Reply").replace("Keys_Create", "Keys_Make"),
            &SCHEMAS.replace(
                "    Reply:",
                "    Zebra: {type: string, enum: [a]}\n    Reply:",
            ),
        );
        let first = run(&old, &new);
        let second = run(&old, &new);
        assert_eq!(first, second);
        let locations: Vec<&str> = first.changes.iter().map(|c| c.location.as_str()).collect();
        assert_eq!(
            locations,
            [
                "operation Keys_Create",
                "operation Keys_Make",
                "schema Zebra"
            ]
        );
        assert!(first.breaking());
    }
}
