//! Text -> JSON: YAML (a superset of JSON) or JSON, into one `serde_json::Value` tree, and
//! deserialization paths as JSON pointers.

/// YAML (a superset of JSON) -> JSON tree. Non-string keys (`200:` unquoted) become strings,
/// merge keys (`<<`) are applied.
pub(crate) fn to_json(text: &str) -> Result<serde_json::Value, (String, Option<usize>)> {
    // A JSON document (every big published spec is one) skips the YAML parser, which is an
    // order of magnitude slower on it; anything serde_json refuses takes the YAML path, which
    // reports the error with its line.
    if text.trim_start().starts_with('{') {
        if let Ok(value) = serde_json::from_str(text) {
            return Ok(value);
        }
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        (format!("not valid YAML or JSON: {e}"), line)
    })?;
    yaml.apply_merge()
        .map_err(|e| (format!("invalid YAML merge key: {e}"), None))?;
    yaml_to_json(yaml)
}

fn yaml_to_json(value: serde_yaml::Value) -> Result<serde_json::Value, (String, Option<usize>)> {
    use serde_json::Value as J;
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(J::Number)
                    .ok_or_else(|| (format!("number {f} cannot be represented in JSON"), None))?
            }
        }
        Y::String(s) => J::String(s),
        Y::Sequence(items) => J::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => {
                        return Err((format!("unsupported mapping key {other:?}"), None));
                    }
                };
                out.insert(key, yaml_to_json(v)?);
            }
            J::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = crate::diag::join(&pointer, index),
            Segment::Map { key } => pointer = crate::diag::join(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}
