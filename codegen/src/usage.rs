//! Which types the operations reach, and how: what the emitters derive (`Serialize` only for
//! what a request sends, `Deserialize` only for what a response carries) and which cargo
//! features compile a type. A pass over the checked model; it changes nothing in it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::model::{Operation, ParamType, TypeDef, TypeRef};

/// Pushes the named types `ty` mentions directly (through arrays and maps).
pub fn named_in(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            named_in(inner, out)
        }
        _ => {}
    }
}

/// The types an operation's parameters name (string enums, structured query values).
fn param_roots(op: &Operation, out: &mut Vec<String>) {
    for p in &op.params {
        if let ParamType::Structured { ty, .. } = &p.ty {
            named_in(ty, out);
            continue;
        }
        let mut ty = &p.ty;
        if let ParamType::List { item, .. } = ty {
            ty = item;
        }
        if let ParamType::Enum(n) = ty {
            out.push(n.clone());
        }
    }
}

/// The types a request of `op` sends: its parameters' enums and its body.
fn sent_roots(op: &Operation, out: &mut Vec<String>) {
    param_roots(op, out);
    if let Some(b) = &op.body {
        named_in(&b.ty, out);
    }
}

/// The types a response of `op` carries: the success and the error bodies.
fn received_roots(op: &Operation, out: &mut Vec<String>) {
    for t in op.success.types() {
        named_in(t, out);
    }
    named_in(&op.error, out);
}

/// Every type an operation mentions directly.
pub fn roots(op: &Operation, out: &mut Vec<String>) {
    sent_roots(op, out);
    received_roots(op, out);
}

/// The names reachable from `roots` through struct fields, additional properties and union
/// variants (the roots included).
pub fn reachable(types: &[TypeDef], roots: Vec<String>) -> HashSet<String> {
    let by_name: HashMap<&str, &TypeDef> = types.iter().map(|t| (t.name(), t)).collect();
    let mut stack = roots;
    let mut seen: HashSet<String> = HashSet::new();
    while let Some(name) = stack.pop() {
        if seen.contains(&name) {
            continue;
        }
        match by_name.get(name.as_str()) {
            Some(TypeDef::Struct(s)) => {
                for f in &s.fields {
                    named_in(&f.ty, &mut stack);
                }
                if let Some(a) = &s.additional {
                    named_in(&a.ty, &mut stack);
                }
            }
            Some(TypeDef::Union(u)) => {
                for v in &u.variants {
                    named_in(&v.ty, &mut stack);
                }
            }
            Some(TypeDef::Enum(_)) | None => {}
        }
        seen.insert(name);
    }
    seen
}

/// How the operations of one module use its types.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// Types some request sends: they derive `Serialize`.
    pub sent: HashSet<String>,
    /// Types some response carries, or no operation reaches: they derive `Deserialize`.
    pub received: HashSet<String>,
    /// Types some response carries (`received` without the models no operation reaches).
    pub responses: HashSet<String>,
}

impl Usage {
    /// Which of `types` the `operations` send and receive (following fields, items and unions).
    pub fn of(types: &[TypeDef], operations: &[Operation]) -> Self {
        let mut sent = Vec::new();
        let mut received = Vec::new();
        for op in operations {
            sent_roots(op, &mut sent);
            received_roots(op, &mut received);
        }
        let sent = reachable(types, sent);
        let responses = reachable(types, received);
        let mut received = responses.clone();
        // A model no operation reaches (a component the spec defines for its readers, such as
        // a webhook payload) is one to decode, and so is everything in it.
        let unused: Vec<String> = types
            .iter()
            .map(|t| t.name())
            .filter(|n| !sent.contains(*n) && !received.contains(*n))
            .map(str::to_owned)
            .collect();
        received.extend(reachable(types, unused));
        Self {
            sent,
            received,
            responses,
        }
    }

    /// The usage of several models together (every version of a service; both sides of a
    /// diff): a type counts as sent (or received) when one of them uses it so.
    pub fn of_all(apis: &[&crate::model::Api]) -> Self {
        let mut usage = Self::default();
        for api in apis {
            let one = Self::of(&api.types, &api.operations);
            usage.sent.extend(one.sent);
            usage.received.extend(one.received);
            usage.responses.extend(one.responses);
        }
        usage
    }
}

/// Which cargo features compile each type when the operations are split by tag: the features
/// of the operations that reach it. A type missing from the map is always compiled (an
/// operation without a feature reaches it, or every feature does).
pub fn feature_gates(
    types: &[TypeDef],
    operations: &[Operation],
    feature_of: impl Fn(&Operation) -> Option<BTreeSet<String>>,
    extra_models: Option<&str>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut all_features: BTreeSet<String> = BTreeSet::new();
    let mut ungated: Vec<String> = Vec::new();
    let mut by_feature: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in operations {
        let mut mentioned = Vec::new();
        roots(op, &mut mentioned);
        match feature_of(op) {
            None => ungated.extend(mentioned),
            Some(features) => {
                for feature in features {
                    by_feature
                        .entry(feature.clone())
                        .or_default()
                        .extend(mentioned.iter().cloned());
                    all_features.insert(feature);
                }
            }
        }
    }
    // Models no operation reaches are compiled under `extra_models`, or always, and so is
    // everything in them.
    let mut all_roots = ungated.clone();
    all_roots.extend(by_feature.values().flatten().cloned());
    let reached = reachable(types, all_roots);
    let unused = types
        .iter()
        .map(|t| t.name())
        .filter(|n| !reached.contains(*n))
        .map(str::to_owned);
    match extra_models {
        Some(feature) => {
            let roots: Vec<String> = unused.collect();
            if !roots.is_empty() {
                all_features.insert(feature.to_owned());
                by_feature.insert(feature.to_owned(), roots);
            }
        }
        None => ungated.extend(unused),
    }
    let always = reachable(types, ungated);
    let mut gates: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (feature, roots) in by_feature {
        for name in reachable(types, roots) {
            if !always.contains(&name) {
                gates.entry(name).or_default().insert(feature.clone());
            }
        }
    }
    gates.retain(|_, features| *features != all_features);
    gates
}
