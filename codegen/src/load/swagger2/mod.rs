//! Swagger 2.0 -> OpenAPI 3.0, on the JSON tree, so that the resolver reads one format.
//!
//! What moves: `definitions`, `parameters`, `responses` and `securityDefinitions` become
//! `components`; `body` parameters become request bodies (one media type per `consumes`
//! entry), `formData` parameters the properties of a form or `multipart/form-data` body;
//! a response's `schema` becomes its content (one per `produces` entry); a non-body
//! parameter's or header's type keywords become its `schema`, `collectionFormat` its `style` and
//! `explode`; `host`, `basePath` and `schemes` (or Azure's `x-ms-parameterized-host`) become
//! `servers`; `x-nullable` becomes `nullable`, a 2.0 `discriminator` (a property name) a 3.0 one
//! with the mapping its subtypes' `x-ms-discriminator-value`s give; `type: file` is binary.
//! Azure's `x-ms-paths` are merged into `paths` (their `?query` keys are the resolver's
//! business); `x-ms-examples` are dropped without reading the example files. Every other
//! vendor extension stays where it was, for the resolver.
//!
//! Every node that moves is recorded (its pointer now -> its pointer in the 2.0 document), so a
//! diagnostic found later names the place in the file as written.

use serde_json::{json, Map, Value};

use super::METHODS;
use crate::diag::{join, Sink};

/// Rewrites the Swagger 2.0 document `doc` into OpenAPI 3.0.3.
pub(crate) fn to_3_0(doc: &mut Value, sink: &mut Sink<'_>, moves: &mut Vec<(String, String)>) {
    let Value::Object(old) = std::mem::take(doc) else {
        sink.error("", "a Swagger 2.0 document must be an object");
        return;
    };
    let media = |key: &str| -> Vec<String> {
        old.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut t = Translator {
        consumes: media("consumes"),
        produces: media("produces"),
        old: &old,
        sink,
        moves,
    };
    *doc = Value::Object(t.document());
}

struct Translator<'a, 's, 'm> {
    old: &'a Map<String, Value>,
    sink: &'a mut Sink<'s>,
    moves: &'m mut Vec<(String, String)>,
    /// The document's `consumes` and `produces`.
    consumes: Vec<String>,
    produces: Vec<String>,
}

/// The media types of an operation: its own, else the document's, else JSON.
fn media_types(own: Option<&Value>, global: &[String]) -> Vec<String> {
    let own: Vec<String> = own
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if !own.is_empty() {
        own
    } else if !global.is_empty() {
        global.to_vec()
    } else {
        vec!["application/json".to_owned()]
    }
}

/// Keywords of a 2.0 non-body parameter, header or `items` that describe its value: they go to
/// the 3.0 `schema`.
const VALUE_KEYWORDS: [&str; 16] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// Extensions of a parameter that describe its value rather than the parameter.
const VALUE_EXTENSIONS: [&str; 3] = ["x-ms-enum", "x-ms-secret", "x-nullable"];

impl<'a> Translator<'a, '_, '_> {
    fn moved(&mut self, now: String, before: String) {
        super::record_move(self.moves, now, before);
    }

    fn document(&mut self) -> Map<String, Value> {
        let old = self.old;
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        for (key, value) in old {
            let keep = matches!(key.as_str(), "info" | "tags" | "externalDocs" | "security")
                || (key.starts_with("x-")
                    && !matches!(key.as_str(), "x-ms-paths" | "x-ms-parameterized-host"));
            if keep {
                out.insert(key.clone(), value.clone());
            }
        }
        out.insert("servers".into(), Value::Array(self.servers()));
        out.insert("paths".into(), Value::Object(self.paths()));
        let components = self.components();
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        out
    }

    /// `host`, `basePath` and `schemes`, or Azure's `x-ms-parameterized-host`.
    fn servers(&mut self) -> Vec<Value> {
        let old = self.old;
        let base = old.get("basePath").and_then(Value::as_str).unwrap_or("");
        let base = base.trim_end_matches('/');
        if let Some(host) = old.get("x-ms-parameterized-host") {
            return self.parameterized_host(host, base).into_iter().collect();
        }
        let Some(host) = old.get("host").and_then(Value::as_str) else {
            let url = if base.is_empty() { "/" } else { base };
            return vec![json!({ "url": url })];
        };
        let schemes: Vec<&str> = old
            .get("schemes")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let scheme = if schemes.is_empty() || schemes.contains(&"https") {
            "https"
        } else {
            schemes[0]
        };
        vec![json!({ "url": format!("{scheme}://{host}{base}") })]
    }

