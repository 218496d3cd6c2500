//! Security, as the spec declares it: the schemes of `components.securitySchemes` (read from the
//! raw JSON, so a kind the client cannot apply is named rather than lost) and the requirements
//! of the root and of each operation, checked against them.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde_json::Value;

use super::Resolver;
use crate::diag::{join, Sink};
use crate::model::{
    ApiKeyLocation, SchemeKind, SchemeUse, Security, SecurityScheme, SecuritySchemes,
};

const SCHEMES_POINTER: &str = "/components/securitySchemes";

/// How many `$ref`s a scheme may go through before it is reported as a cycle.
const MAX_HOPS: usize = 8;

/// The declared schemes, by the name requirements use.
#[derive(Debug, Default)]
pub struct Declared {
    pub schemes: Vec<SecurityScheme>,
    /// Name -> index into `schemes`, or why the client cannot apply it.
    by_name: HashMap<String, Result<usize, String>>,
}

impl Declared {
    /// Reads `components.securitySchemes`, reporting what cannot be read at its place.
    pub fn collect(raw: &Value, sink: &mut Sink<'_>) -> Self {
        let mut out = Declared::default();
        let Some(map) = raw.pointer(SCHEMES_POINTER).and_then(Value::as_object) else {
            return out;
        };
        let mut consts = HashSet::new();
        for (name, value) in map {
            if name.starts_with("x-") {
                continue;
            }
            let pointer = join(SCHEMES_POINTER, name);
            let Some(scheme) = follow(raw, value, &pointer, sink) else {
                continue;
            };
            let kind = match kind_of(scheme) {
                Ok(kind) => kind,
                Err(why) => {
                    out.by_name.insert(name.clone(), Err(why));
                    continue;
                }
            };
            out.by_name.insert(name.clone(), Ok(out.schemes.len()));
            out.schemes.push(SecurityScheme {
                name: name.clone(),
                rust: unique_const(const_of(name), &mut consts),
                doc: scheme
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                kind,
            });
        }
        out
    }

    /// The model's schemes, named by `holder`.
    pub fn into_model(self, holder: String) -> SecuritySchemes {
        SecuritySchemes {
            holder,
            schemes: self.schemes,
        }
    }

    /// The requirement `requirements`, declared at `pointer` (`/security`, or an operation's
    /// `.../security`). Unknown scheme names are errors; schemes the client cannot apply are
    /// warnings, and their alternatives are skipped.
    pub fn requirement(
        &self,
        requirements: &[IndexMap<String, Vec<String>>],
        pointer: &str,
        token_scope: Option<&str>,
        sink: &mut Sink<'_>,
    ) -> Security {
        let mut out = Security {
            alternatives: Vec::new(),
            anonymous: requirements.is_empty(),
        };
        let mut skipped = false;
        for (i, requirement) in requirements.iter().enumerate() {
            if requirement.is_empty() {
                out.anonymous = true;
                continue;
            }
            match self.alternative(requirement, &join(pointer, i), token_scope, sink) {
                Some(uses) => out.alternatives.push(uses),
                None => skipped = true,
            }
        }
        if out.alternatives.is_empty() && !out.anonymous {
            if skipped {
                sink.warn(
                    pointer,
                    "no alternative of this security requirement can be applied by the client: calls go unauthenticated",
                );
            }
            out.anonymous = true;
        }
        out
    }

    /// One alternative (a requirement object), or `None` when one of its schemes is unknown or
    /// cannot be applied.
    fn alternative(
        &self,
        requirement: &IndexMap<String, Vec<String>>,
        pointer: &str,
        token_scope: Option<&str>,
        sink: &mut Sink<'_>,
    ) -> Option<Vec<SchemeUse>> {
        let mut uses = Vec::new();
        let mut usable = true;
        for (name, scopes) in requirement {
            let at = join(pointer, name);
            match self.by_name.get(name) {
                Some(Ok(index)) => {
                    let kind = self.schemes.get(*index).map(|s| &s.kind);
                    let scopes = match (kind, token_scope) {
                        (Some(SchemeKind::OAuth2), Some(scope)) => vec![scope.to_owned()],
                        (Some(kind), _) if kind.is_token() => scopes.clone(),
                        _ => Vec::new(),
                    };
                    uses.push(SchemeUse {
                        scheme: *index,
                        scopes,
                    });
                }
                Some(Err(why)) => {
                    sink.warn(
                        &at,
                        format!("security scheme `{name}` is {why}, which the client cannot apply: this alternative is skipped"),
                    );
                    usable = false;
                }
                None => {
                    sink.error(
                        &at,
                        format!(
                            "the security requirement names `{name}`, which `components.securitySchemes` does not declare ({})",
                            self.declared_list()
                        ),
                    );
                    usable = false;
                }
            }
        }
        usable.then_some(uses)
    }

