//! Values that satisfy a schema of the spec (OpenAPI 3.0, as the loader gives every document):
//! its own `example` where it has one, else one made from its type and constraints (lengths,
//! bounds, `multipleOf`, formats, `enum`, and `pattern` through `rand_regex`).
//!
//! The driver's arguments are these values, deserialized into the generated types: nothing
//! here knows the Rust side.

use serde_json::{json, Map, Value};

/// How deep a value is built before optional properties are left out.
const OPTIONAL_DEPTH: usize = 3;
/// How deep a value is built at all (a required recursive property stops here). Beyond
/// [`OPTIONAL_DEPTH`] only required properties are built, so this costs little; Azure's
/// resources nest required properties deeper than 8 (servicefabricmesh's application: at 8, a
/// service's required `properties` could not be built and was left out).
const MAX_DEPTH: usize = 16;

/// Builds values for the schemas of one document.
pub struct Synth<'a> {
    doc: &'a Value,
    state: u64,
    /// Use the schemas' own `example`s (off when a value made with them fails its schema).
    pub examples: bool,
    /// The next object made gets its optional properties at any depth: a member of a `oneOf`
    /// with all of them is told from its siblings (an empty object matches every member whose
    /// properties are all optional, and a `oneOf` wants exactly one).
    whole: bool,
}

impl<'a> Synth<'a> {
    pub fn new(doc: &'a Value, seed: u64) -> Self {
        Synth {
            doc,
            state: seed.max(1),
            examples: true,
            whole: false,
        }
    }

