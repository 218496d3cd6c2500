//! OpenAPI 3.1 -> 3.0.3, on the JSON tree, before `openapiv3` (a 3.0 model) reads it.
//!
//! The document is walked by its structure (paths, path items, operations, parameters, bodies,
//! responses, callbacks, media types, components), so only schemas are rewritten as schemas:
//! `examples` is a list on a schema and a map on a media type.
//!
//! What each 3.1 construct becomes:
//!
//! | 3.1 | 3.0.3 |
//! |---|---|
//! | `type: [X, 'null']` | `type: X, nullable: true` |
//! | `type: [X, Y]` (and `null`) | `anyOf` (not `oneOf`: an integer is also a number) of one schema per type, each with the keywords of its type (`minLength` to the string, `items` to the array, `enum` values by their type; `integer` before `number`, so an integral value reads as an integer), `nullable` when `null` is listed; a type no `enum` value fits is left out |
//! | `type: 'null'` alone (or `const: null`, or only `null` members) | `nullable: true`, warned: typed as an optional JSON value |
//! | `anyOf`/`oneOf` with a `{type: 'null'}` member | the other member (merged into the schema when the schema only annotates it, else `allOf: [member]`; a `$ref` always goes in `allOf`), or the other members, with `nullable: true` |
//! | `const: v` | `enum: [v]` (the resolver reads a one-value `enum` as a constant), a `type` from the value when there is none |
//! | numeric `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` (unless `minimum` is stricter) |
//! | `examples: [a, ...]` on a schema | `example: a` |
//! | `$ref` with siblings | `description`, `title`, `summary`, `$defs` and `x-` stay beside it (the resolver reads a description there); `examples` are dropped; a `type` beside it gives its `null` only; any other sibling: `allOf: [{$ref}]` plus the siblings |
//! | `contentEncoding: base64` / `base64url` | `format: byte` |
//! | `contentMediaType` of a binary type (not text, JSON, XML, YAML, a form) without encoding, or `contentEncoding: binary` | `format: binary` (bytes in a multipart part); `type: string` when there is no type |
//! | `prefixItems` (and `items: [..]`) | `items` of the tuple's schemas (one, or `anyOf` of them), `maxItems` when the tuple is closed; warned: positions are not checked |
//! | `patternProperties` | `additionalProperties` of the pattern schemas (one, or `anyOf`); warned: keys are not checked |
//! | `unevaluatedProperties`/`unevaluatedItems`: `false` or a schema | `additionalProperties`/`items`, when the schema has no `allOf`/`anyOf`/`oneOf`/`$ref`/... (only then are they the same); else warned and left out; `true`: dropped |
//! | `true` / `false` schemas | `{}` / `not: {}` (warned); a property declared `false` is left out (warned) |
//! | `$anchor` / `$dynamicAnchor` and `$ref: '#name'` | the `$ref` names the anchor's JSON pointer; `$dynamicRef` is followed as a `$ref` (warned) |
//! | `$ref: '#/$defs/X'` where the document has no `$defs` | read relative to the enclosing schema (`#/components/schemas/S/$defs/X`), warned |
//! | `$schema`, `$id`, `$comment`, `$vocabulary` | dropped |
//! | `if`/`then`/`else`, `dependentSchemas`, `dependentRequired`, `propertyNames`, `contains`/`minContains`/`maxContains`, `contentSchema` | dropped, warned: not checked |
//! | `webhooks` | dropped, warned: webhooks are not client operations (component schemas stay) |
//! | a path item `$ref: '#/components/pathItems/X'` | the path item itself; `components/pathItems` stays for `$ref`s into it |
//! | `mutualTLS` security scheme | dropped (with its name in security requirements), warned |
//! | no `paths`; an operation without `responses` | `paths: {}`; `responses: {}` |
//! | `info.summary`, `license.identifier`, `jsonSchemaDialect` | the description when there is none; dropped; dropped (warned if not the OpenAPI dialect) |
//!
//! Every warning names the JSON pointer of the node in the file. Nodes that move (a `$ref` into
//! `allOf`, a `null`-union's member into its parent, a type's keywords into an `anyOf` member)
//! are recorded as (pointer now, pointer before), so what later stages report about them is
//! mapped back by [`crate::diag::Sources`].

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::diag::{join, Sink};

/// Rewrites a 3.1.x document (already parsed to JSON) in place into an equivalent 3.0.3 document.
/// `moves` receives (pointer now, pointer before) for every subtree moved to another place, so
/// diagnostics found later can be mapped back to where the node is in the file.
pub(crate) fn to_3_0(doc: &mut Value, sink: &mut Sink<'_>, moves: &mut Vec<(String, String)>) {
    let mut t = Translator {
        sink,
        moves,
        anchors: HashMap::new(),
        pending: Vec::new(),
        depth: 0,
        too_deep: false,
        mutual_tls: HashSet::new(),
        path_items: Value::Null,
    };
    t.document(doc);
    t.resolve_pending(doc);
}

/// The pointer in the file of `pointer` (a node of the translated document), as
/// [`crate::diag::Sources`] maps it.
#[cfg(test)]
fn original_pointer(pointer: &str, moves: &[(String, String)]) -> String {
    let mut sources = crate::diag::Sources::default();
    sources.translated(moves.to_vec());
    sources.origin(pointer).1
}

/// Deeper than any real document (the JSON and YAML parsers stop at 128 levels).
const MAX_DEPTH: usize = 160;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords that only annotate a schema: a `null`-union whose other keywords are these is
/// merged with its member.
fn annotates(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key,
            "title"
                | "description"
                | "default"
                | "example"
                | "examples"
                | "readOnly"
                | "writeOnly"
                | "deprecated"
                | "nullable"
                | "externalDocs"
                | "xml"
        )
}

/// Siblings of a `$ref` left beside it: the resolver reads a `description` there, the others
/// change nothing the client does.
fn stays_beside_ref(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key,
            "description" | "title" | "summary" | "$defs" | "definitions"
        )
}

/// Keywords of one JSON type, moved to that type's member when `type` lists several.
fn keyword_type(key: &str) -> Option<&'static str> {
    Some(match key {
        "minLength" | "maxLength" | "pattern" | "contentMediaType" | "contentEncoding"
        | "contentSchema" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "numeric",
        "items" | "prefixItems" | "minItems" | "maxItems" | "uniqueItems" | "contains"
        | "minContains" | "maxContains" | "unevaluatedItems" => "array",
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "patternProperties"
        | "unevaluatedProperties"
        | "propertyNames"
        | "dependentRequired"
        | "dependentSchemas" => "object",
        _ => return None,
    })
}

/// JSON Schema keywords with no OpenAPI 3.0 form that constrain values the client does not
/// check anyway: dropped with a warning.
const UNCHECKED: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
];

/// Keywords under which `unevaluatedProperties` sees more than the schema's own `properties`.
const COMPOSING: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "$ref",
    "if",
    "then",
    "else",
    "dependentSchemas",
];

/// Whether a schema admits only `null`.
fn is_null_only(v: &Value) -> bool {
    let Some(m) = v.as_object() else {
        return false;
    };
    if m.contains_key("$ref") {
        return false;
    }
    let type_null = match m.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => false,
    };
    let enum_null = matches!(m.get("enum"), Some(Value::Array(vs)) if !vs.is_empty() && vs.iter().all(Value::is_null));
    type_null || enum_null || m.get("const") == Some(&Value::Null)
}

/// The JSON type of a value, as `type` names it (`integer` for a number without fraction).
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Media types whose content is text (JSON, XML, forms, `text/*`): a string of them is text.
fn is_textual(media_type: &str) -> bool {
    let m = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    m.starts_with("text/")
        || m.contains("json")
        || m.contains("xml")
        || m.contains("yaml")
        || m == "application/x-www-form-urlencoded"
        || m == "application/javascript"
}

