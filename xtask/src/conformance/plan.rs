//! The arguments of every call: for each operation of the model, the spec's own examples of its
//! parameters and body first (when they satisfy their schema), else values made from the schema
//! ([`values`](super::values)), as JSON the driver deserializes into the generated types.

use serde_json::{json, Map, Value};

use codegen::model::{Api, Encoding, Location, Operation};

use super::classify::Schemas;
use super::values::Synth;

/// The schema of a body that declares none: any value.
static ANY: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| json!({}));

/// The operation's place in the document: `#/paths/<key>/<method>`, where the key is the
/// model's path or, for a path key that carries a query or a fragment (AWS's `/#Action=Send`,
/// which the model's path leaves out), one that starts with it.
pub fn operation<'a>(doc: &'a Value, op: &Operation) -> Option<&'a Value> {
    path_item(doc, op)?.get(op.method.as_str().to_ascii_lowercase())
}

/// The path item of the operation (see [`operation`]): the one under the model's path that has
/// the operation, else one under a key that starts with it (`/tags/{arn}#tagKeys` beside
/// `/tags/{arn}`).
pub fn path_item<'a>(doc: &'a Value, op: &Operation) -> Option<&'a Value> {
    path_entry(doc, op).map(|(_, item)| item)
}

/// The key of the operation's path item in `#/paths` (see [`path_item`]).
pub fn path_key<'a>(doc: &'a Value, op: &Operation) -> Option<&'a str> {
    path_entry(doc, op).map(|(key, _)| key.as_str())
}

fn path_entry<'a>(doc: &'a Value, op: &Operation) -> Option<(&'a String, &'a Value)> {
    let paths = doc.get("paths")?.as_object()?;
    let method = op.method.as_str().to_ascii_lowercase();
    let exact = paths.get_key_value(&op.path);
    let others = paths.iter().filter(|(key, _)| {
        key.strip_prefix(op.path.as_str())
            .is_some_and(|rest| rest.starts_with(['?', '#']))
    });
    exact.into_iter().chain(others).find(|(key, item)| {
        // The spec's operationId, or the one the generator made from method and path key
        // (`get /search?query={query}`) when it has none.
        match item.get(&method).map(|o| o.get("operationId")) {
            None => false,
            Some(Some(id)) => id.as_str() == Some(op.operation_id.as_str()),
            Some(None) => op.operation_id == format!("{method} {key}"),
        }
    })
}

/// One operation's arguments and where each came from.
pub struct Planned {
    /// `{"params": {<rust name>: value}, "body": value}`.
    pub args: Value,
    /// The inputs whose value is the spec's example (the others were made from the schema).
    pub from_examples: Vec<String>,
    /// Examples of the spec that contradict their own schema (replaced by made values).
    pub bad_examples: Vec<String>,
}

/// The arguments of every operation of `api`, in its order.
pub fn plan(api: &Api, doc: &Value, schemas: &mut Schemas, seed: u64) -> Vec<Planned> {
    let mut synth = Synth::new(doc, seed);
    api.operations
        .iter()
        .map(|op| plan_one(op, doc, schemas, &mut synth))
        .collect()
}

/// A parameter's declaration: the operation's, else the path item's, by name and place.
fn parameter<'a>(
    doc: &'a Value,
    synth: &Synth<'a>,
    op: &Operation,
    wire: &str,
    location: Location,
) -> Option<&'a Value> {
    let item = path_item(doc, op)?;
    let own = operation(doc, op).and_then(|o| o.get("parameters"));
    let shared = item.get("parameters");
    let declared: Vec<&Value> = [own, shared]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| synth.resolve(p))
        .collect();
    let named = |p: &&Value| p.get("name").and_then(Value::as_str) == Some(wire);
    // By name and place; by name alone when the generator moved it (a `?name={name}` written
    // into the path is a query parameter).
    declared
        .iter()
        .find(|p| named(p) && p.get("in").and_then(Value::as_str) == Some(location.as_str()))
        .or_else(|| declared.iter().find(|p| named(p)))
        .copied()
}

/// The examples a parameter or media type gives, in the spec's order: `example`, then each of
/// `examples` (their `value`).
fn examples<'a>(synth: &Synth<'a>, node: &'a Value) -> Vec<&'a Value> {
    let mut out = Vec::new();
    if let Some(e) = node.get("example").filter(|e| !e.is_null()) {
        out.push(e);
    }
    if let Some(map) = node.get("examples").and_then(Value::as_object) {
        for e in map.values() {
            if let Some(v) = synth.resolve(e).get("value").filter(|v| !v.is_null()) {
                out.push(v);
            }
        }
    }
    out
}