    /// `node` with its local `$ref` chain followed (a missing target: the node itself).
    pub fn resolve(&self, node: &'a Value) -> &'a Value {
        let mut node = node;
        for _ in 0..32 {
            let Some(target) = node.get("$ref").and_then(Value::as_str) else {
                return node;
            };
            match target.strip_prefix('#').and_then(|p| self.doc.pointer(p)) {
                Some(next) => node = next,
                None => return node,
            }
        }
        node
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    /// A value of `schema`.
    pub fn value(&mut self, schema: &'a Value) -> Value {
        self.at(schema, 0).unwrap_or(Value::Null)
    }

    fn at(&mut self, schema: &'a Value, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let s = self.resolve(schema);
        if self.examples {
            if let Some(example) = s.get("example").filter(|e| !e.is_null()) {
                return Some(example.clone());
            }
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            if let Some(v) = values.iter().find(|v| !v.is_null()) {
                return Some(v.clone());
            }
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            return self.all_of(s, all, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = s.get(key).and_then(Value::as_array) {
                return self.one_of(s, members, depth);
            }
        }
        let ty = s.get("type").and_then(Value::as_str).unwrap_or_else(|| {
            if s.get("properties").is_some() || s.get("additionalProperties").is_some() {
                "object"
            } else if s.get("items").is_some() {
                "array"
            } else {
                ""
            }
        });
        Some(match ty {
            "string" => Value::String(self.string(s)),
            "integer" => integer(s),
            "number" => number(s),
            "boolean" => Value::Bool(true),
            "array" => self.array(s, depth)?,
            "object" => self.object(s, depth)?,
            // No type: anything goes; a string is the least surprising.
            _ => Value::String("value".to_owned()),
        })
    }

    /// `allOf`: the members' objects merged, the schema's own properties too.
    fn all_of(&mut self, s: &'a Value, all: &'a [Value], depth: usize) -> Option<Value> {
        let mut merged = Map::new();
        let mut other = None;
        // A member that only annotates (`{description: ...}` beside a `$ref`, as AWS writes
        // every property) constrains nothing: no value of its own.
        let members: Vec<&'a Value> = all
            .iter()
            .filter(|m| !annotation(self.resolve(m)))
            .collect();
        for member in members {
            match self.at(member, depth)? {
                Value::Object(o) => merged.extend(o),
                v => other = Some(v),
            }
        }
        if s.get("properties").is_some() {
            if let Some(Value::Object(o)) = self.object(s, depth) {
                merged.extend(o);
            }
        }
        match other {
            Some(v) if merged.is_empty() => Some(v),
            _ => Some(Value::Object(merged)),
        }
    }

    /// `oneOf`/`anyOf`: the first member that is not `null`, its discriminator property set to
    /// the value that names it.
    fn one_of(&mut self, s: &'a Value, members: &'a [Value], depth: usize) -> Option<Value> {
        let member = members
            .iter()
            .find(|m| self.resolve(m).get("type").and_then(Value::as_str) != Some("null"))?;
        self.whole = true;
        let value = self.at(member, depth);
        self.whole = false;
        let mut value = value?;
        let tag = s
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str);
        if let (Some(tag), Value::Object(o)) = (tag, &mut value) {
            let reference = member.get("$ref").and_then(Value::as_str).unwrap_or("");
            let mapped = s
                .pointer("/discriminator/mapping")
                .and_then(Value::as_object)
                .and_then(|m| {
                    m.iter()
                        .find(|(_, target)| target.as_str() == Some(reference))
                        .map(|(k, _)| k.clone())
                });
            let name = mapped.or_else(|| reference.rsplit('/').next().map(str::to_owned));
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                o.insert(tag.to_owned(), Value::String(name));
            }
        }
        Some(value)
    }

    fn array(&mut self, s: &'a Value, depth: usize) -> Option<Value> {
        let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = s
            .get("maxItems")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        let unique = s.get("uniqueItems").and_then(Value::as_bool) == Some(true);
        let want = min.max(1).min(max.unwrap_or(usize::MAX));
        let Some(items) = s.get("items") else {
            return Some(Value::Array(vec![Value::String("item".to_owned()); want]));
        };
        let mut out: Vec<Value> = Vec::new();
        let item = self.resolve(items);
        let choices = item.get("enum").and_then(Value::as_array);
        for i in 0..want {
            let v = match choices {
                Some(c) if unique => c.get(i).cloned()?,
                _ if unique && i > 0 => self.distinct(item, depth, &out)?,
                _ => self.at(items, depth + 1)?,
            };
            out.push(v);
        }
        // An item that cannot be built: an empty list when the schema allows one.
        Some(Value::Array(out))
    }

    /// A value of `item` unlike those in `taken` (for `uniqueItems`).
    fn distinct(&mut self, item: &'a Value, depth: usize, taken: &[Value]) -> Option<Value> {
        let saved = self.examples;
        self.examples = false;
        let mut found = None;
        for _ in 0..8 {
            let v = self.at(item, depth + 1)?;
            if !taken.contains(&v) {
                found = Some(v);
                break;
            }
        }
        self.examples = saved;
        found
    }

    fn object(&mut self, s: &'a Value, depth: usize) -> Option<Value> {
        let required: Vec<&str> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let whole = std::mem::take(&mut self.whole);
        let mut out = Map::new();
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let is_required = required.contains(&name.as_str());
                let p = self.resolve(prop);
                if p.get("readOnly").and_then(Value::as_bool) == Some(true) && !is_required {
                    continue;
                }
                if !is_required && depth >= OPTIONAL_DEPTH && !whole {
                    continue;
                }
                match self.at(prop, depth + 1) {
                    Some(v) => {
                        out.insert(name.clone(), v);
                    }
                    None if is_required => return None,
                    None => {}
                }
            }
        }
        let extra = s.get("additionalProperties").filter(|a| a.is_object());
        if let (Some(extra), true) = (extra, out.is_empty()) {
            if let Some(v) = self.at(extra, depth + 1) {
                out.insert("key".to_owned(), v);
            }
        }
        Some(Value::Object(out))
    }

    fn string(&mut self, s: &Value) -> String {
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = s
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
            if let Some(text) = self.matching(pattern, min, max) {
                return text;
            }
        }
        let format = s.get("format").and_then(Value::as_str).unwrap_or("");
        let text = match format {
            "date-time" => "2024-01-15T10:30:00Z",
            "date" => "2024-01-15",
            "time" => "10:30:00",
            "email" => "user@example.com",
            "uri" | "url" | "uri-reference" => "https://example.com/path",
            "hostname" => "example.com",
            "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "ipv4" => "192.0.2.1",
            "ipv6" => "2001:db8::1",
            "byte" => "aGVsbG8=",
            "int32" | "int64" => "1",
            _ => "text",
        };
        let mut text = text.to_owned();
        if !format.is_empty() && text.chars().count() >= min && max.is_none_or(|m| text.len() <= m)
        {
            return text;
        }
        if format.is_empty() || text.chars().count() < min || max.is_some_and(|m| text.len() > m) {
            text = "text".to_owned();
        }
        while text.chars().count() < min {
            text.push('x');
        }
        if let Some(max) = max {
            text = text.chars().take(max).collect();
        }
        text
    }

    /// A string matching `pattern` (ECMA-262 as specs write it, read by `regex-syntax`) of a
    /// length within bounds, when one is found in a few tries.
    fn matching(&mut self, pattern: &str, min: usize, max: Option<usize>) -> Option<String> {
        use rand::distr::Distribution as _;
        use rand::SeedableRng as _;
        // Bytes first (`\d`, `\w` as ASCII, as most specs mean them), then Unicode.
        let ascii = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(pattern)
            .ok();
        let hir = match ascii {
            Some(hir) => hir,
            None => regex_syntax::Parser::new().parse(pattern).ok()?,
        };
        let generator = rand_regex::Regex::with_hir(without_anchors(hir), 8).ok()?;
        let mut rng = rand::rngs::StdRng::seed_from_u64(self.next());
        for _ in 0..32 {
            // Read as bytes, `.` and negated classes may give bytes that are not UTF-8.
            let sampled: Result<String, std::string::FromUtf8Error> = generator.sample(&mut rng);
            let Ok(text) = sampled else { continue };
            let n = text.chars().count();
            if n >= min && max.is_none_or(|m| n <= m) {
                return Some(text);
            }
        }
        None
    }
}

