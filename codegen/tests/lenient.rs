//! What real specs get wrong or leave open, generated with a warning that names the place
//! instead of failing the whole spec (each case was found by `cargo xtask corpus`).

use std::path::Path;

use codegen::{CrateOptions, Output, Spec};

fn options() -> CrateOptions {
    CrateOptions::new("lenient").description("lenient")
}

fn generate(spec: Spec) -> Output {
    codegen::generate(&[spec], &options()).unwrap_or_else(|e| panic!("{e}"))
}

fn text<'a>(out: &'a Output, path: &str) -> &'a str {
    out.files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("no {path}"))
}

/// The warning at `pointer` that contains `part`.
fn warned(out: &Output, pointer: &str, part: &str) -> bool {
    out.warnings
        .iter()
        .any(|w| w.pointer == pointer && w.message.contains(part))
}

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /report:
    post:
      operationId: report
      responses:
        '400': {description: bad request}
  /ranged:
    get:
      operationId: ranged
      responses:
        2XX:
          description: any success
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
  /search/articles?query={query}&kind=news:
    get:
      operationId: articles
      parameters:
        - {name: query, in: query, required: true, schema: {type: string}}
      responses:
        '204': {description: ok}
  /users/{user}/pic?key={APIKEY}:
    get:
      operationId: pic
      parameters:
        - {name: user, in: path, required: true, schema: {type: string}}
        - {name: APIKEY, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: ok}
  /items/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: ok}
  /items/{id}/:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: ok}
"#;

#[test]
fn an_operation_without_a_2xx_response_succeeds_on_any_2xx() {
    let out = generate(Spec::new("l.yaml", SPEC.to_owned()));
    assert!(warned(
        &out,
        "/paths/~1report/post/responses",
        "lists no 2xx response"
    ));
    let code = text(&out, "src/l.rs");
    assert!(
        code.contains("pub fn report<'a>(client: &'a rt::Client) -> ReportCall<'a>"),
        "{code}"
    );
    assert!(code.contains("200..=299 => Ok(())"), "{code}");
}