    fn declared_list(&self) -> String {
        let mut names: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
        names.sort_unstable();
        if names.is_empty() {
            "it declares none".to_owned()
        } else {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("declared: {}", quoted.join(", "))
        }
    }
}

/// The scheme object at `value`, through its `$ref`s (local JSON pointers).
fn follow<'v>(
    raw: &'v Value,
    value: &'v Value,
    pointer: &str,
    sink: &mut Sink<'_>,
) -> Option<&'v Value> {
    let mut current = value;
    for _ in 0..MAX_HOPS {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return Some(current);
        };
        let target = reference
            .strip_prefix('#')
            .and_then(|p| raw.pointer(&percent_decode(p)));
        match target {
            Some(next) => current = next,
            None => {
                sink.error(
                    pointer,
                    format!(
                        "security scheme `$ref: {reference}` points to nothing in this document"
                    ),
                );
                return None;
            }
        }
    }
    sink.error(
        pointer,
        format!("security scheme `$ref`s go round in a cycle (more than {MAX_HOPS})"),
    );
    None
}

/// `%7B` -> `{` and the like, as `$ref` pointers may be written.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The kind of a scheme object, or a description of it when the client cannot apply it.
fn kind_of(scheme: &Value) -> Result<SchemeKind, String> {
    let text = |key: &str| scheme.get(key).and_then(Value::as_str);
    match text("type") {
        Some("apiKey") => {
            let location = match text("in") {
                Some("header") => ApiKeyLocation::Header,
                Some("query") => ApiKeyLocation::Query,
                Some("cookie") => ApiKeyLocation::Cookie,
                other => return Err(format!("an `apiKey` in `{}`", other.unwrap_or("?"))),
            };
            let name = text("name").ok_or("an `apiKey` without a `name`")?;
            if location != ApiKeyLocation::Query && !is_token(name) {
                let place = location.as_str();
                return Err(format!(
                    "an `apiKey` in {place} `{name}` (not a valid {place} name)"
                ));
            }
            Ok(SchemeKind::ApiKey {
                name: name.to_owned(),
                location,
            })
        }
        Some("http") => {
            let scheme = text("scheme").unwrap_or_default();
            match scheme.to_ascii_lowercase().as_str() {
                "basic" => Ok(SchemeKind::Basic),
                "bearer" => Ok(SchemeKind::Bearer {
                    format: text("bearerFormat").map(str::to_owned),
                }),
                _ => Err(format!("HTTP authentication `{scheme}`")),
            }
        }
        Some("oauth2") => Ok(SchemeKind::OAuth2),
        Some("openIdConnect") => Ok(SchemeKind::OpenIdConnect {
            url: text("openIdConnectUrl").unwrap_or_default().to_owned(),
        }),
        Some(other) => Err(format!("of type `{other}`")),
        None => Err("without a `type`".to_owned()),
    }
}

/// Whether `name` is an RFC 9110 token: what a header or cookie name may be.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The holder type's name: `SecuritySchemes`, else `ApiSecuritySchemes`, `ApiSecuritySchemes2`...
/// whichever no type of the module takes.
pub fn holder_name(taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| match n {
            1 => "SecuritySchemes".to_owned(),
            2 => "ApiSecuritySchemes".to_owned(),
            n => format!("ApiSecuritySchemes{}", n - 1),
        })
        .find(|name| !taken(name))
        .unwrap_or_default()
}

/// An associated const's name for scheme `name`: ASCII `SCREAMING_SNAKE_CASE`, never empty,
/// never starting with a digit.
fn const_of(name: &str) -> String {
    let snake = crate::names::snake_name(name);
    let mut out = String::new();
    for c in crate::names::unraw(&snake).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("SCHEME_{out}").trim_end_matches('_').to_owned()
    } else {
        out
    }
}