/// A value for `schema` (at `key`): the first example that satisfies it, else the schema's own
/// examples, else made from the schema alone.
fn choose<'a>(
    key: &str,
    schema: &'a Value,
    given: &[&'a Value],
    schemas: &mut Schemas,
    synth: &mut Synth<'a>,
    planned: &mut Planned,
    name: &str,
) -> Value {
    for example in given {
        if schemas.check(key, schema, example).is_ok() {
            planned.from_examples.push(name.to_owned());
            return (*example).clone();
        }
        planned
            .bad_examples
            .push(format!("{key}: example of `{name}`"));
    }
    synth.examples = true;
    let made = synth.value(schema);
    if schemas.check(key, schema, &made).is_ok() {
        return made;
    }
    synth.examples = false;
    let plain = synth.value(schema);
    synth.examples = true;
    if schemas.check(key, schema, &plain).is_ok() {
        return plain;
    }
    // Neither satisfies the schema: the one with the spec's examples, and the request's
    // validation will tell.
    made
}

fn plan_one<'a>(
    op: &Operation,
    doc: &'a Value,
    schemas: &mut Schemas,
    synth: &mut Synth<'a>,
) -> Planned {
    let mut planned = Planned {
        args: Value::Null,
        from_examples: Vec::new(),
        bad_examples: Vec::new(),
    };
    // The operation's own place (the cache of compiled schemas is keyed by it): the model's
    // path is shared by operations whose keys differ in a query or a fragment.
    let key = path_key(doc, op).unwrap_or(&op.path);
    let base = format!(
        "#/paths/{}/{}",
        key.replace('~', "~0").replace('/', "~1"),
        op.method.as_str().to_ascii_lowercase()
    );
    let mut params = Map::new();
    for p in &op.params {
        let Some(declared) = parameter(doc, synth, op, &p.wire, p.location) else {
            continue;
        };
        let content_schema = declared
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.values().next())
            .and_then(|m| m.get("schema"));
        let Some(schema) = declared.get("schema").or(content_schema) else {
            continue;
        };
        let given = examples(synth, declared);
        let key = format!("{base}/parameters/{}/{}", p.location.as_str(), p.wire);
        let v = choose(&key, schema, &given, schemas, synth, &mut planned, &p.name);
        params.insert(p.name.clone(), v);
    }
    let mut args = json!({ "params": params });
    if let Some(body) = &op.body {
        let media = operation(doc, op)
            .and_then(|o| o.get("requestBody"))
            .map(|b| synth.resolve(b))
            .and_then(|b| b.get("content"))
            .and_then(|c| c.get(&body.content_type));
        if let (Some(media), false) = (media, body.encoding == Encoding::RawMultipart) {
            let schema: &'a Value = media.get("schema").unwrap_or(&ANY);
            let given = examples(synth, media);
            let key = format!("{base}/requestBody/{}", body.content_type);
            let v = choose(
                &key,
                schema,
                &given,
                schemas,
                synth,
                &mut planned,
                &body.name,
            );
            // A document the client takes as text (`text/xml` of an object schema): written
            // as the text it stands for.
            let v = match (&v, body.encoding) {
                (Value::Object(_) | Value::Array(_), Encoding::Text | Encoding::Bytes) => {
                    if body.content_type.contains("xml") {
                        Value::String(super::xml::document(doc, schema, &v))
                    } else {
                        Value::String(v.to_string())
                    }
                }
                _ => v,
            };
            args["body"] = v;
        }
    }
    planned.args = args;
    planned
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path key that carries its query (`/search?query={query}`) is found for the operation
    /// the generator made of it, with or without an operationId, and so are its parameters'
    /// examples.
    #[test]
    fn operations_of_path_keys_with_a_query_are_found() {
        let text = r#"
openapi: 3.0.3
info: {title: Search, version: '1'}
paths:
  /search/articles?query={query}:
    get:
      parameters:
        - {name: query, in: query, required: true, schema: {type: string, example: startup}}
      responses: {'204': {description: ok}}
  /tags/{arn}:
    get:
      operationId: listTags
      parameters:
        - {name: arn, in: path, required: true, schema: {type: string, example: a}}
      responses: {'204': {description: ok}}
  /tags/{arn}#tagKeys:
    delete:
      operationId: untag
      parameters:
        - {name: arn, in: path, required: true, schema: {type: string, example: b}}
        - {name: tagKeys, in: query, required: true, schema: {type: array, items: {type: string}}}
      responses: {'204': {description: ok}}
  /search/lists?query={query}:
    get:
      operationId: searchLists
      parameters:
        - {name: query, in: query, required: true, schema: {type: string, example: ai}}
      responses: {'204': {description: ok}}
"#;
        let spec = codegen::Spec::new("search.yaml", text.to_owned());
        let doc = spec.load().unwrap().raw;
        let (api, _) = codegen::model_of(&spec).unwrap();
        let mut schemas = Schemas::new(&doc);
        let planned = plan(&api, &doc, &mut schemas, 1);
        let ids: Vec<&str> = api
            .operations
            .iter()
            .map(|o| o.operation_id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "get /search/articles?query={query}",
                "listTags",
                "untag",
                "searchLists"
            ]
        );
        let values: Vec<&Value> = planned
            .iter()
            .map(|p| {
                let params = &p.args["params"];
                params.get("query").unwrap_or(&params["arn"])
            })
            .collect();
        assert_eq!(
            values,
            [&json!("startup"), &json!("a"), &json!("b"), &json!("ai")]
        );
    }
}
