//! What the fuzz targets check, and the structured target's mutations.
//!
//! [`check`] is the property: the generator never panics on any text; when it succeeds, every
//! `.rs` file it returns parses with `syn`; when it fails, every diagnostic has a message.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use arbitrary::Arbitrary;
use codegen::{CrateOptions, Spec};
use serde_json::Value;

fn options() -> CrateOptions {
    CrateOptions::new("fuzzed").description("fuzzed")
}

/// Whether `code` parses with `syn`. Files seen before (the runtime, copied into every crate
/// verbatim: 70 kB) are not parsed again, which multiplies the executions on small inputs.
fn parses(code: &str) -> Result<(), syn::Error> {
    static PARSED: OnceLock<Mutex<HashSet<u64>>> = OnceLock::new();
    let mut hasher = DefaultHasher::new();
    code.hash(&mut hasher);
    let key = hasher.finish();
    let parsed = PARSED.get_or_init(Default::default);
    if parsed.lock().is_ok_and(|set| set.contains(&key)) {
        return Ok(());
    }
    syn::parse_file(code)?;
    if let Ok(mut set) = parsed.lock() {
        if set.len() < 10_000 {
            set.insert(key);
        }
    }
    Ok(())
}

/// Runs the generator on one spec text and asserts the property (a failed assertion is a crash).
pub fn check(text: &str) {
    let spec = Spec::new("fuzz/input.yaml", text.to_owned());
    match codegen::generate(&[spec], &options()) {
        Ok(out) => {
            for (path, code) in &out.files {
                if path.extension().is_some_and(|e| e == "rs") {
                    if let Err(e) = parses(code) {
                        panic!(
                            "{}: generated code does not parse: {e}\n{code}",
                            path.display()
                        );
                    }
                }
            }
        }
        Err(errors) => {
            assert!(!errors.0.is_empty(), "an error without a diagnostic");
            for d in &errors.0 {
                assert!(
                    !d.message.trim().is_empty(),
                    "a diagnostic without a message: {d:?}"
                );
            }
        }
    }
}

/// The specs the structured target mutates (the same seeds as `codegen/tests/mutations.rs`).
const SEEDS: &[&str] = &[
    include_str!("../../codegen/tests/seeds/event_grid.yaml"),
    include_str!("../../codegen/tests/seeds/logic_apps.yaml"),
    include_str!("../../codegen/tests/seeds/search.yaml"),
    include_str!("../../codegen/tests/seeds/log_analytics/2025-07-01.yaml"),
    include_str!("../../tests/fixtures/specs/odd_names.yaml"),
    include_str!("../../tests/fixtures/specs/tagged.yaml"),
];

fn seeds() -> &'static [Value] {
    static PARSED: OnceLock<Vec<Value>> = OnceLock::new();
    PARSED.get_or_init(|| {
        SEEDS
            .iter()
            .map(|s| serde_yaml::from_str(s).expect("a seed spec is YAML"))
            .collect()
    })
}

const NASTY: &[&str] = &[
    "",
    "*/",
    "\"#[cfg(x)]",
    "r#type",
    "self",
    "Self",
    "super",
    "1st",
    "a\nb",
    "{id}",
    "../..",
    "^(?=",
    "[",
    "#/components/schemas/Nope",
    "#/components/schemas/",
    "#/",
    "#",
    "Option",
    "\u{0}",
    "_",
    "é",
    "}",
    "\\",
    "string",
    "integer",
    "object",
    "array",
    "int64",
    "binary",
    "multipart/form-data",
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "deepObject",
    "form",
    "query",
    "path",
    "header",
    "cookie",
];

/// One edit of the seed's JSON tree, at the node numbered `at` (pre-order, modulo their count).
#[derive(Debug, Arbitrary)]
pub struct Mutation {
    at: u16,
    kind: Kind,
}

#[derive(Debug, Arbitrary)]
enum Kind {
    Null,
    Bool(bool),
    Int(i32),
    Float(f32),
    Nasty(u8),
    Text(String),
    EmptyObject,
    EmptyArray,
    /// Another node of the document moved here (types in odd places, self-references).
    Copy(u16),
    Ref(u8),
    /// Wrap the node in a one-element `allOf`/`oneOf`/`anyOf`.
    Wrap(u8),
    Delete,
}

/// A seed spec and the mutations to apply to it.
#[derive(Debug, Arbitrary)]
pub struct Mutant {
    seed: u8,
    mutations: Vec<Mutation>,
    json: bool,
}

impl Mutant {
    /// The mutated spec as YAML or JSON text.
    pub fn render(&self) -> String {
        let seeds = seeds();
        let mut doc = seeds[self.seed as usize % seeds.len()].clone();
        for m in self.mutations.iter().take(8) {
            apply(&mut doc, m);
        }
        if self.json {
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        } else {
            serde_yaml::to_string(&doc).unwrap_or_default()
        }
    }
}

/// Every JSON pointer in the document, in pre-order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn apply(doc: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let target = all[m.at as usize % all.len()].clone();
    let nasty = |i: u8| NASTY[i as usize % NASTY.len()];
    let replacement = match &m.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Int(i) => Value::from(*i),
        Kind::Float(f) => serde_json::Number::from_f64(f64::from(*f))
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Kind::Nasty(i) => Value::from(nasty(*i)),
        Kind::Text(s) => Value::from(s.as_str()),
        Kind::EmptyObject => Value::Object(Default::default()),
        Kind::EmptyArray => Value::Array(vec![]),
        Kind::Copy(from) => {
            let other = &all[*from as usize % all.len()];
            doc.pointer(other).cloned().unwrap_or(Value::Null)
        }
        Kind::Ref(i) => serde_json::json!({ "$ref": nasty(*i) }),
        Kind::Wrap(i) => {
            let key = ["allOf", "oneOf", "anyOf"][*i as usize % 3];
            let inner = doc.pointer(&target).cloned().unwrap_or(Value::Null);
            serde_json::json!({ key: [inner] })
        }
        Kind::Delete => {
            if let Some((parent, key)) = target.rsplit_once('/') {
                let key = key.replace("~1", "/").replace("~0", "~");
                match doc.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.shift_remove(&key);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(i) = key.parse::<usize>() {
                            if i < items.len() {
                                items.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
            return;
        }
    };
    if target.is_empty() {
        return;
    }
    if let Some(slot) = doc.pointer_mut(&target) {
        *slot = replacement;
    }
}