fn unique_const(name: String, taken: &mut HashSet<String>) -> String {
    super::numbered(name, "_", taken)
}

impl Resolver<'_, '_> {
    pub(super) fn security(
        &mut self,
        requirements: &[openapiv3::SecurityRequirement],
        pointer: &str,
    ) -> Security {
        let token_scope = self.conventions.token_scope.as_deref();
        self.schemes
            .requirement(requirements, pointer, token_scope, self.sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn const_names_are_ascii_screaming_snake() {
        assert_eq!(const_of("api_key"), "API_KEY");
        assert_eq!(const_of("petstoreAuth"), "PETSTORE_AUTH");
        assert_eq!(const_of("X-API-Key"), "X_API_KEY");
        assert_eq!(const_of("1st"), "SCHEME_1ST");
        assert_eq!(const_of("***"), "VALUE");
        assert_eq!(const_of("schlüssel"), "SCHL_SSEL");
        assert_eq!(const_of("type"), "TYPE");
        let mut taken = HashSet::new();
        assert_eq!(unique_const("A".into(), &mut taken), "A");
        assert_eq!(unique_const("A".into(), &mut taken), "A_2");
    }

    /// What `requirement` makes of `[{<name>: []}]` in a document declaring `schemes`.
    fn applied(schemes: Value, name: &str) -> (Security, Vec<String>) {
        let raw = serde_json::json!({"components": {"securitySchemes": schemes}});
        let mut sink = Sink::new(std::path::Path::new("s.yaml"), "");
        let declared = Declared::collect(&raw, &mut sink);
        let requirement: IndexMap<String, Vec<String>> = [(name.to_owned(), Vec::new())].into();
        let security = declared.requirement(&[requirement], "/security", None, &mut sink);
        let warnings = sink.warnings.iter().map(|d| d.to_string()).collect();
        (security, warnings)
    }

    #[test]
    fn a_kind_the_loader_would_pass_through_is_named_at_its_place() {
        // `mutualTLS` (OpenAPI 3.1): read from the raw JSON, so it is named, not lost.
        let (security, warnings) =
            applied(serde_json::json!({"mtls": {"type": "mutualTLS"}}), "mtls");
        assert_eq!(
            security,
            Security {
                alternatives: Vec::new(),
                anonymous: true
            }
        );
        assert_eq!(
            warnings,
            [
                "s.yaml: at #/security/0/mtls: security scheme `mtls` is of type `mutualTLS`, which the client cannot apply: this alternative is skipped",
                "s.yaml: at #/security: no alternative of this security requirement can be applied by the client: calls go unauthenticated",
            ]
        );
        let (security, warnings) = applied(
            serde_json::json!({"a": {"$ref": "#/components/securitySchemes/b"}, "b": {"type": "http", "scheme": "bearer"}}),
            "a",
        );
        assert_eq!(security.alternatives.len(), 1, "{warnings:?}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn kinds_are_read_or_described() {
        let kind = |v: Value| kind_of(&v);
        assert_eq!(
            kind(serde_json::json!({"type": "apiKey", "in": "cookie", "name": "sid"})),
            Ok(SchemeKind::ApiKey {
                name: "sid".into(),
                location: ApiKeyLocation::Cookie
            })
        );
        assert_eq!(
            kind(serde_json::json!({"type": "http", "scheme": "Basic"})),
            Ok(SchemeKind::Basic)
        );
        assert_eq!(
            kind(serde_json::json!({"type": "http", "scheme": "digest"})),
            Err("HTTP authentication `digest`".to_owned())
        );
        assert_eq!(
            kind(serde_json::json!({"type": "apiKey", "in": "header", "name": "X Key"})),
            Err("an `apiKey` in header `X Key` (not a valid header name)".to_owned())
        );
        assert!(
            kind(serde_json::json!({"type": "apiKey", "in": "query", "name": "a key"})).is_ok()
        );
        assert_eq!(
            kind(serde_json::json!({"type": "mutualTLS"})),
            Err("of type `mutualTLS`".to_owned())
        );
    }
}
