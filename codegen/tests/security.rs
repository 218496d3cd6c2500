//! Security as the spec declares it, on the model and the emitted code: requirement shapes,
//! names, and what the client cannot apply (a warning naming it, at its place).

use codegen::model::{Api, SchemeKind, Security};
use codegen::{CrateOptions, Diagnostic, Spec};

fn model(yaml: &str) -> Result<(Api, Vec<Diagnostic>), codegen::Errors> {
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{yaml}");
    codegen::model_of(&Spec::new("security.yaml", text))
}

/// Each alternative as `scheme(scopes)` names, and whether anonymous calls are allowed.
fn shape(api: &Api, security: &Security) -> (Vec<Vec<String>>, bool) {
    let alternatives = security
        .alternatives
        .iter()
        .map(|alt| {
            alt.iter()
                .map(|u| {
                    let name = &api.security.schemes[u.scheme].name;
                    format!("{name}({})", u.scopes.join(" "))
                })
                .collect()
        })
        .collect();
    (alternatives, security.anonymous)
}

fn op_shape(api: &Api, operation_id: &str) -> (Vec<Vec<String>>, bool) {
    let op = api
        .operations
        .iter()
        .find(|op| op.operation_id == operation_id)
        .unwrap_or_else(|| panic!("no {operation_id}"));
    shape(api, &op.security)
}

const SCHEMES: &str = "components:
  securitySchemes:
    key: {type: apiKey, in: query, name: k}
    basic: {type: http, scheme: Basic}
    jwt: {type: http, scheme: bearer, bearerFormat: JWT}
    oauth:
      type: oauth2
      flows: {implicit: {authorizationUrl: 'https://a.example/auth', scopes: {read: r, write: w}}}
    oidc: {type: openIdConnect, openIdConnectUrl: 'https://a.example/.well-known/openid-configuration'}
    digest: {type: http, scheme: digest}
    alias: {$ref: '#/components/securitySchemes/basic'}
";

fn ok(yaml: &str) -> (Api, Vec<Diagnostic>) {
    model(yaml).unwrap_or_else(|e| panic!("{e}"))
}

fn s(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| (*i).to_owned()).collect()
}

