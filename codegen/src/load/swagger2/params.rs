//! Swagger 2.0 parameters and responses in their 3.0 form: non-body parameters get a `schema`,
//! `body` and `formData` parameters become the operation's request body, a response's `schema`
//! its content.

use serde_json::{json, Map, Value};

use super::schema::{reference, schema_of};
use super::{Translator, VALUE_EXTENSIONS, VALUE_KEYWORDS};
use crate::diag::join;

/// Form fields of an operation: the parameter (its reference followed) and where it was.
type FormField<'v> = (&'v Value, String);

impl<'a> Translator<'a, '_, '_> {
    /// An operation's parameters: the ones that stay parameters, and its request body (from its
    /// own `body` or `formData` parameters, else the path's).
    pub(super) fn operation_parameters(
        &mut self,
        own: &[&'a Value],
        shared: &[&'a Value],
        consumes: &[String],
        now: &str,
        before: &str,
    ) -> (Vec<Value>, Option<Value>) {
        let body_at = join(now, "requestBody");
        let mut params = Vec::new();
        let mut body = None;
        let mut form: Vec<FormField<'a>> = Vec::new();
        for (i, param) in own.iter().enumerate() {
            let p_before = join(&join(before, "parameters"), i);
            match self.location(param).as_deref() {
                Some("body") => body = Some(self.body_or_ref(param, consumes, &body_at, &p_before)),
                Some("formData") => {
                    let param = self.deref_parameter(param).unwrap_or(param);
                    form.push((param, p_before));
                }
                _ => {
                    let p_now = join(&join(now, "parameters"), params.len());
                    params.push(self.parameter(param, &p_now, &p_before));
                }
            }
        }
        // A path's body or form fields apply to operations that declare none of their own.
        let path_before = before.rsplit_once('/').map_or("", |(head, _)| head);
        for (i, param) in shared.iter().enumerate() {
            let p_before = join(&join(path_before, "parameters"), i);
            match self.location(param).as_deref() {
                Some("body") if body.is_none() && form.is_empty() => {
                    body = Some(self.body_or_ref(param, consumes, &body_at, &p_before));
                }
                Some("formData") if body.is_none() => {
                    let param = self.deref_parameter(param).unwrap_or(param);
                    form.push((param, p_before));
                }
                _ => {}
            }
        }
        if !form.is_empty() {
            if body.is_some() {
                self.sink.error(
                    &form[0].1,
                    "an operation cannot have both a `body` parameter and `formData` parameters",
                );
            } else {
                body = Some(self.form_body(&form, consumes, &body_at));
            }
        }
        (params, body)
    }

    /// A body parameter, or a reference to one of the document's (now a request body).
    fn body_or_ref(
        &mut self,
        param: &Value,
        consumes: &[String],
        now: &str,
        before: &str,
    ) -> Value {
        match param.get("$ref").and_then(Value::as_str) {
            Some(text) => {
                self.moved(now.to_owned(), before.to_owned());
                let target = text.replacen("#/parameters/", "#/components/requestBodies/", 1);
                json!({ "$ref": target })
            }
            None => self.body(param, consumes, now, before),
        }
    }

    /// A `body` parameter -> a request body with one media type per `consumes` entry; its name
    /// is kept in `x-codegen-request-body-name`.
    pub(super) fn body(
        &mut self,
        param: &Value,
        consumes: &[String],
        now: &str,
        before: &str,
    ) -> Value {
        self.moved(now.to_owned(), before.to_owned());
        let mut out = Map::new();
        copy(param, &mut out, &["description", "required"]);
        let schema = param
            .get("schema")
            .map(schema_of)
            .unwrap_or_else(|| json!({}));
        let mut content = Map::new();
        for ct in consumes {
            let at = join(&join(&join(now, "content"), ct), "schema");
            self.moved(at, join(before, "schema"));
            content.insert(ct.clone(), json!({ "schema": schema }));
        }
        out.insert("content".into(), Value::Object(content));
        if let Some(name) = param.get("name") {
            out.insert("x-codegen-request-body-name".into(), name.clone());
        }
        copy_extensions(param, &mut out, &[]);
        Value::Object(out)
    }

    /// `formData` parameters -> one object body: `multipart/form-data` when the operation
    /// consumes it or a field is a file, else `application/x-www-form-urlencoded`.
    fn form_body(&mut self, fields: &[FormField<'_>], consumes: &[String], now: &str) -> Value {
        let has_file = fields
            .iter()
            .any(|(p, _)| p.get("type").and_then(Value::as_str) == Some("file"));
        let multipart = has_file || consumes.iter().any(|c| c == "multipart/form-data");
        let ct = if multipart {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let schema_at = join(&join(&join(now, "content"), ct), "schema");
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (param, before) in fields {
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                self.sink.error(before, "a form parameter needs a `name`");
                continue;
            };
            let mut schema = self.value_schema(param, before);
            if let (Some(d), Some(s)) = (param.get("description"), schema.as_object_mut()) {
                s.insert("description".into(), d.clone());
            }
            self.moved(join(&join(&schema_at, "properties"), name), before.clone());
            properties.insert(name.to_owned(), schema);
            if param.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(json!(name));
            }
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        // The body is required when one of its fields is.
        let body_required = !required.is_empty();
        if body_required {
            schema["required"] = Value::Array(required);
        }
        json!({ "required": body_required, "content": { ct: { "schema": schema } } })
    }

    /// A non-body parameter: its value keywords become its `schema`, its `collectionFormat`
    /// its `style` and `explode`.
    pub(super) fn parameter(&mut self, param: &Value, now: &str, before: &str) -> Value {
        if let Some(text) = param.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": reference(text) });
        }
        self.moved(now.to_owned(), before.to_owned());
        self.moved(join(now, "schema"), before.to_owned());
        let mut out = Map::new();
        copy(
            param,
            &mut out,
            &[
                "name",
                "in",
                "description",
                "required",
                "allowEmptyValue",
                "deprecated",
            ],
        );
        copy_extensions(param, &mut out, &VALUE_EXTENSIONS);
        let location = param.get("in").and_then(Value::as_str).unwrap_or("");
        if param.get("type").and_then(Value::as_str) == Some("array") {
            let format = param
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            let style = match (location, format) {
                ("query", "csv") => Some(("form", false)),
                ("query", "multi") => Some(("form", true)),
                ("query", "ssv") => Some(("spaceDelimited", false)),
                ("query", "pipes") => Some(("pipeDelimited", false)),
                ("path" | "header", "csv") => Some(("simple", false)),
                _ => None,
            };
            match style {
                Some((style, explode)) => {
                    out.insert("style".into(), json!(style));
                    out.insert("explode".into(), json!(explode));
                }
                None => self.sink.error(
                    &join(before, "collectionFormat"),
                    format!("`collectionFormat: {format}` is not supported in the {location}: use csv, or multi/ssv/pipes in the query"),
                ),
            }
        }
        out.insert("schema".into(), self.value_schema(param, before));
        Value::Object(out)
    }

    /// The value keywords of a non-body parameter, header or `items` object, as a schema.
    fn value_schema(&mut self, source: &Value, pointer: &str) -> Value {
        let mut schema = Map::new();
        for key in VALUE_KEYWORDS {
            let Some(value) = source.get(key) else {
                continue;
            };
            match key {
                "items" => {
                    let items = self.value_schema(value, &join(pointer, "items"));
                    schema.insert("items".into(), items);
                }
                "type" if value.as_str() == Some("file") => {
                    schema.insert("type".into(), json!("string"));
                    schema.insert("format".into(), json!("binary"));
                }
                _ => {
                    schema.insert(key.to_owned(), value.clone());
                }
            }
        }
        for key in VALUE_EXTENSIONS {
            match (key, source.get(key)) {
                ("x-nullable", Some(value)) => {
                    if value.as_bool() == Some(true) {
                        schema.insert("nullable".into(), Value::Bool(true));
                    }
                }
                (_, Some(value)) => {
                    schema.insert(key.to_owned(), value.clone());
                }
                (_, None) => {}
            }
        }
        if source.get("$ref").is_some() {
            return schema_of(source);
        }
        Value::Object(schema)
    }

    /// A response: its `schema` becomes content of each `produces` type, its headers get a
    /// `schema`, its `examples` go to the matching content.
    pub(super) fn response(
        &mut self,
        response: &Value,
        produces: &[String],
        now: &str,
        before: &str,
    ) -> Value {
        if let Some(text) = response.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": reference(text) });
        }
        self.moved(now.to_owned(), before.to_owned());
        let mut out = Map::new();
        let description = response
            .get("description")
            .cloned()
            .unwrap_or_else(|| json!(""));
        out.insert("description".into(), description);
        if let Some(Value::Object(headers)) = response.get("headers") {
            let mut translated = Map::new();
            for (name, header) in headers {
                let h_before = join(&join(before, "headers"), name);
                let h_now = join(&join(now, "headers"), name);
                self.moved(join(&h_now, "schema"), h_before.clone());
                let mut h = Map::new();
                copy(header, &mut h, &["description"]);
                h.insert("schema".into(), self.value_schema(header, &h_before));
                translated.insert(name.clone(), Value::Object(h));
            }
            out.insert("headers".into(), Value::Object(translated));
        }
        if let Some(schema) = response.get("schema") {
            let file = schema.get("type").and_then(Value::as_str) == Some("file");
            let mut types: Vec<String> = produces.to_vec();
            if file && types.iter().all(|t| is_json(t)) {
                types = vec!["application/octet-stream".to_owned()];
            }
            let translated = schema_of(schema);
            let mut content = Map::new();
            for ct in &types {
                let at = join(&join(&join(now, "content"), ct), "schema");
                self.moved(at, join(before, "schema"));
                let mut media = Map::new();
                media.insert("schema".into(), translated.clone());
                if let Some(example) = response.get("examples").and_then(|e| e.get(ct)) {
                    media.insert("example".into(), example.clone());
                }
                content.insert(ct.clone(), Value::Object(media));
            }
            out.insert("content".into(), Value::Object(content));
        }
        copy_extensions(response, &mut out, &[]);
        Value::Object(out)
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
}

fn copy(from: &Value, to: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        if let Some(value) = from.get(*key) {
            to.insert((*key).to_owned(), value.clone());
        }
    }
}

/// Copies the `x-` keys of `from`, but `except`.
fn copy_extensions(from: &Value, to: &mut Map<String, Value>, except: &[&str]) {
    for (key, value) in from.as_object().into_iter().flatten() {
        if key.starts_with("x-") && !except.contains(&key.as_str()) {
            to.insert(key.clone(), value.clone());
        }
    }
}