/// A JSON pointer as a `$ref` fragment (`%` is the only character it must escape).
fn fragment(pointer: &str) -> String {
    format!("#{}", pointer.replace('%', "%25"))
}

/// A `$ref` to rewrite once the whole document is translated.
enum Pending {
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

/// How the children of a schema are found once it is rewritten.
#[derive(Default)]
struct Plan {
    /// (keyword, index or "") -> the pointer in the file of a child that moved there.
    overrides: HashMap<(String, String), String>,
    /// Children built from several places: (tokens below the schema, pointer in the file).
    extra: Vec<(Vec<String>, String)>,
    /// Keywords whose children are all in `extra`.
    skip: HashSet<&'static str>,
}

/// A `null`-union to merge: its member, the union's own keywords, the member's pointer.
struct Merge {
    member: Value,
    annotations: Map<String, Value>,
    before: String,
}

struct Translator<'t, 's> {
    sink: &'t mut Sink<'s>,
    moves: &'t mut Vec<(String, String)>,
    /// `$anchor` name -> pointer of its schema in the translated document.
    anchors: HashMap<String, String>,
    pending: Vec<Pending>,
    depth: usize,
    too_deep: bool,
    /// Names of the `mutualTLS` security schemes, left out of security requirements.
    mutual_tls: HashSet<String>,
    /// `{components: {pathItems: ...}}` as written, for path items that `$ref` one.
    path_items: Value,
}

impl Translator<'_, '_> {
    fn moved(&mut self, now: String, before: String) {
        if now != before {
            self.moves.push((now, before));
        }
    }