    /// Azure's `x-ms-parameterized-host`: a host template whose `{name}`s are server variables.
    fn parameterized_host(&mut self, host: &'a Value, base: &str) -> Option<Value> {
        let pointer = "/x-ms-parameterized-host";
        let Some(template) = host.get("hostTemplate").and_then(Value::as_str) else {
            self.sink
                .error(pointer, "`x-ms-parameterized-host` needs a `hostTemplate`");
            return None;
        };
        let prefix = host.get("useSchemePrefix").and_then(Value::as_bool) != Some(false);
        let scheme = if prefix { "https://" } else { "" };
        let mut variables = Map::new();
        let params = host.get("parameters").and_then(Value::as_array);
        for (i, param) in params.into_iter().flatten().enumerate() {
            let param = self.deref_parameter(param).unwrap_or(param);
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                continue;
            };
            let default = param.get("default").and_then(Value::as_str);
            if default.is_none() {
                self.sink.warn(
                    &join(&join(pointer, "parameters"), i),
                    format!("the host's `{{{name}}}` has no default: callers set the base URL on the client (`ClientBuilder::base_url`)"),
                );
            }
            let mut variable = Map::new();
            variable.insert("default".into(), json!(default.unwrap_or("")));
            if let Some(d) = param.get("description") {
                variable.insert("description".into(), d.clone());
            }
            variables.insert(name.to_owned(), Value::Object(variable));
        }
        let mut server = Map::new();
        server.insert("url".into(), json!(format!("{scheme}{template}{base}")));
        if !variables.is_empty() {
            server.insert("variables".into(), Value::Object(variables));
        }
        Some(Value::Object(server))
    }

    /// `#/parameters/X` -> the parameter it names.
    fn deref_parameter(&self, param: &'a Value) -> Option<&'a Value> {
        let name = param.get("$ref")?.as_str()?.strip_prefix("#/parameters/")?;
        self.old
            .get("parameters")?
            .get(crate::diag::unescape_token(name))
    }

    fn components(&mut self) -> Map<String, Value> {
        let old = self.old;
        let mut out = Map::new();
        let mut schemas = Map::new();
        if let Some(Value::Object(definitions)) = old.get("definitions") {
            let mapping = discriminator_values(definitions);
            for (name, schema) in definitions {
                let mut translated = schema_of(schema);
                if let Some(values) = mapping.get(name) {
                    add_mapping(&mut translated, values);
                }
                schemas.insert(name.clone(), translated);
            }
            self.moved("/components/schemas".into(), "/definitions".into());
        }
        let (parameters, bodies) = self.global_parameters();
        let mut responses = Map::new();
        if let Some(Value::Object(old_responses)) = old.get("responses") {
            let produces = self.produces.clone();
            for (name, response) in old_responses {
                let before = join("/responses", name);
                let now = join("/components/responses", name);
                responses.insert(
                    name.clone(),
                    self.response(response, &produces, &now, &before),
                );
            }
        }
        let mut schemes = Map::new();
        if let Some(Value::Object(definitions)) = old.get("securityDefinitions") {
            for (name, scheme) in definitions {
                let pointer = join("/securityDefinitions", name);
                if let Some(s) = self.security_scheme(scheme, &pointer) {
                    schemes.insert(name.clone(), s);
                    self.moved(join("/components/securitySchemes", name), pointer);
                }
            }
        }
        for (key, map) in [
            ("schemas", schemas),
            ("parameters", parameters),
            ("requestBodies", bodies),
            ("responses", responses),
            ("securitySchemes", schemes),
        ] {
            if !map.is_empty() {
                out.insert(key.into(), Value::Object(map));
            }
        }
        out
    }

    /// The document's `parameters`: body ones become request bodies, form ones are used where
    /// referenced (they merge into their operation's form body).
    fn global_parameters(&mut self) -> (Map<String, Value>, Map<String, Value>) {
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        let Some(Value::Object(old)) = self.old.get("parameters") else {
            return (parameters, bodies);
        };
        let consumes = media_types(None, &self.consumes);
        for (name, param) in old {
            let before = join("/parameters", name);
            match param.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let now = join("/components/requestBodies", name);
                    bodies.insert(name.clone(), self.body(param, &consumes, &now, &before));
                }
                Some("formData") => {}
                _ => {
                    let now = join("/components/parameters", name);
                    parameters.insert(name.clone(), self.parameter(param, &now, &before));
                }
            }
        }
        (parameters, bodies)
    }

    fn security_scheme(&mut self, scheme: &Value, pointer: &str) -> Option<Value> {
        let mut out = Map::new();
        let kind = scheme.get("type").and_then(Value::as_str);
        let copy = |out: &mut Map<String, Value>, keys: &[&str]| {
            for key in keys {
                if let Some(v) = scheme.get(*key) {
                    out.insert((*key).to_owned(), v.clone());
                }
            }
        };
        match kind {
            Some("basic") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("apiKey") => {
                out.insert("type".into(), json!("apiKey"));
                copy(&mut out, &["name", "in"]);
            }
            Some("oauth2") => {
                out.insert("type".into(), json!("oauth2"));
                let flow = scheme.get("flow").and_then(Value::as_str).unwrap_or("");
                let name = match flow {
                    "implicit" => "implicit",
                    "password" => "password",
                    "application" => "clientCredentials",
                    "accessCode" => "authorizationCode",
                    other => {
                        self.sink.error(
                            &join(pointer, "flow"),
                            format!("unknown OAuth2 flow `{other}`: expected implicit, password, application or accessCode"),
                        );
                        return None;
                    }
                };
                let mut f = Map::new();
                copy(&mut f, &["authorizationUrl", "tokenUrl"]);
                let scopes = scheme.get("scopes").cloned().unwrap_or_else(|| json!({}));
                f.insert("scopes".into(), scopes);
                out.insert("flows".into(), json!({ name: f }));
            }
            other => {
                let other = other.map_or_else(|| "(none)".to_owned(), |t| format!("`{t}`"));
                self.sink.error(
                    &join(pointer, "type"),
                    format!(
                        "unknown security scheme type {other}: expected basic, apiKey or oauth2"
                    ),
                );
                return None;
            }
        }
        copy(&mut out, &["description"]);
        for (key, value) in scheme.as_object().into_iter().flatten() {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Some(Value::Object(out))
    }

    fn paths(&mut self) -> Map<String, Value> {
        let old = self.old;
        let mut out = Map::new();
        for section in ["paths", "x-ms-paths"] {
            let Some(Value::Object(paths)) = old.get(section) else {
                continue;
            };
            for (path, item) in paths {
                if path.starts_with("x-") {
                    continue;
                }
                let before = join(&join("", section), path);
                let now = join("/paths", path);
                if out.contains_key(path) {
                    self.sink.error(
                        &before,
                        format!("the path {path:?} is in both `paths` and `x-ms-paths`"),
                    );
                    continue;
                }
                let item = self.path_item(item, &now, &before);
                out.insert(path.clone(), item);
            }
        }
        out
    }

    fn path_item(&mut self, item: &'a Value, now: &str, before: &str) -> Value {
        let Some(map) = item.as_object() else {
            return item.clone();
        };
        if let Some(reference) = map.get("$ref") {
            return json!({ "$ref": reference });
        }
        self.moved(now.to_owned(), before.to_owned());
        let shared: Vec<&Value> = map
            .get("parameters")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let mut out = Map::new();
        for (key, value) in map {
            if METHODS.contains(&key.as_str()) {
                let op = self.operation(value, &shared, &join(now, key), &join(before, key));
                out.insert(key.clone(), op);
            } else if key != "parameters" {
                out.insert(key.clone(), value.clone());
            }
        }
        // Parameters shared by the path's operations stay shared, except bodies and form
        // fields, which each operation's request body took.
        let mut kept = Vec::new();
        for (i, param) in shared.iter().enumerate() {
            let location = self.location(param);
            if matches!(location.as_deref(), Some("body" | "formData")) {
                continue;
            }
            let p_now = join(&join(now, "parameters"), kept.len());
            let p_before = join(&join(before, "parameters"), i);
            kept.push(self.parameter(param, &p_now, &p_before));
        }
        if !kept.is_empty() {
            out.insert("parameters".into(), Value::Array(kept));
        }
        Value::Object(out)
    }

    /// Where a parameter (or the parameter it references) goes.
    fn location(&self, param: &'a Value) -> Option<String> {
        let param = self.deref_parameter(param).unwrap_or(param);
        param.get("in").and_then(Value::as_str).map(str::to_owned)
    }

    fn operation(&mut self, op: &'a Value, shared: &[&'a Value], now: &str, before: &str) -> Value {
        let Some(map) = op.as_object() else {
            return op.clone();
        };
        let consumes = media_types(map.get("consumes"), &self.consumes);
        let produces = media_types(map.get("produces"), &self.produces);
        let mut out = Map::new();
        for (key, value) in map {
            let skip = matches!(
                key.as_str(),
                "parameters" | "responses" | "consumes" | "produces" | "schemes" | "x-ms-examples"
            );
            if !skip {
                out.insert(key.clone(), value.clone());
            }
        }
        let own: Vec<&Value> = map
            .get("parameters")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let (params, body) = self.operation_parameters(&own, shared, &consumes, now, before);
        if !params.is_empty() {
            out.insert("parameters".into(), Value::Array(params));
        }
        if let Some(body) = body {
            out.insert("requestBody".into(), body);
        }
        let mut responses = Map::new();
        if let Some(Value::Object(old)) = map.get("responses") {
            for (status, response) in old {
                let r_now = join(&join(now, "responses"), status);
                let r_before = join(&join(before, "responses"), status);
                if status.starts_with("x-") {
                    responses.insert(status.clone(), response.clone());
                    continue;
                }
                let r = self.response(response, &produces, &r_now, &r_before);
                responses.insert(status.clone(), r);
            }
        }
        out.insert("responses".into(), Value::Object(responses));
        Value::Object(out)
    }
}

mod params;
mod schema;

use schema::{add_mapping, discriminator_values, schema_of};

#[cfg(test)]
mod tests;