/// A schema that constrains nothing: only annotations (`description`, `title`, examples,
/// extensions...), no type, bounds, members or `$ref`.
fn annotation(s: &Value) -> bool {
    const NOTES: [&str; 7] = [
        "description",
        "title",
        "example",
        "examples",
        "deprecated",
        "externalDocs",
        "xml",
    ];
    s.as_object().is_some_and(|o| {
        o.keys()
            .all(|k| NOTES.contains(&k.as_str()) || k.starts_with("x-"))
    })
}

/// `hir` with its anchors and word boundaries taken out (the generator has none): a string the
/// rest matches, as a whole, matches the pattern with them.
fn without_anchors(hir: regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Hir, HirKind};
    match hir.into_kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(without_anchors).collect()),
        HirKind::Alternation(parts) => {
            Hir::alternation(parts.into_iter().map(without_anchors).collect())
        }
        HirKind::Repetition(mut r) => {
            r.sub = Box::new(without_anchors(*r.sub));
            Hir::repetition(r)
        }
        HirKind::Capture(mut c) => {
            c.sub = Box::new(without_anchors(*c.sub));
            Hir::capture(c)
        }
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
    }
}

/// An integer within `minimum`/`maximum` (exclusive or not) and a multiple of `multipleOf`.
fn integer(s: &Value) -> Value {
    let exclusive = |k: &str| s.get(k).and_then(Value::as_bool) == Some(true);
    let min = s.get("minimum").and_then(Value::as_f64).map(|m| {
        let m = m.ceil() as i64;
        if exclusive("exclusiveMinimum") {
            m + 1
        } else {
            m
        }
    });
    let max = s.get("maximum").and_then(Value::as_f64).map(|m| {
        let m = m.floor() as i64;
        if exclusive("exclusiveMaximum") {
            m - 1
        } else {
            m
        }
    });
    let step = s
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m >= 1.0)
        .map_or(1, |m| m as i64);
    let mut n = min.unwrap_or(1).max(1).min(max.unwrap_or(i64::MAX));
    if n % step != 0 {
        n += step - n.rem_euclid(step);
    }
    json!(n)
}

