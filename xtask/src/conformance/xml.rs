//! A value as XML, for a body the client takes as text (`text/xml`, `application/xml`: the
//! generated function takes the document as a string): written as OpenAPI's `xml` object
//! describes it (element and attribute names, wrapped arrays), by the schema the value was made
//! from, so Prism can read it back against that schema.

use serde_json::Value;

/// `value` of `schema` as an XML document; the root element is the schema's `xml.name`, else
/// the name of the component it refers to, else `root`.
pub fn document(doc: &Value, schema: &Value, value: &Value) -> String {
    let reference = schema.get("$ref").and_then(Value::as_str);
    let s = resolve(doc, schema);
    let name = xml_name(s)
        .or_else(|| reference.and_then(|r| r.rsplit('/').next()))
        .unwrap_or("root")
        .to_owned();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    element(doc, s, &name, value, &mut out, 0);
    out
}

fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..32 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(next) => node = next,
                None => break,
            },
            None => break,
        }
    }
    node
}

fn xml_name(s: &Value) -> Option<&str> {
    s.pointer("/xml/name").and_then(Value::as_str)
}

/// The schema of property `name` of `s` (through `allOf` members).
fn property<'a>(doc: &'a Value, s: &'a Value, name: &str, depth: usize) -> Option<&'a Value> {
    if depth > 8 {
        return None;
    }
    if let Some(p) = s.get("properties").and_then(|p| p.get(name)) {
        return Some(resolve(doc, p));
    }
    s.get("allOf")
        .and_then(Value::as_array)?
        .iter()
        .find_map(|m| property(doc, resolve(doc, m), name, depth + 1))
}

fn element(doc: &Value, s: &Value, name: &str, value: &Value, out: &mut String, depth: usize) {
    match value {
        Value::Array(items) => {
            let item_schema = s
                .get("items")
                .map(|i| resolve(doc, i))
                .unwrap_or(&Value::Null);
            let item_name = xml_name(item_schema).unwrap_or(name).to_owned();
            let wrapped = s.pointer("/xml/wrapped").and_then(Value::as_bool) == Some(true);
            if wrapped {
                out.push_str(&format!("<{name}>"));
            }
            for item in items {
                element(doc, item_schema, &item_name, item, out, depth + 1);
            }
            if wrapped {
                out.push_str(&format!("</{name}>"));
            }
        }
        Value::Object(map) if depth < 32 => {
            let mut attributes = String::new();
            let mut children = String::new();
            for (key, v) in map {
                let p = property(doc, s, key, 0).unwrap_or(&Value::Null);
                let child = xml_name(p).unwrap_or(key);
                if p.pointer("/xml/attribute").and_then(Value::as_bool) == Some(true) {
                    attributes.push_str(&format!(" {child}=\"{}\"", escape(&text(v))));
                } else {
                    element(doc, p, child, v, &mut children, depth + 1);
                }
            }
            out.push_str(&format!("<{name}{attributes}>{children}</{name}>"));
        }
        Value::Null => out.push_str(&format!("<{name}/>")),
        other => out.push_str(&format!("<{name}>{}</{name}>", escape(&text(other)))),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_written_as_the_xml_object_says() {
        let doc = json!({"components": {"schemas": {"Pet": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "xml": {"attribute": true}},
                "name": {"type": "string", "xml": {"name": "Name"}},
                "tags": {"type": "array", "xml": {"wrapped": true},
                    "items": {"type": "string", "xml": {"name": "tag"}}},
                "aliases": {"type": "array", "items": {"type": "string"}}}}}}});
        let schema = json!({"$ref": "#/components/schemas/Pet"});
        let value = json!({"id": 1, "name": "a<b", "tags": ["x", "y"], "aliases": ["p", "q"]});
        assert_eq!(
            document(&doc, &schema, &value),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Pet id=\"1\"><Name>a&lt;b</Name>\
             <tags><tag>x</tag><tag>y</tag></tags><aliases>p</aliases><aliases>q</aliases></Pet>"
        );
    }
}