    fn document(&mut self, doc: &mut Value) {
        let Some(map) = doc.as_object_mut() else {
            return;
        };
        map.insert("openapi".into(), Value::String("3.0.3".into()));
        if let Some(dialect) = map.remove("jsonSchemaDialect") {
            let oas = dialect
                .as_str()
                .is_some_and(|d| d.contains("spec.openapis.org/oas/3.1/dialect"));
            if !oas {
                self.sink.warn(
                    "/jsonSchemaDialect",
                    format!("schemas are read as the OpenAPI 3.1 dialect, not {dialect}"),
                );
            }
        }
        if let Some(info) = map.get_mut("info").and_then(Value::as_object_mut) {
            if let Some(summary) = info.remove("summary") {
                if !info.contains_key("description") && summary.is_string() {
                    info.insert("description".into(), summary);
                    self.moved("/info/description".into(), "/info/summary".into());
                }
            }
            if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
                license.remove("identifier");
            }
        }
        if let Some(webhooks) = map.remove("webhooks") {
            if webhooks
                .as_object()
                .is_some_and(|w| w.keys().any(|k| !k.starts_with("x-")))
            {
                self.sink.warn(
                    "/webhooks",
                    "webhooks are requests the API sends, not operations a client calls: not generated (component schemas they use are still generated, under the `extra-models` feature when no operation uses them)",
                );
            }
        }
        if !map.contains_key("paths") {
            map.insert("paths".into(), Value::Object(Map::new()));
        }
        if let Some(items) = map
            .get("components")
            .and_then(|c| c.get("pathItems"))
            .filter(|p| p.is_object())
        {
            self.path_items = serde_json::json!({"components": {"pathItems": items.clone()}});
        }
        if let Some(schemes) = map
            .get_mut("components")
            .and_then(|c| c.get_mut("securitySchemes"))
            .and_then(Value::as_object_mut)
        {
            let mtls: Vec<String> = schemes
                .iter()
                .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(name, _)| name.clone())
                .collect();
            for name in mtls {
                schemes.remove(&name);
                self.sink.warn(
                    &join("/components/securitySchemes", &name),
                    "a `mutualTLS` security scheme has no OpenAPI 3.0 form: left out (give the client certificate to the HTTP client you pass with `http_client`)",
                );
                self.mutual_tls.insert(name);
            }
        }
        if let Some(security) = map.get_mut("security") {
            self.security(security);
        }
        // Paths first: a path item that `$ref`s a component is copied as written.
        if let Some(paths) = map.get_mut("paths").and_then(Value::as_object_mut) {
            for (path, item) in paths.iter_mut() {
                if path.starts_with("x-") {
                    continue;
                }
                let at = join("/paths", path);
                self.path_item(item, &at, &at);
            }
        }
        if let Some(components) = map.get_mut("components").and_then(Value::as_object_mut) {
            self.components(components);
        }
    }

    fn security(&mut self, security: &mut Value) {
        if self.mutual_tls.is_empty() {
            return;
        }
        for requirement in security.as_array_mut().into_iter().flatten() {
            if let Some(r) = requirement.as_object_mut() {
                r.retain(|name, _| !self.mutual_tls.contains(name));
            }
        }
    }

    fn components(&mut self, components: &mut Map<String, Value>) {
        for (section, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else {
                continue;
            };
            let base = join("/components", section);
            for (name, entry) in entries.iter_mut() {
                let at = join(&base, name);
                match section.as_str() {
                    "schemas" => self.schema(entry, &at, &at, &at),
                    "responses" => self.response(entry, &at, &at),
                    "parameters" | "headers" => self.parameter(entry, &at, &at),
                    "requestBodies" => self.content_of(entry, &at, &at),
                    "callbacks" => self.callback(entry, &at, &at),
                    "pathItems" => self.path_item(entry, &at, &at),
                    _ => {}
                }
            }
        }
    }

    /// A path item; one that `$ref`s `#/components/pathItems/X` becomes a copy of it (the
    /// resolver follows path item `$ref`s into `#/paths` only).
    fn path_item(&mut self, item: &mut Value, now: &str, before: &str) {
        let mut before = before.to_owned();
        for _ in 0..8 {
            let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let Some(pointer) =
                crate::refs::pointer(reference).filter(|p| p.starts_with("/components/pathItems/"))
            else {
                break;
            };
            let Some(Value::Object(target)) = self.path_items.pointer(&pointer) else {
                break;
            };
            let mut copy = target.clone();
            if let Some(siblings) = item.as_object() {
                for (k, v) in siblings {
                    if k != "$ref" {
                        copy.insert(k.clone(), v.clone());
                    }
                }
            }
            *item = Value::Object(copy);
            before = pointer;
        }
        self.moved(now.to_owned(), before.clone());
        let Some(map) = item.as_object_mut() else {
            return;
        };
        if let Some(Value::Array(params)) = map.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                let (n, b) = (
                    join(&join(now, "parameters"), i),
                    join(&join(&before, "parameters"), i),
                );
                self.parameter(p, &n, &b);
            }
        }
        for method in METHODS {
            if let Some(op) = map.get_mut(*method).and_then(Value::as_object_mut) {
                self.operation(op, &join(now, method), &join(&before, method));
            }
        }
    }

    fn operation(&mut self, op: &mut Map<String, Value>, now: &str, before: &str) {
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                let (n, b) = (
                    join(&join(now, "parameters"), i),
                    join(&join(before, "parameters"), i),
                );
                self.parameter(p, &n, &b);
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            self.content_of(
                body,
                &join(now, "requestBody"),
                &join(before, "requestBody"),
            );
        }
        // `responses` is optional in 3.1.
        let responses = op
            .entry("responses")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(responses) = responses.as_object_mut() {
            for (code, response) in responses.iter_mut() {
                if code.starts_with("x-") {
                    continue;
                }
                let (n, b) = (
                    join(&join(now, "responses"), code),
                    join(&join(before, "responses"), code),
                );
                self.response(response, &n, &b);
            }
        }
        if let Some(callbacks) = op.get_mut("callbacks").and_then(Value::as_object_mut) {
            for (name, callback) in callbacks.iter_mut() {
                let (n, b) = (
                    join(&join(now, "callbacks"), name),
                    join(&join(before, "callbacks"), name),
                );
                self.callback(callback, &n, &b);
            }
        }
        if let Some(security) = op.get_mut("security") {
            self.security(security);
        }
    }

    fn callback(&mut self, callback: &mut Value, now: &str, before: &str) {
        let Some(map) = callback.as_object_mut() else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        for (expression, item) in map.iter_mut() {
            if !expression.starts_with("x-") {
                self.path_item(item, &join(now, expression), &join(before, expression));
            }
        }
    }

    fn response(&mut self, response: &mut Value, now: &str, before: &str) {
        let Some(map) = response.as_object_mut() else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        if let Some(headers) = map.get_mut("headers").and_then(Value::as_object_mut) {
            for (name, header) in headers.iter_mut() {
                let (n, b) = (
                    join(&join(now, "headers"), name),
                    join(&join(before, "headers"), name),
                );
                self.parameter(header, &n, &b);
            }
        }
        self.content_of(response, now, before);
    }

    /// A parameter or a header: its `schema`, or its `content`.
    fn parameter(&mut self, parameter: &mut Value, now: &str, before: &str) {
        let Some(map) = parameter.as_object_mut() else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        if let Some(schema) = map.get_mut("schema") {
            let n = join(now, "schema");
            self.schema(schema, &n, &join(before, "schema"), &n);
        }
        self.content_of(parameter, now, before);
    }

    /// The media types under `content` of a body, response, parameter or header.
    fn content_of(&mut self, owner: &mut Value, now: &str, before: &str) {
        if owner.get("$ref").is_some() {
            return;
        }
        let Some(content) = owner.get_mut("content").and_then(Value::as_object_mut) else {
            return;
        };
        for (media_type, media) in content.iter_mut() {
            let n = join(&join(now, "content"), media_type);
            let b = join(&join(before, "content"), media_type);
            let Some(media) = media.as_object_mut() else {
                continue;
            };
            if let Some(schema) = media.get_mut("schema") {
                let sn = join(&n, "schema");
                self.schema(schema, &sn, &join(&b, "schema"), &sn);
            }
            if let Some(encoding) = media.get_mut("encoding").and_then(Value::as_object_mut) {
                for (part, e) in encoding.iter_mut() {
                    let Some(headers) = e.get_mut("headers").and_then(Value::as_object_mut) else {
                        continue;
                    };
                    let (pn, pb) = (
                        join(&join(&n, "encoding"), part),
                        join(&join(&b, "encoding"), part),
                    );
                    for (name, header) in headers.iter_mut() {
                        let (hn, hb) = (
                            join(&join(&pn, "headers"), name),
                            join(&join(&pb, "headers"), name),
                        );
                        self.parameter(header, &hn, &hb);
                    }
                }
            }
        }
    }

    /// A schema at `now` in the translated document, written at `before` in the file; `root`
    /// is the schema that encloses it at the top (what `#/$defs/...` is read against).
    fn schema(&mut self, node: &mut Value, now: &str, before: &str, root: &str) {
        if self.depth >= MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.sink.warn(
                    before,
                    format!("schemas nest more than {MAX_DEPTH} levels deep here: not translated from OpenAPI 3.1"),
                );
            }
            return;
        }
        match node {
            Value::Bool(true) => {
                *node = Value::Object(Map::new());
                return;
            }
            Value::Bool(false) => {
                *node = serde_json::json!({"not": {}});
                self.sink.warn(
                    before,
                    "the schema `false` (no value is valid) has no OpenAPI 3.0 form: read as `not: {}`",
                );
                return;
            }
            Value::Object(_) => {}
            _ => return,
        }
        self.depth += 1;
        self.schema_object(node, now, before, root);
        self.depth -= 1;
    }

    fn schema_object(&mut self, node: &mut Value, now: &str, before: &str, root: &str) {
        let Some(map) = node.as_object_mut() else {
            return;
        };
        let mut plan = Plan::default();
        if let Some(merge) = self.normalize(map, now, before, root, &mut plan) {
            self.merge(node, merge, now, root);
            return;
        }
        self.children(node, now, before, root, plan);
    }

    /// A `null`-union merged with its one member: the member takes the union's place, then
    /// the union's annotations (its `title`, `description`, `default`) go on top.
    fn merge(&mut self, node: &mut Value, merge: Merge, now: &str, root: &str) {
        let Merge {
            member,
            mut annotations,
            before: member_before,
        } = merge;
        *node = member;
        let first_move = self.moves.len();
        self.schema(node, now, &member_before, root);
        let Some(map) = node.as_object_mut() else {
            return;
        };
        let keys: Vec<String> = map
            .keys()
            .filter(|k| !annotations.contains_key(*k))
            .cloned()
            .collect();
        for key in keys {
            let n = join(now, &key);
            if !self.moves[first_move..].iter().any(|(m, _)| *m == n) {
                self.moved(n, join(&member_before, &key));
            }
        }
        examples_to_example(&mut annotations);
        for (k, v) in annotations {
            map.insert(k, v);
        }
        map.insert("nullable".into(), Value::Bool(true));
    }

    /// Rewrites one schema's own keywords; `Some` when it is a `null`-union to merge.
    fn normalize(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        root: &str,
        plan: &mut Plan,
    ) -> Option<Merge> {
        for key in ["$schema", "$id", "$comment", "$vocabulary"] {
            map.remove(key);
        }
        for key in ["$anchor", "$dynamicAnchor"] {
            if let Some(Value::String(name)) = map.remove(key) {
                self.anchors.entry(name).or_insert_with(|| now.to_owned());
            }
        }
        if let Some(dynamic) = map.remove("$dynamicRef") {
            if !map.contains_key("$ref") {
                map.insert("$ref".into(), dynamic);
                self.sink.warn(
                    &join(before, "$dynamicRef"),
                    "`$dynamicRef` is followed as a `$ref` (to the anchor of that name)",
                );
            }
        }
        if map.get("$ref").is_some_and(Value::is_string) {
            self.ref_siblings(map, now, before, plan);
        }
        if let Some(Value::String(reference)) = map.get("$ref") {
            let reference = reference.clone();
            self.note_ref(&reference, now, before, root);
        }
        if let Some(merge) = self.null_members(map, now, before, plan) {
            return Some(merge);
        }
        self.constant(map, now, before);
        self.types(map, now, before, plan);
        examples_to_example(map);
        self.exclusive_bounds(map, now, before);
        self.content_keywords(map, before);
        self.tuple(map, now, before, plan);
        self.pattern_properties(map, now, before, plan);
        self.unevaluated(map, now, before, plan);
        let unchecked: Vec<&str> = UNCHECKED
            .iter()
            .copied()
            .filter(|k| map.remove(*k).is_some())
            .collect();
        if let Some(first) = unchecked.first() {
            let list = unchecked
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.sink.warn(
                &join(before, first),
                format!("{list}: no OpenAPI 3.0 form; not checked by the client (left out)"),
            );
        }
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            let never: Vec<String> = properties
                .iter()
                .filter(|(_, v)| **v == Value::Bool(false))
                .map(|(k, _)| k.clone())
                .collect();
            for name in never {
                properties.remove(&name);
                self.sink.warn(
                    &join(&join(before, "properties"), &name),
                    format!("property `{name}` is declared `false` (it must never be present): left out"),
                );
            }
        }
        None
    }

    /// `$ref` with siblings: the ones that constrain go beside it in an `allOf`.
    fn ref_siblings(
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
        let all_of = map
            .entry("allOf")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !all_of.is_array() {
            *all_of = Value::Array(Vec::new());
        }
        if let Value::Array(members) = all_of {
            let index = members.len();
            members.push(serde_json::json!({ "$ref": reference }));
            let b = join(before, "$ref");
            plan.overrides
                .insert(("allOf".into(), index.to_string()), b.clone());
            self.moved(join(&join(now, "allOf"), index), b);
        }
    }

    fn note_ref(&mut self, reference: &str, now: &str, before: &str, root: &str) {
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

    /// `anyOf`/`oneOf` with a `null` member (`Optional[X]` as FastAPI writes it).
    fn null_members(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) -> Option<Merge> {
        for key in ["anyOf", "oneOf"] {
            let has_null =
                matches!(map.get(key), Some(Value::Array(ms)) if ms.iter().any(is_null_only));
            if !has_null {
                continue;
            }
            let Some(Value::Array(members)) = map.remove(key) else {
                continue;
            };
            let mut kept: Vec<(usize, Value)> = members
                .into_iter()
                .enumerate()
                .filter(|(_, m)| !is_null_only(m))
                .collect();
            map.insert("nullable".into(), Value::Bool(true));
            match kept.len() {
                0 => self.null_only(map, before),
                1 => {
                    let (i, member) = kept.remove(0);
                    let member_before = join(&join(before, key), i);
                    let mergeable = member.is_object()
                        && member.get("$ref").is_none()
                        && map.keys().all(|k| annotates(k));
                    if mergeable {
                        return Some(Merge {
                            member,
                            annotations: std::mem::take(map),
                            before: member_before,
                        });
                    }
                    let all_of = map
                        .entry("allOf")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if !all_of.is_array() {
                        *all_of = Value::Array(Vec::new());
                    }
                    if let Value::Array(all) = all_of {
                        let index = all.len();
                        all.push(member);
                        plan.overrides
                            .insert(("allOf".into(), index.to_string()), member_before.clone());
                        self.moved(join(&join(now, "allOf"), index), member_before);
                    }
                }
                _ => {
                    for (k, (i, _)) in kept.iter().enumerate() {
                        if k != *i {
                            let b = join(&join(before, key), i);
                            plan.overrides
                                .insert((key.into(), k.to_string()), b.clone());
                            self.moved(join(&join(now, key), k), b);
                        }
                    }
                    map.insert(
                        key.into(),
                        Value::Array(kept.into_iter().map(|(_, m)| m).collect()),
                    );
                }
            }
        }
        None
    }

    /// A schema that admits only `null`: 3.0 has no null type.
    fn null_only(&mut self, map: &Map<String, Value>, before: &str) {
        let typed = [
            "type",
            "properties",
            "items",
            "allOf",
            "anyOf",
            "oneOf",
            "$ref",
        ]
        .iter()
        .any(|k| map.contains_key(*k));
        if !typed {
            self.sink.warn(
                before,
                "only `null` is valid here and OpenAPI 3.0 has no null type: generated as an optional JSON value (serde_json::Value)",
            );
        }
    }

    /// `const: v` -> `enum: [v]`.
    fn constant(&mut self, map: &mut Map<String, Value>, now: &str, before: &str) {
        let Some(value) = map.remove("const") else {
            return;
        };
        if value.is_null() {
            map.insert("nullable".into(), Value::Bool(true));
            map.remove("enum");
            self.null_only(map, before);
            return;
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            if !values.contains(&value) {
                self.sink.warn(
                    &join(before, "const"),
                    "`const` is not among the `enum` values: the `const` is kept",
                );
            }
        }
        if !map.contains_key("type") {
            map.insert("type".into(), Value::String(json_type(&value).into()));
        }
        map.insert("enum".into(), Value::Array(vec![value]));
        self.moved(join(now, "enum"), join(before, "const"));
    }

    /// `type: [..]`: `null` becomes `nullable`; several other types an `anyOf`, one per type.
    fn types(&mut self, map: &mut Map<String, Value>, now: &str, before: &str, plan: &mut Plan) {
        let mut names: Vec<String> = Vec::new();
        let mut null = false;
        match map.get("type") {
            Some(Value::String(t)) if t == "null" => null = true,
            Some(Value::Array(ts)) => {
                for t in ts {
                    match t.as_str() {
                        Some("null") => null = true,
                        Some(t) if !names.iter().any(|n| n == t) => names.push(t.to_owned()),
                        _ => {}
                    }
                }
            }
            _ => return,
        }
        if null {
            map.insert("nullable".into(), Value::Bool(true));
        }
        // An integral value reads as an integer when it may be one.
        names.sort_by_key(|n| n == "number");
        match names.len() {
            0 => {
                map.remove("type");
                if null {
                    self.null_only(map, before);
                }
            }
            1 => {
                map.insert("type".into(), Value::String(names.remove(0)));
            }
            _ => self.several_types(map, names, now, before, plan),
        }
    }

    fn several_types(
        &mut self,
        map: &mut Map<String, Value>,
        names: Vec<String>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) {
        if map.contains_key("anyOf") {
            map.remove("type");
            self.sink.warn(
                &join(before, "type"),
                "a list of types beside `anyOf` has no OpenAPI 3.0 form: the types are left out, `anyOf` types the value",
            );
            return;
        }
        let format_type = map.get("format").and_then(Value::as_str).map(|f| match f {
            "int32" | "int64" => "integer",
            "float" | "double" => "number",
            _ => "string",
        });
        let values: Option<Vec<Value>> = map.get("enum").and_then(Value::as_array).cloned();
        let mut members = Vec::new();
        for name in &names {
            let mut member = Map::new();
            member.insert("type".into(), Value::String(name.clone()));
            for (key, value) in map.iter() {
                let fits = match keyword_type(key) {
                    Some("numeric") => name == "integer" || name == "number",
                    Some(t) => t == name,
                    None => false,
                };
                if fits {
                    member.insert(key.clone(), value.clone());
                }
            }
            let format_fits = format_type == Some(name.as_str());
            if format_fits {
                if let Some(f) = map.get("format") {
                    member.insert("format".into(), f.clone());
                }
            }
            if let Some(values) = &values {
                let fitting: Vec<Value> = values
                    .iter()
                    .filter(|v| {
                        let t = json_type(v);
                        t == name || (t == "integer" && name == "number")
                    })
                    .cloned()
                    .collect();
                if fitting.is_empty() {
                    continue;
                }
                member.insert("enum".into(), Value::Array(fitting));
            }
            members.push(member);
        }
        if members.is_empty() {
            map.remove("type");
            return;
        }
        map.retain(|k, _| keyword_type(k).is_none() && k != "format" && k != "enum" && k != "type");
        if members.len() == 1 {
            map.extend(members.remove(0));
            return;
        }
        for j in 0..members.len() {
            plan.extra
                .push((vec!["anyOf".into(), j.to_string()], before.to_owned()));
            self.moved(join(&join(now, "anyOf"), j), before.to_owned());
        }
        plan.skip.insert("anyOf");
        map.insert(
            "anyOf".into(),
            Value::Array(members.into_iter().map(Value::Object).collect()),
        );
    }

    /// Numeric `exclusiveMinimum`/`exclusiveMaximum` -> the bound and the 3.0 boolean.
    fn exclusive_bounds(&mut self, map: &mut Map<String, Value>, now: &str, before: &str) {
        for (exclusive, bound, lower) in [
            ("exclusiveMinimum", "minimum", true),
            ("exclusiveMaximum", "maximum", false),
        ] {
            let Some(Value::Number(n)) = map.get(exclusive).cloned() else {
                continue;
            };
            let x = n.as_f64().unwrap_or(f64::NAN);
            let stricter = match map.get(bound).and_then(Value::as_f64) {
                Some(b) if lower => x >= b,
                Some(b) => x <= b,
                None => true,
            };
            if stricter {
                map.insert(bound.into(), Value::Number(n));
                map.insert(exclusive.into(), Value::Bool(true));
                self.moved(join(now, bound), join(before, exclusive));
            } else {
                map.remove(exclusive);
            }
        }
    }

    /// `contentEncoding`/`contentMediaType` -> `format: byte`/`binary`.
    fn content_keywords(&mut self, map: &mut Map<String, Value>, before: &str) {
        let encoding = map.remove("contentEncoding");
        let media_type = map.remove("contentMediaType");
        if map.remove("contentSchema").is_some() {
            self.sink.warn(
                &join(before, "contentSchema"),
                "`contentSchema` (the document the string holds) has no OpenAPI 3.0 form: typed as the string, not decoded",
            );
        }
        let string = match map.get("type") {
            None => true,
            Some(t) => t == "string",
        };
        if !string || (encoding.is_none() && media_type.is_none()) {
            return;
        }
        let format = match encoding.as_ref().and_then(Value::as_str) {
            Some(e) if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") => {
                Some("byte")
            }
            Some(e) if e.eq_ignore_ascii_case("binary") => Some("binary"),
            Some(_) => None,
            None => media_type
                .as_ref()
                .and_then(Value::as_str)
                .filter(|m| !is_textual(m))
                .map(|_| "binary"),
        };
        map.entry("type")
            .or_insert_with(|| Value::String("string".into()));
        if let Some(format) = format {
            map.entry("format")
                .or_insert_with(|| Value::String(format.into()));
        }
    }

    /// `prefixItems` (a tuple) -> `items` of its schemas.
    fn tuple(&mut self, map: &mut Map<String, Value>, now: &str, before: &str, plan: &mut Plan) {
        let (key, rest_key) = if map.get("prefixItems").is_some_and(Value::is_array) {
            ("prefixItems", "items")
        } else if map.get("items").is_some_and(Value::is_array) {
            ("items", "additionalItems")
        } else {
            return;
        };
        let Some(Value::Array(positions)) = map.remove(key) else {
            return;
        };
        let count = positions.len();
        let rest = map.remove(rest_key);
        let closed = rest == Some(Value::Bool(false))
            || (rest.is_none() && map.get("unevaluatedItems") == Some(&Value::Bool(false)));
        if closed {
            map.remove("unevaluatedItems");
        }
        let mut members: Vec<(Value, String)> = Vec::new();
        let mut candidates: Vec<(Value, String)> = positions
            .into_iter()
            .enumerate()
            .map(|(i, s)| (s, join(&join(before, key), i)))
            .collect();
        if let Some(rest) = rest.filter(|r| *r != Value::Bool(false)) {
            candidates.push((rest, join(before, rest_key)));
        }
        for (schema, at) in candidates {
            let schema = if schema == Value::Bool(true) {
                Value::Object(Map::new())
            } else {
                schema
            };
            if !members.iter().any(|(s, _)| *s == schema) {
                members.push((schema, at));
            }
        }
        if closed && !map.contains_key("maxItems") {
            map.insert("maxItems".into(), Value::from(count));
        }
        map.entry("type")
            .or_insert_with(|| Value::String("array".into()));
        let what = match members.len() {
            0 => "any values".to_owned(),
            1 => "its one item schema".to_owned(),
            n => format!("any of its {n} item schemas (`anyOf`, a union)"),
        };
        self.sink.warn(
            &join(before, key),
            format!("a tuple (`{key}`, {count} position{s}) has no OpenAPI 3.0 form: typed as an array of {what}; the schema of each position is not checked", s = plural(count)),
        );
        self.one_or_any_of(map, "items", members, now, plan);
    }

    /// Puts `members` under `key`: the one schema, or `anyOf` of them, with where each was.
    fn one_or_any_of(
        &mut self,
        map: &mut Map<String, Value>,
        key: &'static str,
        mut members: Vec<(Value, String)>,
        now: &str,
        plan: &mut Plan,
    ) {
        match members.len() {
            0 => {}
            1 => {
                let (schema, at) = members.remove(0);
                map.insert(key.into(), schema);
                plan.overrides
                    .insert((key.into(), String::new()), at.clone());
                self.moved(join(now, key), at);
            }
            _ => {
                let mut any_of = Vec::new();
                for (j, (schema, at)) in members.into_iter().enumerate() {
                    any_of.push(schema);
                    plan.extra.push((
                        vec![key.to_owned(), "anyOf".into(), j.to_string()],
                        at.clone(),
                    ));
                    self.moved(join(&join(&join(now, key), "anyOf"), j), at);
                }
                plan.skip.insert(key);
                map.insert(key.into(), serde_json::json!({ "anyOf": any_of }));
            }
        }
    }

    /// `patternProperties` -> `additionalProperties` of the pattern schemas.
    fn pattern_properties(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) {
        let Some(Value::Object(patterns)) = map.remove("patternProperties") else {
            return;
        };
        let mut members: Vec<(Value, String)> = Vec::new();
        let count = patterns.len();
        let mut candidates: Vec<(Value, String)> = patterns
            .into_iter()
            .map(|(p, s)| (s, join(&join(before, "patternProperties"), p)))
            .collect();
        match map.remove("additionalProperties") {
            Some(Value::Bool(true)) => {
                candidates.push((
                    Value::Object(Map::new()),
                    join(before, "additionalProperties"),
                ));
            }
            Some(schema @ Value::Object(_)) => {
                candidates.push((schema, join(before, "additionalProperties")));
            }
            _ => {}
        }
        for (schema, at) in candidates {
            let schema = if schema == Value::Bool(true) {
                Value::Object(Map::new())
            } else {
                schema
            };
            if !members.iter().any(|(s, _)| *s == schema) {
                members.push((schema, at));
            }
        }
        let what = if members.len() == 1 {
            "its schema".to_owned()
        } else {
            format!("any of its {} schemas (`anyOf`, a union)", members.len())
        };
        self.sink.warn(
            &join(before, "patternProperties"),
            format!("`patternProperties` ({count} pattern{s}) has no OpenAPI 3.0 form: typed as a map of {what}; keys are not checked against the pattern{s}", s = plural(count)),
        );
        self.one_or_any_of(map, "additionalProperties", members, now, plan);
    }

    /// `unevaluatedProperties`/`unevaluatedItems` -> `additionalProperties`/`items` where
    /// nothing else evaluates properties or items (then they mean the same).
    fn unevaluated(
        &mut self,
        map: &mut Map<String, Value>,
        now: &str,
        before: &str,
        plan: &mut Plan,
    ) {
        let composed = COMPOSING.iter().any(|k| map.contains_key(*k));
        for (key, target) in [
            ("unevaluatedProperties", "additionalProperties"),
            ("unevaluatedItems", "items"),
        ] {
            let Some(value) = map.remove(key) else {
                continue;
            };
            if value == Value::Bool(true) {
                continue;
            }
            if !composed && !map.contains_key(target) {
                if value.is_object() {
                    plan.overrides
                        .insert((target.into(), String::new()), join(before, key));
                }
                self.moved(join(now, target), join(before, key));
                if target == "items" && value == Value::Bool(false) {
                    map.insert("maxItems".into(), Value::from(0));
                } else {
                    map.insert(target.into(), value);
                }
            } else if !composed {
                // `items`/`additionalProperties` already evaluate everything else.
            } else {
                let what = if value == Value::Bool(false) {
                    format!(
                        "values with unknown {} are not refused",
                        if target == "items" {
                            "items"
                        } else {
                            "properties"
                        }
                    )
                } else {
                    "the values it describes are not typed by it".to_owned()
                };
                self.sink.warn(
                    &join(before, key),
                    format!("`{key}` beside `allOf`/`anyOf`/`oneOf`/`$ref` has no OpenAPI 3.0 form: left out; {what}"),
                );
            }
        }
    }

    /// Translates the children of a rewritten schema, each with where it is in the file.
    fn children(&mut self, node: &mut Value, now: &str, before: &str, root: &str, plan: Plan) {
        let Some(map) = node.as_object() else {
            return;
        };
        let Plan {
            overrides,
            mut extra,
            skip,
        } = plan;
        let at = |key: &str, sub: &str| {
            overrides
                .get(&(key.to_owned(), sub.to_owned()))
                .cloned()
                .unwrap_or_else(|| {
                    let b = join(before, key);
                    if sub.is_empty() {
                        b
                    } else {
                        join(&b, sub)
                    }
                })
        };
        let mut slots: Vec<(Vec<String>, String)> = Vec::new();
        for key in ["items", "additionalProperties", "not"] {
            if skip.contains(key) {
                continue;
            }
            match map.get(key) {
                Some(Value::Object(_)) => slots.push((vec![key.into()], at(key, ""))),
                Some(Value::Bool(_)) if key != "additionalProperties" => {
                    slots.push((vec![key.into()], at(key, "")));
                }
                _ => {}
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if skip.contains(key) {
                continue;
            }
            if let Some(Value::Array(members)) = map.get(key) {
                for i in 0..members.len() {
                    let i = i.to_string();
                    slots.push((vec![key.into(), i.clone()], at(key, &i)));
                }
            }
        }
        for key in ["properties", "$defs", "definitions"] {
            if let Some(Value::Object(entries)) = map.get(key) {
                for name in entries.keys() {
                    slots.push((vec![key.into(), name.clone()], at(key, name)));
                }
            }
        }
        slots.append(&mut extra);
        for (tokens, child_before) in slots {
            let mut child_now = now.to_owned();
            let mut target = Some(&mut *node);
            for token in &tokens {
                child_now = join(&child_now, token);
                target = target.and_then(|t| match t {
                    Value::Object(m) => m.get_mut(token),
                    Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
                    _ => None,
                });
            }
            if let Some(child) = target {
                self.schema(child, &child_now, &child_before, root);
            }
        }
    }

    /// `$ref: '#anchor'` -> the anchor's pointer; `$ref: '#/$defs/X'` with no `$defs` at the
    /// top of the document -> the enclosing schema's.
    fn resolve_pending(&mut self, doc: &mut Value) {
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

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// `examples: [a, ...]` (JSON Schema) -> `example: a` (OpenAPI 3.0).
fn examples_to_example(map: &mut Map<String, Value>) {
    if let Some(examples) = map.remove("examples") {
        if let Some(first) = examples.as_array().and_then(|e| e.first()) {
            map.entry("example").or_insert_with(|| first.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    /// The document with `schema` as component `S`, translated: the schema, the warnings
    /// (pointer and message) and the moves.
    /// (pointer, message) of the warnings, or (now, before) of the moves.
    type Pairs = Vec<(String, String)>;

    fn translate(doc: Value) -> (Value, Pairs, Pairs) {
        let mut doc = doc;
        let mut sink = Sink::new(Path::new("spec.json"), "");
        let mut moves = Vec::new();
        to_3_0(&mut doc, &mut sink, &mut moves);
        assert!(sink.errors.is_empty(), "{:?}", sink.errors);
        let warnings = sink
            .warnings
            .into_iter()
            .map(|d| (d.pointer, d.message))
            .collect();
        (doc, warnings, moves)
    }

    fn doc_with(schema: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": schema}}
        })
    }

    fn schema(schema: Value) -> (Value, Pairs, Pairs) {
        let (doc, warnings, moves) = translate(doc_with(schema));
        (doc["components"]["schemas"]["S"].clone(), warnings, moves)
    }

    /// The translated document reads as OpenAPI 3.0.
    fn parses(doc: &Value) {
        if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(doc.clone()) {
            panic!("{e}: {doc:#}");
        }
    }

    #[test]
    fn the_document_becomes_3_0_3_with_paths() {
        let (doc, warnings, _) = translate(json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {"title": "t", "version": "1", "summary": "short",
                     "license": {"name": "MIT", "identifier": "MIT"}},
        }));
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(doc["info"]["description"], "short");
        assert_eq!(doc["info"]["license"], json!({"name": "MIT"}));
        assert!(doc.get("jsonSchemaDialect").is_none());
        assert!(warnings.is_empty(), "{warnings:?}");
        parses(&doc);
    }

    #[test]
    fn type_lists_with_null_become_nullable() {
        let (s, w, _) = schema(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            s,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert!(w.is_empty());
        let (s, w, _) = schema(json!({"type": ["integer"]}));
        assert_eq!(s, json!({"type": "integer"}));
        assert!(w.is_empty());
    }

    #[test]
    fn null_alone_is_nullable_and_warned() {
        let (s, w, _) = schema(json!({"type": "null"}));
        assert_eq!(s, json!({"nullable": true}));
        assert_eq!(w[0].0, "/components/schemas/S");
        assert!(w[0].1.contains("serde_json::Value"), "{w:?}");
        let (s, _, _) = schema(json!({"type": ["null"]}));
        assert_eq!(s, json!({"nullable": true}));
    }

    #[test]
    fn several_types_become_an_any_of_with_their_keywords() {
        let (s, w, moves) = schema(json!({
            "type": ["number", "string", "integer", "null"],
            "description": "d", "maxLength": 4, "minimum": 1, "format": "date"
        }));
        assert_eq!(
            s,
            json!({
                "description": "d", "nullable": true,
                "anyOf": [
                    {"type": "string", "maxLength": 4, "format": "date"},
                    {"type": "integer", "minimum": 1},
                    {"type": "number", "minimum": 1},
                ]
            })
        );
        assert!(w.is_empty());
        assert_eq!(
            original_pointer("/components/schemas/S/anyOf/0/maxLength", &moves),
            "/components/schemas/S/maxLength"
        );
    }

    #[test]
    fn enum_values_go_to_their_type_and_a_type_without_values_is_left_out() {
        let (s, _, _) =
            schema(json!({"type": ["string", "integer", "boolean"], "enum": ["a", 1, "b"]}));
        assert_eq!(
            s,
            json!({"anyOf": [
                {"type": "string", "enum": ["a", "b"]},
                {"type": "integer", "enum": [1]},
            ]})
        );
        let (s, _, _) = schema(json!({"type": ["string", "integer", "null"], "enum": ["a", null]}));
        assert_eq!(
            s,
            json!({"type": "string", "enum": ["a"], "nullable": true})
        );
    }

    #[test]
    fn optional_as_fastapi_writes_it() {
        let (s, w, moves) = schema(json!({
            "anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}],
            "title": "Nickname", "default": null
        }));
        assert_eq!(
            s,
            json!({"type": "string", "maxLength": 5, "title": "Nickname", "default": null, "nullable": true})
        );
        assert!(w.is_empty());
        assert_eq!(
            original_pointer("/components/schemas/S/maxLength", &moves),
            "/components/schemas/S/anyOf/0/maxLength"
        );
        assert_eq!(
            original_pointer("/components/schemas/S/title", &moves),
            "/components/schemas/S/title"
        );
        assert_eq!(
            original_pointer("/components/schemas/S", &moves),
            "/components/schemas/S"
        );
    }

    #[test]
    fn an_optional_reference_goes_in_all_of() {
        let (s, _, moves) = schema(json!({
            "anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/T"}],
            "description": "the owner"
        }));
        assert_eq!(
            s,
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "description": "the owner", "nullable": true})
        );
        assert_eq!(
            original_pointer("/components/schemas/S/allOf/0", &moves),
            "/components/schemas/S/anyOf/1"
        );
    }

    #[test]
    fn a_union_with_null_keeps_its_other_members() {
        let (s, _, moves) = schema(json!({
            "oneOf": [{"type": "null"}, {"type": "string"}, {"type": ["integer", "null"]}]
        }));
        assert_eq!(
            s,
            json!({"oneOf": [{"type": "string"}, {"type": "integer", "nullable": true}], "nullable": true})
        );
        assert_eq!(
            original_pointer("/components/schemas/S/oneOf/1/type", &moves),
            "/components/schemas/S/oneOf/2/type"
        );
        let (s, w, _) = schema(json!({"anyOf": [{"type": "null"}]}));
        assert_eq!(s, json!({"nullable": true}));
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn a_null_union_with_constraints_of_its_own_is_not_merged() {
        let (s, _, _) = schema(json!({
            "anyOf": [{"type": "string"}, {"type": "null"}], "maxLength": 3
        }));
        assert_eq!(
            s,
            json!({"allOf": [{"type": "string"}], "maxLength": 3, "nullable": true})
        );
    }

    #[test]
    fn nested_null_unions_merge_all_the_way() {
        let (s, _, moves) = schema(json!({
            "anyOf": [{"anyOf": [{"type": "integer", "examples": [3]}, {"type": "null"}]}, {"type": "null"}],
            "title": "N"
        }));
        assert_eq!(
            s,
            json!({"type": "integer", "example": 3, "title": "N", "nullable": true})
        );
        assert_eq!(
            original_pointer("/components/schemas/S/type", &moves),
            "/components/schemas/S/anyOf/0/anyOf/0/type"
        );
    }

    #[test]
    fn const_is_a_one_value_enum_with_a_type() {
        let (s, _, moves) = schema(json!({"const": "cat"}));
        assert_eq!(s, json!({"type": "string", "enum": ["cat"]}));
        assert_eq!(
            original_pointer("/components/schemas/S/enum/0", &moves),
            "/components/schemas/S/const/0"
        );
        let (s, _, _) = schema(json!({"const": 2, "type": "integer", "enum": [1, 2]}));
        assert_eq!(s, json!({"type": "integer", "enum": [2]}));
        let (_, w, _) = schema(json!({"const": 3, "enum": [1, 2]}));
        assert!(w[0].1.contains("not among"), "{w:?}");
    }

    #[test]
    fn exclusive_bounds_take_the_3_0_form() {
        let (s, _, moves) = schema(
            json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5}),
        );
        assert_eq!(
            s,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
        );
        assert_eq!(
            original_pointer("/components/schemas/S/minimum", &moves),
            "/components/schemas/S/exclusiveMinimum"
        );
        // Already in 3.0 form: left alone.
        let (s, _, _) = schema(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}));
        assert_eq!(
            s,
            json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn examples_become_example_on_schemas_only() {
        let (doc, _, _) = translate(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {
                    "schema": {"type": "string", "examples": ["x", "y"]},
                    "examples": {"one": {"value": "x"}}
                }}}}}}}
        }));
        let media = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["schema"], json!({"type": "string", "example": "x"}));
        assert_eq!(media["examples"], json!({"one": {"value": "x"}}));
        parses(&doc);
    }

    #[test]
    fn ref_siblings() {
        // A description stays beside the `$ref` (the resolver reads it there).
        let (s, _, _) =
            schema(json!({"$ref": "#/components/schemas/T", "description": "d", "examples": [1]}));
        assert_eq!(
            s,
            json!({"$ref": "#/components/schemas/T", "description": "d"})
        );
        // Anything that constrains goes beside it in an `allOf`.
        let (s, _, moves) = schema(json!({
            "$ref": "#/components/schemas/T", "readOnly": true, "default": {"a": 1},
            "type": ["object", "null"], "description": "d"
        }));
        assert_eq!(
            s,
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "readOnly": true,
                   "default": {"a": 1}, "nullable": true, "description": "d"})
        );
        assert_eq!(
            original_pointer("/components/schemas/S/allOf/0", &moves),
            "/components/schemas/S/$ref"
        );
        let (s, _, _) = schema(
            json!({"$ref": "#/components/schemas/T", "allOf": [{"required": ["a"]}], "deprecated": true}),
        );
        assert_eq!(
            s,
            json!({"allOf": [{"required": ["a"]}, {"$ref": "#/components/schemas/T"}], "deprecated": true})
        );
    }

    #[test]
    fn content_encoding_and_media_type_give_the_format() {
        let (s, _, _) = schema(json!({"type": "string", "contentEncoding": "base64"}));
        assert_eq!(s, json!({"type": "string", "format": "byte"}));
        let (s, _, _) = schema(json!({"contentMediaType": "image/png"}));
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
        let (s, _, _) = schema(json!({"type": "string", "contentMediaType": "application/json"}));
        assert_eq!(s, json!({"type": "string"}));
        let (s, w, _) = schema(
            json!({"type": "string", "contentMediaType": "application/json", "contentSchema": {"type": "object"}}),
        );
        assert_eq!(s, json!({"type": "string"}));
        assert_eq!(w[0].0, "/components/schemas/S/contentSchema");
    }

    #[test]
    fn tuples_are_arrays_of_their_item_schemas_and_warned() {
        let (s, w, moves) = schema(json!({
            "type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}], "items": false
        }));
        assert_eq!(
            s,
            json!({"type": "array", "maxItems": 2, "items": {"anyOf": [{"type": "number"}, {"type": "string"}]}})
        );
        assert_eq!(w[0].0, "/components/schemas/S/prefixItems");
        assert!(w[0].1.contains("union"), "{w:?}");
        assert_eq!(
            original_pointer("/components/schemas/S/items/anyOf/1", &moves),
            "/components/schemas/S/prefixItems/1"
        );
        // The same schema at every position: an array of it.
        let (s, w, _) = schema(json!({"prefixItems": [{"type": "number"}, {"type": "number"}]}));
        assert_eq!(s, json!({"type": "array", "items": {"type": "number"}}));
        assert!(w[0].1.contains("its one item schema"), "{w:?}");
    }

    #[test]
    fn tuple_members_are_translated_too() {
        let (s, _, _) =
            schema(json!({"prefixItems": [{"type": ["string", "null"]}, {"const": 1}]}));
        assert_eq!(
            s,
            json!({"type": "array", "items": {"anyOf": [
                {"type": "string", "nullable": true},
                {"type": "integer", "enum": [1]},
            ]}})
        );
    }

    #[test]
    fn unevaluated_properties_is_additional_properties_when_safe() {
        let (s, w, _) = schema(
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "unevaluatedProperties": false}),
        );
        assert_eq!(
            s,
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false})
        );
        assert!(w.is_empty());
        let (s, w, _) = schema(
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "unevaluatedProperties": false}),
        );
        assert_eq!(s, json!({"allOf": [{"$ref": "#/components/schemas/T"}]}));
        assert_eq!(w[0].0, "/components/schemas/S/unevaluatedProperties");
    }

    #[test]
    fn pattern_properties_are_the_map_values() {
        let (s, w, _) =
            schema(json!({"type": "object", "patternProperties": {"^x-": {"type": "integer"}}}));
        assert_eq!(
            s,
            json!({"type": "object", "additionalProperties": {"type": "integer"}})
        );
        assert_eq!(w[0].0, "/components/schemas/S/patternProperties");
    }

    #[test]
    fn boolean_schemas() {
        let (s, w, _) = schema(
            json!({"type": "object", "properties": {"a": true, "b": false}, "additionalProperties": false}),
        );
        assert_eq!(
            s,
            json!({"type": "object", "properties": {"a": {}}, "additionalProperties": false})
        );
        assert_eq!(w[0].0, "/components/schemas/S/properties/b");
        let (s, w, _) = schema(json!(false));
        assert_eq!(s, json!({"not": {}}));
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn unchecked_keywords_are_left_out_with_a_warning() {
        let (s, w, _) = schema(json!({
            "type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]},
            "propertyNames": {"maxLength": 3}, "$comment": "c", "$id": "https://x/s"
        }));
        assert_eq!(s, json!({"type": "object"}));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, "/components/schemas/S/if");
        assert!(w[0].1.contains("`if`, `then`, `propertyNames`"), "{w:?}");
    }

    #[test]
    fn anchors_and_local_defs_are_followed() {
        let (doc, w, _) = translate(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {
                "S": {"type": "object", "properties": {
                    "a": {"$ref": "#point"}, "b": {"$ref": "#/$defs/Point"}},
                    "$defs": {"Point": {"$anchor": "point", "type": "object",
                        "properties": {"x": {"type": ["number", "null"]}}}}}
            }}
        }));
        let s = &doc["components"]["schemas"]["S"];
        assert_eq!(
            s["properties"]["a"]["$ref"],
            "#/components/schemas/S/$defs/Point"
        );
        assert_eq!(
            s["properties"]["b"]["$ref"],
            "#/components/schemas/S/$defs/Point"
        );
        assert_eq!(
            s["$defs"]["Point"]["properties"]["x"],
            json!({"type": "number", "nullable": true})
        );
        assert!(s["$defs"]["Point"].get("$anchor").is_none());
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].0, "/components/schemas/S/properties/b/$ref");
        parses(&doc);
    }

    #[test]
    fn webhooks_are_left_out_with_one_warning() {
        let (doc, w, _) = translate(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}},
                         "oldPet": {"post": {"responses": {"200": {"description": "ok"}}}}}
        }));
        assert!(doc.get("webhooks").is_none());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, "/webhooks");
        parses(&doc);
    }

    #[test]
    fn path_items_from_components_are_copied_into_paths() {
        let (doc, _, moves) = translate(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "here"}},
            "components": {"pathItems": {"A": {"get": {"operationId": "a", "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"type": ["string", "null"]}}}}}}}}}
        }));
        let item = &doc["paths"]["/a"];
        assert_eq!(item["summary"], "here");
        assert_eq!(
            item["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "string", "nullable": true})
        );
        // The component stays (for `$ref`s into it), translated too.
        assert_eq!(
            doc["components"]["pathItems"]["A"]["get"]["responses"]["200"]["content"]
                ["application/json"]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            original_pointer("/paths/~1a/get/responses/200", &moves),
            "/components/pathItems/A/get/responses/200"
        );
        parses(&doc);
    }

    #[test]
    fn mutual_tls_is_left_out_of_schemes_and_requirements() {
        let (doc, w, _) = translate(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "security": [{"mtls": []}, {"key": []}],
            "paths": {"/a": {"get": {"security": [{"mtls": [], "key": []}], "responses": {"204": {"description": "ok"}}}}},
            "components": {"securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "k"}}}
        }));
        assert_eq!(doc["security"], json!([{}, {"key": []}]));
        assert_eq!(doc["paths"]["/a"]["get"]["security"], json!([{"key": []}]));
        assert_eq!(w[0].0, "/components/securitySchemes/mtls");
        parses(&doc);
    }

    #[test]
    fn operations_without_responses_get_an_empty_map() {
        let (doc, _, _) = translate(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "a"}}}
        }));
        assert_eq!(doc["paths"]["/a"]["get"]["responses"], json!({}));
        parses(&doc);
    }

    #[test]
    fn parameters_headers_and_callbacks_are_walked() {
        let (doc, _, _) = translate(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": ["integer", "null"], "exclusiveMinimum": 0}}],
                "post": {
                    "parameters": [{"name": "q", "in": "header", "content": {"application/json": {"schema": {"const": "v"}}}}],
                    "requestBody": {"content": {"multipart/form-data": {
                        "schema": {"type": "object", "properties": {"f": {"type": "string", "contentMediaType": "application/octet-stream"}}},
                        "encoding": {"f": {"headers": {"X-H": {"schema": {"type": ["string", "null"]}}}}}}}},
                    "responses": {"200": {"description": "ok", "headers": {"X-R": {"schema": {"type": ["integer", "null"]}}}}},
                    "callbacks": {"cb": {"{$request.body#/url}": {"post": {
                        "requestBody": {"content": {"application/json": {"schema": {"const": 1}}}},
                        "responses": {"200": {"description": "ok"}}}}}}
                }
            }}
        }));
        let a = &doc["paths"]["/a"];
        assert_eq!(
            a["parameters"][0]["schema"],
            json!({"type": "integer", "nullable": true, "minimum": 0, "exclusiveMinimum": true})
        );
        let post = &a["post"];
        assert_eq!(
            post["parameters"][0]["content"]["application/json"]["schema"],
            json!({"type": "string", "enum": ["v"]})
        );
        let form = &post["requestBody"]["content"]["multipart/form-data"];
        assert_eq!(
            form["schema"]["properties"]["f"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            form["encoding"]["f"]["headers"]["X-H"]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            post["responses"]["200"]["headers"]["X-R"]["schema"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            post["callbacks"]["cb"]["{$request.body#/url}"]["post"]["requestBody"]["content"]
                ["application/json"]["schema"],
            json!({"type": "integer", "enum": [1]})
        );
        parses(&doc);
    }

    #[test]
    fn original_pointer_takes_the_longest_move() {
        let moves = vec![
            ("/a/b".to_owned(), "/x".to_owned()),
            ("/a/b/c".to_owned(), "/y".to_owned()),
            ("/a/b/c".to_owned(), "/z".to_owned()),
        ];
        assert_eq!(original_pointer("/a/b/c/d", &moves), "/y/d");
        assert_eq!(original_pointer("/a/b/cc", &moves), "/x/cc");
        assert_eq!(original_pointer("/a/b", &moves), "/x");
        assert_eq!(original_pointer("/a", &moves), "/a");
    }

    #[test]
    fn never_panics_on_odd_shapes() {
        for odd in [
            json!(null),
            json!([]),
            json!({"openapi": "3.1.0", "paths": [], "components": []}),
            json!({"openapi": "3.1.0", "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
                   "components": {"pathItems": {"A": {"$ref": "#/components/pathItems/A"}}}}),
            json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": {"a": 1}, "responses": []}}}}),
            json!({"openapi": "3.1.0", "components": {"schemas": {
                "S": {"type": [1, null, "string"], "anyOf": 3, "oneOf": [null, {"type": "null"}],
                      "prefixItems": [], "items": [true], "properties": [], "$ref": 4,
                      "exclusiveMinimum": "x", "const": null, "patternProperties": {"a": false}},
                "T": {"$ref": "#", "allOf": 1, "nullable": true},
                "U": {"anyOf": [{"type": "null"}, true], "allOf": "x", "title": 1}}}}),
        ] {
            let mut doc = odd;
            let mut sink = Sink::new(Path::new("spec.json"), "");
            let mut moves = Vec::new();
            to_3_0(&mut doc, &mut sink, &mut moves);
        }
    }

    #[test]
    fn deep_nesting_stops_with_a_warning() {
        let mut s = json!({"type": ["string", "null"]});
        for _ in 0..400 {
            s = json!({"type": "array", "items": s});
        }
        let (_, w, _) = schema(s);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].1.contains("levels deep"));
    }
}