/// A number within bounds: an integer one when the bounds allow (decodes as any number type).
fn number(s: &Value) -> Value {
    let min = s.get("minimum").and_then(Value::as_f64);
    let max = s.get("maximum").and_then(Value::as_f64);
    let exclusive = |k: &str| s.get(k).and_then(Value::as_bool) == Some(true);
    if let Some(step) = s
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m > 0.0)
    {
        let lo = min.unwrap_or(step);
        let mut k = (lo / step).ceil();
        if exclusive("exclusiveMinimum") && (k * step - lo).abs() < f64::EPSILON {
            k += 1.0;
        }
        return json!(k * step);
    }
    let mut n = 1.0f64;
    if let Some(lo) = min {
        n = n.max(if exclusive("exclusiveMinimum") {
            lo + 0.5
        } else {
            lo
        });
    }
    if let Some(hi) = max {
        if n > hi || (exclusive("exclusiveMaximum") && n >= hi) {
            n = match min {
                Some(lo) => (lo + hi) / 2.0,
                None => hi - 1.0,
            };
        }
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(doc: &Value, schema: Value) -> Value {
        Synth::new(doc, 1).value(&schema)
    }

    #[test]
    fn values_keep_the_constraints() {
        let doc = json!({"components": {"schemas": {"Id": {"type": "string", "format": "uuid"}}}});
        assert_eq!(
            one(
                &doc,
                json!({"type": "string", "minLength": 6, "maxLength": 8})
            ),
            json!("textxx")
        );
        assert_eq!(
            one(
                &doc,
                json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true, "multipleOf": 3})
            ),
            json!(6)
        );
        assert_eq!(
            one(&doc, json!({"type": "integer", "maximum": -2})),
            json!(-2)
        );
        assert_eq!(
            one(
                &doc,
                json!({"type": "number", "minimum": 0.5, "maximum": 0.9})
            ),
            json!(0.7)
        );
        assert_eq!(
            one(&doc, json!({"$ref": "#/components/schemas/Id"})),
            json!("3fa85f64-5717-4562-b3fc-2c963f66afa6")
        );
        assert_eq!(one(&doc, json!({"enum": [null, "b"]})), json!("b"));
        // A member that only describes adds nothing (AWS: `allOf: [$ref, {description}]`).
        assert_eq!(
            one(
                &doc,
                json!({"allOf": [{"type": "integer", "minimum": 3}, {"description": "max"}]})
            ),
            json!(3)
        );
        let text = one(
            &doc,
            json!({"type": "string", "pattern": "^[A-Z]{3}-\\d{2}$"}),
        );
        let text = text.as_str().unwrap();
        assert!(
            regex::Regex::new("^[A-Z]{3}-[0-9]{2}$")
                .unwrap()
                .is_match(text),
            "{text}"
        );
    }

    #[test]
    fn objects_have_their_required_properties_and_a_discriminator() {
        let doc = json!({"components": {"schemas": {
            "Cat": {"type": "object", "required": ["kind", "lives"], "properties": {
                "kind": {"type": "string"}, "lives": {"type": "integer", "example": 9},
                "id": {"type": "string", "readOnly": true}}}}}});
        let v = one(
            &doc,
            json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}],
                   "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}}),
        );
        assert_eq!(v, json!({"kind": "cat", "lives": 9}));
        // Deep in a value, a member of a `oneOf` still gets its optional properties, which
        // tell it from its siblings (Mailchimp's segment conditions).
        let conditions = json!({"oneOf": [
            {"type": "object", "properties": {"type": {"type": "string", "enum": ["Aim"]}}},
            {"type": "object", "properties": {"type": {"type": "string", "enum": ["Date"]}}}]});
        let deep = json!({"type": "object", "required": ["a"], "properties": {"a":
            {"type": "object", "required": ["b"], "properties": {"b":
                {"type": "object", "required": ["c"], "properties": {"c": conditions}}}}}});
        assert_eq!(one(&doc, deep), json!({"a": {"b": {"c": {"type": "Aim"}}}}));
        let v = one(
            &doc,
            json!({"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "enum": ["a", "b", "c"]}}),
        );
        assert_eq!(v, json!(["a", "b"]));
    }
}
