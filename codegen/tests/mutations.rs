//! Robustness: thousands of mutated specs (seeded, deterministic) go through the generator. It
//! must never panic; whatever it returns must be errors with a location, or Rust that parses.
//! `cargo xtask fuzz` would run the same idea unbounded; this is the bounded slice every test
//! run includes.

use std::panic;
use std::path::Path;

use codegen::{CrateOptions, Spec};
use serde_json::Value;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every JSON pointer in the document.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
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

const NASTY: &[&str] = &[
    "",
    "*/",
    "\"#[cfg(x)]",
    "r#type",
    "self",
    "1st",
    "a\nb",
    "{id}",
    "../..",
    "^(?=",
    "[",
    "#/components/schemas/Nope",
    "#/components/schemas/",
    "Option",
    "\u{0}",
];

fn mutate(doc: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let target = all[rng.below(all.len())].clone();
    let replacement = match rng.below(9) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::from(rng.below(1000) as i64 - 500),
        3 => Value::from(NASTY[rng.below(NASTY.len())]),
        4 => Value::Object(Default::default()),
        5 => Value::Array(vec![]),
        6 => {
            // Another node of the document, moved here (types in odd places, self-references).
            let other = all[rng.below(all.len())].clone();
            doc.pointer(&other).cloned().unwrap_or(Value::Null)
        }
        7 => serde_json::json!({"$ref": NASTY[rng.below(NASTY.len())]}),
        _ => {
            // Delete the node from its parent.
            if let Some((parent, key)) = target.rsplit_once('/') {
                let key = key.replace("~1", "/").replace("~0", "~");
                match doc.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.remove(&key);
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

fn options() -> CrateOptions {
    CrateOptions::new("mutant").description("mutant")
}

#[test]
fn mutated_specs_never_panic_and_output_always_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let seeds = [
        "codegen/tests/seeds/event_grid.yaml",
        "codegen/tests/seeds/logic_apps.yaml",
        "codegen/tests/seeds/search.yaml",
        "codegen/tests/seeds/log_analytics/2025-07-01.yaml",
        "tests/fixtures/specs/odd_names.yaml",
    ];
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let (mut generated, mut refused) = (0, 0);
    for seed in seeds {
        let text = std::fs::read_to_string(root.join(seed)).unwrap();
        let original: Value = serde_yaml::from_str(&text).unwrap();
        for round in 0..200 {
            let mut doc = original.clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut doc, &mut rng);
            }
            // Half as YAML, half as JSON.
            let text = if round % 2 == 0 {
                serde_yaml::to_string(&doc).unwrap()
            } else {
                serde_json::to_string_pretty(&doc).unwrap()
            };
            let spec = Spec::new(format!("mutant/{round}.yaml"), text.clone());
            let result = panic::catch_unwind(|| codegen::generate(&[spec], &options()));
            match result {
                Err(_) => panic!("the generator panicked on a mutant of {seed}:\n{text}"),
                Ok(Ok(out)) => {
                    generated += 1;
                    for (path, code) in &out.files {
                        if path.extension().is_some_and(|e| e == "rs") {
                            syn::parse_file(code).unwrap_or_else(|e| {
                                panic!("{}: output does not parse ({e}) for a mutant of {seed}:\n{text}", path.display())
                            });
                        }
                    }
                }
                Ok(Err(errors)) => {
                    refused += 1;
                    for d in &errors.0 {
                        assert!(!d.message.is_empty());
                        assert!(
                            d.to_string().starts_with(&format!("mutant/{round}.yaml")),
                            "{d}"
                        );
                    }
                }
            }
        }
    }
    println!("{generated} mutants generated, {refused} refused with located errors");
    assert!(
        generated > 100 && refused > 100,
        "the mutations exercise both paths"
    );
}
