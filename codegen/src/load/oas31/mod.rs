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

mod keywords;
mod nulls;
mod refs;
mod schema;
#[cfg(test)]
mod tests;
mod types;

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::{Map, Value};

use super::METHODS;
use crate::diag::{join, Sink};

use refs::Pending;

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
        super::record_move(self.moves, now, before);
    }

    fn document(&mut self, doc: &mut Value) {
        let Some(map) = doc.as_object_mut() else {
            return;
        };
        self.top_level(map);
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
        self.drop_mutual_tls(map);
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

    /// The top-level fields with no 3.0 form: `openapi`, `jsonSchemaDialect`, `info.summary`,
    /// `info.license.identifier`, `webhooks`.
    fn top_level(&mut self, map: &mut Map<String, Value>) {
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
    }

    /// `mutualTLS` security schemes, left out (and remembered, to leave them out of security
    /// requirements too).
    fn drop_mutual_tls(&mut self, map: &mut Map<String, Value>) {
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
        self.parameters(map, now, &before);
        for method in METHODS {
            if let Some(op) = map.get_mut(method).and_then(Value::as_object_mut) {
                self.operation(op, &join(now, method), &join(&before, method));
            }
        }
    }

    fn operation(&mut self, op: &mut Map<String, Value>, now: &str, before: &str) {
        self.parameters(op, now, before);
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
                let (n, b) = child(now, before, "responses", code);
                self.response(response, &n, &b);
            }
        }
        if let Some(callbacks) = op.get_mut("callbacks").and_then(Value::as_object_mut) {
            for (name, callback) in callbacks.iter_mut() {
                let (n, b) = child(now, before, "callbacks", name);
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
        self.headers(map, now, before);
        self.content_of(response, now, before);
    }

    /// The `parameters` of a path item or an operation.
    fn parameters(&mut self, owner: &mut Map<String, Value>, now: &str, before: &str) {
        if let Some(Value::Array(params)) = owner.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                let (n, b) = child(now, before, "parameters", i);
                self.parameter(p, &n, &b);
            }
        }
    }

    /// The `headers` of a response or of a part's encoding.
    fn headers(&mut self, owner: &mut Map<String, Value>, now: &str, before: &str) {
        if let Some(headers) = owner.get_mut("headers").and_then(Value::as_object_mut) {
            for (name, header) in headers.iter_mut() {
                let (n, b) = child(now, before, "headers", name);
                self.parameter(header, &n, &b);
            }
        }
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
            let (n, b) = child(now, before, "content", media_type);
            let Some(media) = media.as_object_mut() else {
                continue;
            };
            if let Some(schema) = media.get_mut("schema") {
                let sn = join(&n, "schema");
                self.schema(schema, &sn, &join(&b, "schema"), &sn);
            }
            if let Some(encoding) = media.get_mut("encoding").and_then(Value::as_object_mut) {
                for (part, e) in encoding.iter_mut() {
                    if let Some(e) = e.as_object_mut() {
                        let (pn, pb) = child(&n, &b, "encoding", part);
                        self.headers(e, &pn, &pb);
                    }
                }
            }
        }
    }
}

/// A child's pointer in the translated document and in the file: `now/key/token` and
/// `before/key/token`.
fn child(now: &str, before: &str, key: &str, token: impl fmt::Display) -> (String, String) {
    let token = token.to_string();
    (
        join(&join(now, key), &token),
        join(&join(before, key), &token),
    )
}