#[test]
fn requirements_keep_their_alternatives_combinations_and_anonymous_choice() {
    let (api, warnings) = ok(&format!(
        "security:\n  - oauth: [read]\npaths:
  /inherit: {{get: {{operationId: inherit, responses: {{'204': {{description: ok}}}}}}}}
  /none: {{get: {{operationId: none, security: [], responses: {{'204': {{description: ok}}}}}}}}
  /optional: {{get: {{operationId: optional, security: [{{key: []}}, {{}}], responses: {{'204': {{description: ok}}}}}}}}
  /either: {{get: {{operationId: either, security: [{{key: []}}, {{basic: [], oidc: [openid]}}], responses: {{'204': {{description: ok}}}}}}}}
  /jwt: {{get: {{operationId: jwt, security: [{{jwt: []}}, {{alias: []}}], responses: {{'204': {{description: ok}}}}}}}}
{SCHEMES}"
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        op_shape(&api, "inherit"),
        (vec![s(&["oauth(read)"])], false)
    );
    assert_eq!(
        shape(&api, &api.root_security),
        (vec![s(&["oauth(read)"])], false)
    );
    assert_eq!(op_shape(&api, "none"), (vec![], true));
    assert_eq!(op_shape(&api, "optional"), (vec![s(&["key()"])], true));
    assert_eq!(
        op_shape(&api, "either"),
        (vec![s(&["key()"]), s(&["basic()", "oidc(openid)"])], false)
    );
    // A `$ref` to another scheme is that scheme's kind under its own name.
    assert_eq!(
        op_shape(&api, "jwt"),
        (vec![s(&["jwt()"]), s(&["alias()"])], false)
    );
    let kinds: Vec<(&str, &str, &SchemeKind)> = api
        .security
        .schemes
        .iter()
        .map(|s| (s.name.as_str(), s.rust.as_str(), &s.kind))
        .collect();
    assert_eq!(kinds.len(), 6, "every scheme but digest: {kinds:?}");
    assert_eq!(kinds[1], ("basic", "BASIC", &SchemeKind::Basic));
    assert_eq!(
        kinds[2],
        (
            "jwt",
            "JWT",
            &SchemeKind::Bearer {
                format: Some("JWT".into())
            }
        )
    );
    assert_eq!(kinds[5], ("alias", "ALIAS", &SchemeKind::Basic));
    assert_eq!(api.security.holder, "SecuritySchemes");
}

#[test]
fn a_spec_without_security_is_anonymous_everywhere() {
    let (api, _) =
        ok("paths:\n  /a: {get: {operationId: a, responses: {'204': {description: ok}}}}\n");
    assert_eq!(op_shape(&api, "a"), (vec![], true));
    assert!(api.security.schemes.is_empty());
}

#[test]
fn the_token_scope_convention_replaces_oauth2_scopes_only() {
    let (api, _) = ok(&format!(
        "x-client: {{token-scope: '{{origin}}/.default'}}\nsecurity:\n  - oauth: [read, write]\n    oidc: [openid]\npaths:
  /a: {{get: {{operationId: a, responses: {{'204': {{description: ok}}}}}}}}
{SCHEMES}"
    ));
    assert_eq!(
        op_shape(&api, "a"),
        (
            vec![s(&["oauth({origin}/.default)", "oidc(openid)"])],
            false
        )
    );
}

#[test]
fn names_that_collide_are_numbered_and_the_holder_yields_to_a_model() {
    let (api, _) = ok("paths: {}
components:
  schemas:
    SecuritySchemes: {type: object, properties: {a: {type: string}}}
  securitySchemes:
    api-key: {type: apiKey, in: header, name: a}
    api_key: {type: apiKey, in: header, name: b}
    '1st': {type: http, scheme: basic}
");
    let rust: Vec<&str> = api
        .security
        .schemes
        .iter()
        .map(|s| s.rust.as_str())
        .collect();
    assert_eq!(rust, ["API_KEY", "API_KEY_2", "SCHEME_1ST"]);
    assert_eq!(api.security.holder, "ApiSecuritySchemes");
}

#[test]
fn a_scheme_the_client_cannot_apply_is_a_located_warning_and_its_alternative_is_skipped() {
    let yaml = format!(
        "paths:
  /a:
    get:
      operationId: a
      security: [{{digest: []}}, {{basic: []}}]
      responses: {{'204': {{description: ok}}}}
  /b:
    get:
      operationId: b
      security: [{{digest: []}}]
      responses: {{'204': {{description: ok}}}}
{SCHEMES}"
    );
    let (api, warnings) = ok(&yaml);
    assert_eq!(op_shape(&api, "a"), (vec![s(&["basic()"])], false));
    // Nothing left: calls go unauthenticated, and the spec is told.
    assert_eq!(op_shape(&api, "b"), (vec![], true));
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let skipped = "security scheme `digest` is HTTP authentication `digest`, which the client cannot apply: this alternative is skipped";
    for (pointer, line) in [
        ("/paths/~1a/get/security/0/digest", 7),
        ("/paths/~1b/get/security/0/digest", 12),
    ] {
        let expected = format!("security.yaml:{line}: at #{pointer}: {skipped}");
        assert!(shown.contains(&expected), "{expected}\nnot in {shown:#?}");
    }
    let expected = "security.yaml:12: at #/paths/~1b/get/security: no alternative of this security requirement can be applied by the client: calls go unauthenticated";
    assert!(
        shown.iter().any(|w| w == expected),
        "{expected}\nnot in {shown:#?}"
    );
    assert_eq!(warnings.len(), 3, "{shown:#?}");

    // The emitted operation sends nothing for `b`, basic for `a`.
    let options = CrateOptions::new("security").description("security");
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{yaml}");
    let out = codegen::generate(&[Spec::new("security.yaml", text)], &options).unwrap();
    let module = &out.files[std::path::Path::new("src/security.rs")];
    let squeezed: String = module.split_whitespace().collect();
    assert!(
        squeezed.contains(r#"rt::Scheme::Basic{scheme:"basic",}"#),
        "{module}"
    );
    assert!(module.contains("security: &rt::Security::NONE"), "{module}");
    assert!(!module.contains("digest\""), "{module}");
}

#[test]
fn an_unknown_scheme_at_the_root_is_a_located_error() {
    let err = model("security:\n  - nope: []\npaths: {}\n")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "error: security.yaml:4: at #/security/0/nope: the security requirement names `nope`, which `components.securitySchemes` does not declare (it declares none)"
    );
}

#[test]
fn skip_unsupported_leaves_out_an_operation_naming_an_unknown_scheme() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:
  /a: {get: {operationId: a, security: [{nope: []}], responses: {'204': {description: ok}}}}
  /b: {get: {operationId: b, responses: {'204': {description: ok}}}}
";
    let mut spec = Spec::new("security.yaml", text.to_owned());
    spec.selection.skip_unsupported = true;
    let (api, warnings) = codegen::model_of(&spec).unwrap();
    let names: Vec<&str> = api.operations.iter().map(|op| op.name.as_str()).collect();
    assert_eq!(names, ["b"]);
    assert!(
        warnings
            .iter()
            .any(|w| w.pointer == "/paths/~1a/get/security/0/nope"
                && w.message
                    .starts_with("operation left out (--skip-unsupported)")),
        "{warnings:?}"
    );
}
