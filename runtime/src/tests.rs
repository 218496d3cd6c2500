//! Unit tests of the runtime crate. (Kept out of the shared files: a vendored copy of those
//! carries no test code into generated crates.)

use std::time::Duration;

use crate as rt;

#[cfg(feature = "events")]
mod events;

/// The crate root and the vendored copy's `mod.rs` declare the same modules and re-export the
/// same names: a generated crate reads the same whichever way it gets its runtime.
#[test]
fn the_crate_and_the_vendored_copy_export_the_same_items() {
    /// What the `mod` and `pub use` statements of a root file name, optional parts (behind a
    /// `cfg`, added by the generator to the vendored copy) left out.
    fn names(text: &str) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        for statement in text.split(';') {
            let code: Vec<&str> = statement
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect();
            let code = code.join(" ");
            if code.contains("#[cfg(") {
                continue;
            }
            let code = code.rsplit(']').next().unwrap_or(&code).trim();
            let declared = code
                .strip_prefix("pub use ")
                .or_else(|| code.strip_prefix("pub mod "))
                .or_else(|| code.strip_prefix("mod "));
            for name in declared
                .into_iter()
                .flat_map(|d| d.split(|c: char| !(c.is_alphanumeric() || c == '_')))
            {
                if !name.is_empty() && !["crate", "self", "super"].contains(&name) {
                    out.insert(name.to_owned());
                }
            }
        }
        out
    }
    let lib = include_str!("lib.rs");
    let vendored = include_str!("../vendored/mod.rs");
    let crate_names = names(lib);
    let mut vendored_names = names(vendored);
    // The vendored copy re-exports the two macros from the generated crate's root, where
    // `#[macro_export]` puts them; the crate has them at its root already.
    vendored_names.remove("deserialize_object");
    vendored_names.remove("serialize_object");
    assert_eq!(crate_names, vendored_names);
}

#[test]
fn checks_name_the_parameter_the_constraint_and_the_value() {
    assert!(rt::check::min_length("name", "ab", 2).is_ok());
    let err = rt::check::max_length("name", "abc", 2).unwrap_err();
    assert_eq!(err.parameter, "name");
    assert_eq!(err.constraint, "maxLength 2");
    assert_eq!(err.value, "abc");
    // Characters, not bytes, as JSON Schema counts.
    assert!(rt::check::max_length("name", "ééé", 3).is_ok());
    assert!(rt::check::uuid("id", "00000000-0000-0000-0000-000000000000").is_ok());
    assert!(rt::check::uuid("id", "00000000000000000000000000000000").is_err());
}

#[derive(Debug, PartialEq)]
struct Pet {
    id: i64,
    tag: Option<String>,
    owner: Option<String>,
}

rt::serialize_object!(
    rt,
    Pet {
        id: required("id"),
        tag: optional("tag"),
        owner: nullable("owner"),
    }
);
rt::deserialize_object!(
    rt,
    Pet {
        id: required("id"),
        tag: optional("tag"),
        owner: nullable("owner"),
    }
);

/// A field whose wire name is too long for one line: the generator's formatter (and rustfmt)
/// break its kind's call, leaving a comma after the name.
#[derive(Debug, PartialEq)]
struct Adapter {
    megabytes: Option<f64>,
}

#[rustfmt::skip]
rt::serialize_object!(
    rt,
    Adapter {
        megabytes: optional(
            "megabytesPerSecondOfReadDataPointsReceived",
        ),
    },
);
#[rustfmt::skip]
rt::deserialize_object!(
    rt,
    Adapter {
        megabytes: optional(
            "megabytesPerSecondOfReadDataPointsReceived",
        ),
    },
);

#[test]
fn a_kind_broken_over_lines_is_read() {
    let a = Adapter {
        megabytes: Some(1.5),
    };
    let text = serde_json::to_string(&a).unwrap();
    assert_eq!(
        text,
        r#"{"megabytesPerSecondOfReadDataPointsReceived":1.5}"#
    );
    assert_eq!(serde_json::from_str::<Adapter>(&text).unwrap(), a);
}

