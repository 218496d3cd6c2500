//! The operations of two models compared: functions, parameters, constants, bodies, responses
//! and constraints.

use std::collections::BTreeMap;

use super::{
    body_rust, item, location_word, param_rust, param_type_str, required_word, type_str, Breaks,
    ChangeKind, Differ,
};
use crate::model::{
    ConstParam, Constraints, Encoding, Location, Operation, Param, RequestBody, Success, TypeRef,
};

impl Differ<'_> {
    pub(super) fn operations(&mut self) {
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
                    Breaks::both(true, true),
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
                    Breaks::NONE,
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
                Breaks::code(true),
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
                Breaks::wire(true),
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
            self.push(
                ChangeKind::Changed,
                Breaks::NONE,
                &loc,
                what.to_owned(),
                None,
            );
        }
        self.params(&loc, &func, o, n);
        self.constants(&loc, o, n);
        self.body(&loc, &func, o.body.as_ref(), n.body.as_ref());
        self.responses(&loc, &func, o, n);
    }

    fn params<'a>(&mut self, loc: &str, func: &str, o: &'a Operation, n: &'a Operation) {
        let find = |ps: &'_ [Param], p: &Param| -> Option<usize> {
            ps.iter()
                .position(|q| q.location == p.location && q.wire == p.wire)
        };
        for op in &o.params {
            if find(&n.params, op).is_none() {
                self.push(
                    ChangeKind::Removed,
                    Breaks::both(true, true),
                    &format!("{loc} / parameter {}", op.wire),
                    format!(
                        "{} {} parameter ({} `{}`)",
                        required_word(op.required),
                        location_word(op.location),
                        input_word(op.required),
                        op.name
                    ),
                    Some(func.to_owned()),
                );
            }
        }
        for np in &n.params {
            let ploc = format!("{loc} / parameter {}", np.wire);
            let Some(i) = find(&o.params, np) else {
                // Required inputs are positional: every existing call stops compiling. An
                // optional one is a new setter of the call: calls do not change.
                let what = if np.required {
                    format!("new argument `{}: {}`", np.name, param_rust(np))
                } else {
                    format!(
                        "new setter `.{}({})` (existing calls do not change)",
                        np.name,
                        setter_rust(&param_rust(np))
                    )
                };
                self.push(
                    ChangeKind::Added,
                    Breaks::both(np.required, np.required),
                    &ploc,
                    format!(
                        "{} {} parameter: {what}",
                        required_word(np.required),
                        location_word(np.location),
                    ),
                    Some(func.to_owned()),
                );
                continue;
            };
            let op = &o.params[i];
            if op.name != np.name {
                // A required input is positional (its name is not written by callers); an
                // optional one is a setter called by name.
                let both_optional = !op.required && !np.required;
                let what = if both_optional {
                    "setter `.{}` -> `.{}` (calls of the old setter stop compiling)"
                } else {
                    "argument `{}` -> `{}` (arguments are positional: calls do not change)"
                };
                self.push(
                    ChangeKind::Changed,
                    Breaks::code(both_optional),
                    &ploc,
                    what.replacen("{}", &op.name, 1).replacen("{}", &np.name, 1),
                    Some(func.to_owned()),
                );
            }
            if op.required != np.required {
                let what = if np.required {
                    "became required"
                } else {
                    "became optional"
                };
                // An argument becomes a setter, or a setter an argument: calls change.
                self.push(
                    ChangeKind::Changed,
                    Breaks::both(np.required, true),
                    &ploc,
                    format!(
                        "{what} ({} `{}`: {} -> {} `{}`)",
                        input_word(op.required),
                        np.name,
                        param_rust(op),
                        input_word(np.required),
                        param_rust(np)
                    ),
                    Some(func.to_owned()),
                );
            }
            if op.ty != np.ty {
                self.push(
                    ChangeKind::Changed,
                    Breaks::both(true, param_rust(op) != param_rust(np)),
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
        // Required inputs are positional: the ones both versions have must keep their order (a
        // renamed argument keeps its place). Optional ones are setters, in no order.
        let kept = |ps: &'a [Param], others: &[Param]| -> Vec<&'a Param> {
            ps.iter()
                .filter(|p| p.required && find(others, p).is_some_and(|i| others[i].required))
                .collect()
        };
        let (kept_old, kept_new) = (kept(&o.params, &n.params), kept(&n.params, &o.params));
        let key = |ps: &[&'a Param]| -> Vec<(Location, &'a str)> {
            ps.iter().map(|p| (p.location, p.wire.as_str())).collect()
        };
        let names = |ps: &[&Param]| -> String {
            let names: Vec<&str> = ps.iter().map(|p| p.name.as_str()).collect();
            names.join(", ")
        };
        if key(&kept_old) != key(&kept_new) {
            // Calls stop compiling, or, where the moved arguments share a type, compile and
            // send each value in the other's place.
            self.push(
                ChangeKind::Changed,
                Breaks::code(true),
                loc,
                format!(
                    "argument order ({}) -> ({}): existing calls stop compiling, or, where the \
                     moved arguments share a type, compile and send each value in the other's place",
                    names(&kept_old),
                    names(&kept_new)
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
                    Breaks::NONE,
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
                    Breaks::NONE,
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
                    Breaks::NONE,
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
                Breaks::both(true, true),
                &bloc,
                format!(
                    "{} {} body ({} `{}`)",
                    required_word(o.required),
                    type_str(&o.ty),
                    input_word(o.required),
                    o.name
                ),
                Some(func.to_owned()),
            ),
            (None, Some(n)) => self.push(
                ChangeKind::Added,
                Breaks::both(n.required, n.required),
                &bloc,
                if n.required {
                    format!("required body: new argument `{}: {}`", n.name, body_rust(n))
                } else {
                    format!(
                        "optional body: new setter `.{}({})` (existing calls do not change)",
                        n.name,
                        setter_rust(&body_rust(n))
                    )
                },
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
                        Breaks::both(n.required, true),
                        &bloc,
                        format!(
                            "{what} ({} `{}`: {} -> {} `{}`)",
                            input_word(o.required),
                            n.name,
                            body_rust(o),
                            input_word(n.required),
                            body_rust(n)
                        ),
                        Some(func.to_owned()),
                    );
                }
                if o.ty != n.ty {
                    self.push(
                        ChangeKind::Changed,
                        Breaks::both(true, body_rust(o) != body_rust(n)),
                        &bloc,
                        format!("type {} -> {}", type_str(&o.ty), type_str(&n.ty)),
                        Some(func.to_owned()),
                    );
                }
                if o.content_type != n.content_type {
                    self.push(
                        ChangeKind::Changed,
                        Breaks::wire(true),
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
                Breaks::wire(true),
                &sloc,
                format!(
                    "statuses {} -> {}",
                    statuses(&o.success.statuses),
                    statuses(&n.success.statuses)
                ),
                None,
            );
        }
        if success_shape(&o.success) != success_shape(&n.success) {
            self.push(
                ChangeKind::Changed,
                Breaks::both(true, true),
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
                Breaks::both(breaking, breaking),
                &sloc,
                format!("headers {} -> {}", list(&old_headers), list(&new_headers)),
                Some(func.to_owned()),
            );
        }
        self.events(&sloc, func, &o.success, &n.success);
        if o.error != n.error {
            self.push(
                ChangeKind::Changed,
                Breaks::both(true, true),
                &format!("{loc} / error response"),
                format!("type {} -> {}", type_str(&o.error), type_str(&n.error)),
                Some(func.to_owned()),
            );
        }
    }

    /// A `text/event-stream` success added, removed or retyped: the call's `.events()`.
    fn events(&mut self, loc: &str, func: &str, o: &Success, n: &Success) {
        let (kind, breaks, what) = match (&o.events, &n.events) {
            (None, None) => return,
            (Some(old), Some(new)) if old == new => return,
            // A new way to read the answer: clients and calls as they were keep working.
            (None, Some(new)) => (
                ChangeKind::Added,
                Breaks::NONE,
                format!(
                    "event stream of {}: new `.events()` (existing calls do not change)",
                    type_str(new)
                ),
            ),
            (Some(old), None) => (
                ChangeKind::Removed,
                Breaks::both(true, true),
                format!(
                    "event stream of {}: `.events()` removed (its calls stop compiling)",
                    type_str(old)
                ),
            ),
            (Some(old), Some(new)) => (
                ChangeKind::Changed,
                Breaks::both(true, true),
                format!(
                    "event stream of {} -> {}: `.events()` yields another type",
                    type_str(old),
                    type_str(new)
                ),
            ),
        };
        self.push(kind, breaks, loc, what, Some(func.to_owned()));
    }

    /// Constraint changes at `loc`. `role` is `None` for parameters (always checked) and the
    /// type's use for body properties: constraints are only checked on values the client sends.
    pub(super) fn constraints(
        &mut self,
        loc: &str,
        o: &Constraints,
        n: &Constraints,
        role: Option<&str>,
    ) {
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
            self.push(
                ChangeKind::Changed,
                Breaks::wire(breaking),
                loc,
                description,
                None,
            );
        }
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

/// The variants of a success by status, as a client sees them.
type VariantShape<'a> = (&'a str, Option<u16>, Option<&'a TypeRef>, Encoding);

/// What a client sees of a success: its type, or its enum by status (each variant's name,
/// status, body type and encoding). Descriptions are documentation, not shape.
fn success_shape(success: &Success) -> (Option<&TypeRef>, Option<(&str, Vec<VariantShape<'_>>)>) {
    let by_status = success.by_status().map(|e| {
        let variants = e
            .variants
            .iter()
            .map(|v| (v.name.as_str(), v.status, v.ty.as_ref(), v.encoding))
            .collect();
        (e.name.as_str(), variants)
    });
    (success.ty(), by_status)
}

fn success_str(success: &Success) -> String {
    match success.by_status() {
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
        None => success.ty().map_or_else(|| "()".to_owned(), type_str),
    }
}

/// How callers pass an input: required ones as arguments, optional ones with a setter.
fn input_word(required: bool) -> &'static str {
    if required {
        "argument"
    } else {
        "setter"
    }
}

/// A setter's argument: the optional input's type without its `Option`.
fn setter_rust(spelled: &str) -> &str {
    spelled
        .strip_prefix("Option<")
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(spelled)
}