#[test]
fn a_query_in_the_path_key_becomes_query_parameters() {
    let out = generate(Spec::new("l.yaml", SPEC.to_owned()));
    assert!(warned(
        &out,
        "/paths/~1search~1articles?query={query}&kind=news/get",
        "carries a query"
    ));
    let code = text(&out, "src/l.rs");
    // The path stops at `?`; the fixed pair is a constant, the `{query}` one the parameter.
    assert!(
        code.contains(r#"path: &[rt::PathPart::Literal("/search/articles")]"#),
        "{code}"
    );
    assert!(
        code.contains(r#"query: &[("kind", Some("news")), ("query", Some(query))]"#),
        "{code}"
    );
}

#[test]
fn a_path_parameter_only_in_the_key_query_goes_in_the_query() {
    let out = generate(Spec::new("l.yaml", SPEC.to_owned()));
    assert!(warned(
        &out,
        "/paths/~1users~1{user}~1pic?key={APIKEY}/get",
        "sent as the query parameter `key`"
    ));
    let code = text(&out, "src/l.rs");
    assert!(
        code.contains(r#"query: &[("key", Some(apikey))]"#),
        "{code}"
    );
    assert!(
        code.contains(r#"rt::PathPart::Param("user", user)"#),
        "{code}"
    );
}

#[test]
fn derived_operation_names_that_collide_are_numbered() {
    let out = generate(Spec::new("l.yaml", SPEC.to_owned()));
    let code = text(&out, "src/l.rs");
    assert!(code.contains("pub fn get_items_id<'a>("), "{code}");
    assert!(code.contains("pub fn get_items_id_2<'a>("), "{code}");
    assert!(warned(
        &out,
        "/paths/~1items~1{id}~1/get",
        "it is `get_items_id_2`"
    ));
}

#[test]
fn operation_ids_that_differ_only_in_punctuation_are_numbered_duplicates_are_errors() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get: {operationId: getThing, responses: {'204': {description: ok}}}
  /b:
    get: {operationId: get_thing, responses: {'204': {description: ok}}}
"#;
    let out = generate(Spec::new("c.yaml", spec.to_owned()));
    assert!(warned(&out, "/paths/~1b/get", "it is `get_thing_2`"));
    let code = text(&out, "src/c.rs");
    assert!(code.contains("pub fn get_thing<'a>("), "{code}");
    assert!(code.contains("pub fn get_thing_2<'a>("), "{code}");

    let twice = spec.replace("get_thing", "getThing");
    let err = codegen::generate(&[Spec::new("c.yaml", twice)], &options())
        .expect_err("one operationId twice");
    assert!(err.to_string().contains("is used twice"), "{err}");
}

const JAVA_PATTERN: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /plans/{name}:
    get:
      operationId: plan
      parameters:
        - {name: name, in: path, required: true, schema: {$ref: '#/components/schemas/Name'}}
      responses:
        '204': {description: ok}
components:
  schemas:
    Name: {type: string, pattern: '\p{LD}+'}
"#;

#[test]
fn a_pattern_no_engine_compiles_is_an_error_unless_skipping_what_is_unsupported() {
    let strict = codegen::generate(&[Spec::new("p.yaml", JAVA_PATTERN.to_owned())], &options())
        .expect_err("strict: the pattern cannot be enforced");
    assert!(
        strict.to_string().contains("cannot be enforced"),
        "{strict}"
    );

    let mut spec = Spec::new("p.yaml", JAVA_PATTERN.to_owned());
    spec.selection.skip_unsupported = true;
    let out = generate(spec);
    assert!(
        warned(
            &out,
            "/components/schemas/Name/pattern",
            "--skip-unsupported: generated without it: pattern"
        ),
        "{:?}",
        out.warnings
    );
    let code = text(&out, "src/p.rs");
    assert!(code.contains("pub fn plan<'a>("), "{code}");
    assert!(!code.contains("p{LD}"), "no check of the pattern: {code}");
}

#[test]
fn a_2xx_range_response_types_every_success_status() {
    let out = generate(Spec::new("l.yaml", SPEC.to_owned()));
    let code = text(&out, "src/l.rs");
    assert!(
        code.contains("type Output = Result<RangedResponse, rt::Error<"),
        "{code}"
    );
    assert!(code.contains("200..=299 => response.json()"), "{code}");
}

#[test]
fn a_model_named_server_keeps_its_name_and_the_servers_enum_gives_way() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://a.example'}, {url: 'https://b.example'}]
paths:
  /s:
    get:
      operationId: get
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Server'}}}}
components:
  schemas:
    Server: {type: object, properties: {name: {type: string}}}
"#;
    let out = generate(Spec::new("s.yaml", spec.to_owned()));
    let code = text(&out, "src/s.rs");
    assert!(code.contains("pub struct Server {"), "{code}");
    assert!(code.contains("pub enum ApiServer {"), "{code}");
    assert!(code.contains("[`ApiServer::url`]"), "{code}");
}

#[test]
fn schema_names_that_differ_only_in_punctuation_are_numbered() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: a
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/error-response'}
        '400':
          description: bad
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ErrorResponse'}
components:
  schemas:
    error-response:
      type: object
      properties: {a: {type: string}}
    ErrorResponse:
      type: object
      properties: {b: {type: string}}
"#;
    let out = generate(Spec::new("n.yaml", spec.to_owned()));
    assert!(warned(
        &out,
        "/components/schemas/ErrorResponse",
        "it is `ErrorResponse2`"
    ));
    let code = text(&out, "src/n.rs");
    assert!(code.contains("pub struct ErrorResponse {"), "{code}");
    assert!(code.contains("pub struct ErrorResponse2 {"), "{code}");
    assert!(
        code.contains("Result<ErrorResponse, rt::Error<ErrorResponse2>>"),
        "{code}"
    );
}

#[test]
fn a_path_item_borrowed_from_another_path_is_generated_under_its_own_path() {
    // surevoip.co.uk: `/support/ip-address: {$ref: '#/paths/~1ip-address'}`.
    let spec = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /ip-address:
    get: {operationId: ipAddress, responses: {'204': {description: ok}}}
  /support/ip-address:
    $ref: '#/paths/~1ip-address'
"##;
    let out = generate(Spec::new("p.yaml", spec.to_owned()));
    let code = text(&out, "src/p.rs");
    assert!(code.contains("pub fn ip_address<'a>("), "{code}");
    assert!(code.contains("pub fn ip_address_2<'a>("), "{code}");
    assert!(
        code.contains(r#"rt::PathPart::Literal("/support/ip-address")"#),
        "{code}"
    );
}

/// A `$ref` into another file whose pointer lacks its leading `/` (prance's
/// `recursion_limit_files` fixture) is read as the pointer it means, with a warning located in
/// the file that wrote it; the files come from memory here.
#[test]
fn a_pointer_without_its_slash_is_read_as_one() {
    let root = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'parts/pets.yaml#components/schemas/Pet'}\n";
    let parts =
        "components:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n";
    let mut spec = Spec::new("api/openapi.yaml", root.to_owned());
    let files = [(
        std::path::PathBuf::from("api/parts/pets.yaml"),
        parts.to_owned(),
    )];
    spec.files = Some(std::sync::Arc::new(files.into_iter().collect()));
    let out = generate(spec);
    assert!(text(&out, "src/openapi.rs").contains("pub struct Pet"));
    let w = out
        .warnings
        .iter()
        .find(|w| w.message.contains("read as `#/components/schemas/Pet`"))
        .unwrap_or_else(|| panic!("{:?}", out.warnings));
    assert_eq!(
        w.to_string(),
        "api/openapi.yaml:12: at #/paths/~1pets/get/responses/200/content/application~1json/schema/$ref: `parts/pets.yaml#components/schemas/Pet`: the part after `#` is a JSON pointer and starts with `/`: read as `#/components/schemas/Pet`"
    );
}