#[test]
fn the_object_macros_write_and_read_models() {
    let pet = Pet {
        id: 7,
        tag: None,
        owner: None,
    };
    let text = serde_json::to_string(&pet).unwrap();
    assert_eq!(text, r#"{"id":7,"owner":null}"#);
    let read: Pet = serde_json::from_str(r#"{"id":7,"extra":[1],"tag":"cat"}"#).unwrap();
    assert_eq!(read.tag.as_deref(), Some("cat"));
    assert_eq!(read.owner, None);
    let err = serde_json::from_str::<Pet>(r#"{"tag":"cat"}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
}

/// The model's struct literal in `deserialize_object!` has no `?`: an early return between two
/// fields makes rustc write a drop path per field for every field before it (a model of 106
/// fields was 74,000 LLVM lines of `visit_map`; the GitHub crate's build took 13 % longer).
#[test]
fn a_read_model_is_made_with_no_way_out() {
    let source = include_str!("object.rs");
    let body = &source[source
        .find("macro_rules! deserialize_object")
        .expect("the macro")..];
    let literal = &body[body.find("Ok($name {").expect("the struct literal")..];
    let literal = &literal[..literal.find("})").expect("its end")];
    assert!(!literal.contains('?'), "{literal}");
}

/// A form body: pairs in the struct's order, an array as its key once per item (found by
/// `cargo xtask conformance --corpus`: Twilio's form bodies with arrays failed before sending,
/// "unsupported value"), `null` left out, an object as its JSON text.
#[test]
fn a_form_body_repeats_an_arrays_key_and_keeps_the_order() {
    #[derive(serde::Serialize)]
    struct Build {
        #[serde(rename = "Dependencies")]
        dependencies: Vec<&'static str>,
        #[serde(rename = "AssetVersions")]
        asset_versions: Vec<i64>,
        note: Option<&'static str>,
        limits: std::collections::BTreeMap<&'static str, i64>,
        active: bool,
        name: &'static str,
    }
    let body = rt::Body::form(
        &Build {
            dependencies: vec!["ZH1", "ZH2 b&c"],
            asset_versions: vec![7],
            note: None,
            limits: [("max", 3)].into_iter().collect(),
            active: true,
            name: "a=b",
        },
        "application/x-www-form-urlencoded",
    )
    .unwrap();
    assert_eq!(
        body.in_memory()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap(),
        "Dependencies=ZH1&Dependencies=ZH2+b%26c&AssetVersions=7&limits=%7B%22max%22%3A3%7D\
         &active=true&name=a%3Db"
    );
    let err = rt::Body::form(&[1, 2], "application/x-www-form-urlencoded").unwrap_err();
    assert_eq!(err.constraint, "serializable as a form (an object)");
}

#[test]
fn secrets_never_show() {
    let secret = rt::SecretString::new("hunter2".to_owned());
    assert!(!format!("{secret:?}").contains("hunter2"));
    assert_eq!(secret.expose_secret(), "hunter2");
}

#[test]
fn backoff_doubles_within_its_bounds() {
    let policy = rt::RetryPolicy {
        initial_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(300),
        ..rt::RetryPolicy::default()
    };
    for attempt in 1..10 {
        let wait = policy.backoff(attempt);
        let full = Duration::from_millis(100 * 2u64.pow(attempt - 1)).min(policy.max_delay);
        assert!(wait >= full / 2 && wait <= full, "{attempt}: {wait:?}");
    }
    assert!(rt::RetryPolicy::retries_status(429));
    assert!(!rt::RetryPolicy::retries_status(404));
    assert_eq!(rt::RetryPolicy::none().max_attempts, 1);
}

#[test]
fn the_service_s_retry_hints_are_read_in_order() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("retry-after", "3".parse().unwrap());
    assert_eq!(
        crate::retry::requested_delay(&headers, &["retry-after-ms"]),
        Some(Duration::from_secs(3))
    );
    headers.insert("retry-after-ms", "250".parse().unwrap());
    assert_eq!(
        crate::retry::requested_delay(&headers, &["retry-after-ms"]),
        Some(Duration::from_millis(250))
    );
}

#[cfg(feature = "regex")]
#[test]
fn patterns_are_unanchored_as_in_json_schema() {
    static PATTERN: rt::pattern_regex::Pattern = rt::pattern_regex::Pattern::new("[a-z]+");
    assert!(PATTERN.is_match("123abc"));
    assert!(PATTERN.check("name", "123").is_err());
}

#[cfg(feature = "fancy-regex")]
#[test]
fn lookaround_patterns_need_the_fancy_engine() {
    static PATTERN: rt::pattern_fancy::Pattern =
        rt::pattern_fancy::Pattern::new("^(?=.{2,4}$)[a-z]+$");
    assert!(PATTERN.is_match("abc"));
    assert!(!PATTERN.is_match("abcdef"));
}
