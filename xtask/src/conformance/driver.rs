//! The driver of a generated client, generated from the same model: one function per operation
//! that decodes its arguments (JSON, from the plan) into the generated types, calls the
//! operation as a user would (required inputs positional, optional ones by their setters) and
//! judges the answer (`finish` of `xtask/driver/main.rs`, the runner this module joins).

use std::fmt::Write as _;

use codegen::emit::spelling::{self, Spelled};
use codegen::model::{Api, Encoding, Operation, SchemeKind};

/// Prelude names in full: a module's own `Vec` or `Option` type must not shadow them.
fn full(name: &'static str) -> &'static str {
    match name {
        "Vec" => "::std::vec::Vec",
        "String" => "::std::string::String",
        "Option" => "::std::option::Option",
        "Box" => "::std::boxed::Box",
        "Result" => "::std::result::Result",
        other => other,
    }
}

/// A spelled type as the driver writes it: the module's types by their path in the client
/// crate `module`.
fn spell(s: &Spelled, module: &str) -> String {
    match s {
        Spelled::Path(p) if p.starts_with("rt::") => {
            format!("::openapi_rustgen_runtime::{}", &p[4..])
        }
        Spelled::Path(p) => (*p).to_owned(),
        Spelled::Named(n) => format!("{module}::{n}"),
        Spelled::Generic(p, args) => {
            let args: Vec<String> = args.iter().map(|a| spell(a, module)).collect();
            format!("{p}<{}>", args.join(", "))
        }
        Spelled::Ref(inner) => format!("&{}", spell(inner, module)),
        Spelled::Slice(inner) => format!("&[{}]", spell(inner, module)),
        Spelled::Unit => "()".to_owned(),
    }
}

/// How an input is held by the driver and passed to the call.
enum Pass {
    /// Owned and moved in (numbers, enums, dates).
    Value(String),
    /// Owned, passed by reference (`&str` from a `String`, `&[T]` from a `Vec<T>`, `&T`).
    Ref(String),
    /// `&[&str]`: owned `Vec<String>`, borrowed as a `Vec<&str>`.
    Strs,
    /// `&[u8]`: bytes from a string.
    Bytes,
}

fn pass_of(s: &Spelled, module: &str) -> Pass {
    match s {
        Spelled::Ref(inner) if **inner == Spelled::Path("str") => {
            Pass::Ref("::std::string::String".to_owned())
        }
        Spelled::Ref(inner) => Pass::Ref(spell(inner, module)),
        Spelled::Slice(inner) if **inner == Spelled::Path("u8") => Pass::Bytes,
        Spelled::Slice(inner) => match &**inner {
            Spelled::Ref(s) if **s == Spelled::Path("str") => Pass::Strs,
            other => Pass::Ref(format!("::std::vec::Vec<{}>", spell(other, module))),
        },
        other => Pass::Value(spell(other, module)),
    }
}

/// One input of a call: its name (the setter's, and the key of its argument) and how it goes.
struct Input {
    name: String,
    key: String,
    required: bool,
    body: bool,
    pass: Pass,
}

fn inputs(op: &Operation, module: &str) -> Option<Vec<Input>> {
    let mut out = Vec::new();
    for p in &op.params {
        let spelled = spelling::param(&full, &p.ty);
        out.push(Input {
            name: p.name.clone(),
            key: p.name.clone(),
            required: p.required,
            body: false,
            pass: pass_of(&spelled, module),
        });
    }
    if let Some(b) = &op.body {
        if b.encoding == Encoding::RawMultipart {
            return None;
        }
        let spelled = spelling::borrowed(&full, &b.ty);
        out.push(Input {
            name: b.name.clone(),
            key: "body".to_owned(),
            required: b.required,
            body: true,
            pass: pass_of(&spelled, module),
        });
    }
    Some(out)
}

/// The statement that decodes input `i` into local `v{i}` (and `v{i}s` for string lists).
fn decode(i: usize, input: &Input) -> String {
    let ty = match &input.pass {
        Pass::Value(t) | Pass::Ref(t) => t.clone(),
        Pass::Strs => "::std::vec::Vec<::std::string::String>".to_owned(),
        Pass::Bytes => "::std::vec::Vec<u8>".to_owned(),
    };
    let (ty, getter) = match (input.required, input.body, &input.pass) {
        (true, true, Pass::Bytes) => (ty, "a.body_bytes()".to_owned()),
        (false, true, Pass::Bytes) => (opt(&ty), "a.body_bytes_opt()".to_owned()),
        (true, true, _) => (ty, "a.body()".to_owned()),
        (false, true, _) => (opt(&ty), "a.body_opt()".to_owned()),
        (true, false, _) => (ty, format!("a.req({:?})", input.key)),
        (false, false, _) => (opt(&ty), format!("a.opt({:?})", input.key)),
    };
    let mut s = format!("        let v{i}: {ty} = {getter}?;\n");
    if let Pass::Strs = input.pass {
        if input.required {
            let _ = writeln!(s, "        let v{i}s = crate::strs(&v{i});");
        } else {
            let _ = writeln!(s, "        let v{i}s = v{i}.as_deref().map(crate::strs);");
        }
    }
    s
}

fn opt(ty: &str) -> String {
    format!("::std::option::Option<{ty}>")
}

/// The argument expression of a required input.
fn argument(i: usize, input: &Input) -> String {
    match input.pass {
        Pass::Value(_) => format!("v{i}"),
        Pass::Ref(_) | Pass::Bytes => format!("&v{i}"),
        Pass::Strs => format!("&v{i}s"),
    }
}

/// The setter call of an optional input, when it has a value.
fn setter(i: usize, input: &Input) -> String {
    let name = &input.name;
    match input.pass {
        Pass::Value(_) => format!("        if let Some(v) = v{i} {{ call = call.{name}(v); }}\n"),
        Pass::Ref(_) | Pass::Bytes => {
            format!("        if let Some(v) = &v{i} {{ call = call.{name}(v); }}\n")
        }
        Pass::Strs => format!("        if let Some(v) = &v{i}s {{ call = call.{name}(v); }}\n"),
    }
}

/// The function that calls `op` (`op_{index}`).
fn operation(index: usize, op: &Operation, module: &str) -> String {
    let mut s = format!(
        "fn op_{index}<'c>(client: &'c ::openapi_rustgen_runtime::Client, a: &'c crate::Args) -> crate::Fut<'c> {{\n    Box::pin(async move {{\n"
    );
    let Some(inputs) = inputs(op, module) else {
        let _ = writeln!(
            s,
            "        let _ = (client, a);\n        Err(crate::Outcome::skipped(\"a multipart body of parts the caller writes\"))\n    }})\n}}\n"
        );
        return s;
    };
    for (i, input) in inputs.iter().enumerate() {
        s.push_str(&decode(i, input));
    }
    let args: Vec<String> = inputs
        .iter()
        .enumerate()
        .filter(|(_, input)| input.required)
        .map(|(i, input)| argument(i, input))
        .collect();
    let mut call_args = vec!["client".to_owned()];
    call_args.extend(args);
    let _ = writeln!(
        s,
        "        #[allow(unused_mut)]\n        let mut call = {module}::{}({});",
        op.name,
        call_args.join(", "),
    );
    for (i, input) in inputs.iter().enumerate().filter(|(_, i)| !i.required) {
        s.push_str(&setter(i, input));
    }
    s.push_str("        Ok(crate::finish(call.send_with_response().await))\n    })\n}\n");
    s
}

/// The driver module of one spec: `SCHEMES` (each scheme's name and kind, for the client's
/// credentials) and `OPS` (each operation's id and function, in the model's order).
pub fn module(api: &Api, krate: &str) -> String {
    let module = format!("{krate}::{}", api.module);
    let mut s = format!(
        "//! The driver of `{krate}` ({}), generated from its model.\n#![allow(deprecated, clippy::all)]\n\n",
        api.title.replace(['\n', '\r'], " ")
    );
    s.push_str("pub const SCHEMES: &[(&str, &str)] = &[\n");
    for scheme in &api.security.schemes {
        let kind = match scheme.kind {
            SchemeKind::ApiKey { .. } => "apiKey",
            SchemeKind::Basic => "basic",
            _ => "token",
        };
        let _ = writeln!(s, "    ({:?}, {kind:?}),", scheme.name);
    }
    s.push_str("];\n\npub const OPS: &[(&str, crate::OpFn)] = &[\n");
    for (i, op) in api.operations.iter().enumerate() {
        let _ = writeln!(s, "    ({:?}, op_{i}),", op.operation_id);
    }
    s.push_str("];\n\n");
    for (i, op) in api.operations.iter().enumerate() {
        s.push_str(&operation(i, op, &module));
        s.push('\n');
    }
    s
}

/// `specs.rs` of the runner: the spec modules and the table `spec(name)` looks up.
pub fn specs_rs(crates: &[String]) -> String {
    let mut s = String::from("//! The specs of this batch (generated).\n\n");
    for c in crates {
        let _ = writeln!(s, "mod {c};");
    }
    s.push_str(
        "\n/// A spec's schemes and operations, by its crate's name.\npub fn spec(name: &str) -> Option<(&'static [(&'static str, &'static str)], &'static [(&'static str, crate::OpFn)])> {\n    match name {\n",
    );
    for c in crates {
        let _ = writeln!(s, "        {c:?} => Some(({c}::SCHEMES, {c}::OPS)),");
    }
    s.push_str("        _ => None,\n    }\n}\n");
    s
}

/// The runner's `Cargo.toml`: the batch's clients (every model both ways: `full-serde`), the
/// runtime they share, and what the harness uses.
pub fn cargo_toml(crates: &[String], runtime: &str) -> String {
    let mut s = String::from(
        "[package]\nname = \"runner\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n",
    );
    for c in crates {
        let _ = writeln!(
            s,
            "{c} = {{ path = \"../{c}\", features = [\"full-serde\"] }}"
        );
    }
    let _ = write!(
        s,
        "openapi-rustgen-runtime = {{ path = {runtime:?} }}\n\
         chrono = {{ version = \"0.4.38\", default-features = false, features = [\"clock\", \"serde\", \"std\"] }}\n\
         http = \"1\"\n\
         reqwest = {{ version = \"0.12\", default-features = false }}\n\
         serde = \"1\"\n\
         serde_json = \"1\"\n\
         serde_path_to_error = \"0.1\"\n\
         tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n"
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind of input is decoded into the type its argument or setter takes and passed the
    /// way it takes it: `&str` from a `String`, `&[&str]` from a `Vec<String>`, enums and
    /// numbers by value, bodies by reference; the module's types by their path in the client.
    #[test]
    fn inputs_are_passed_as_the_call_takes_them() {
        let text = r#"
openapi: 3.0.3
info: {title: Pets, version: '1'}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
paths:
  /pets/{name}:
    put:
      operationId: putPet
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
        - {name: tags, in: query, required: true, schema: {type: array, items: {type: string}}}
        - {name: kind, in: query, schema: {type: string, enum: [cat, dog]}}
        - {name: limit, in: query, schema: {type: integer}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
      responses: {'204': {description: ok}}
"#;
        let spec = codegen::Spec::new("pets.yaml", text.to_owned());
        let (api, _) = codegen::model_of(&spec).unwrap();
        let m = module(&api, "c0001");
        let expected = [
            r#"    ("key", "apiKey"),"#,
            r#"    ("putPet", op_0),"#,
            r#"        let v0: ::std::string::String = a.req("name")?;"#,
            r#"        let v1: ::std::vec::Vec<::std::string::String> = a.req("tags")?;"#,
            "        let v1s = crate::strs(&v1);",
            r#"        let v2: ::std::option::Option<c0001::pets::PutPetKind> = a.opt("kind")?;"#,
            r#"        let v3: ::std::option::Option<i64> = a.opt("limit")?;"#,
            "        let v4: c0001::pets::Pet = a.body()?;",
            "        let mut call = c0001::pets::put_pet(client, &v0, &v1s, &v4);",
            "        if let Some(v) = v2 { call = call.kind(v); }",
            "        if let Some(v) = v3 { call = call.limit(v); }",
        ];
        for line in expected {
            assert!(m.lines().any(|l| l == line), "no line {line:?} in:\n{m}");
        }
    }
}
