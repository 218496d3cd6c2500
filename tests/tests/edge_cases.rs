//! The fixture crate (`tests/fixtures/generated`, from `tests/fixtures/specs/`) over real HTTP:
//! names that are keywords or shadow `std`, constants, numbers and booleans as text, `+json`
//! media types, several success statuses, range error statuses, recursion.

use fixture_clients::odd_names::{self, WeirdEnum};
use fixture_clients::{Client, Error, ErrorBody};
use integration_tests::form_parts;
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .build()
        .unwrap();
    (server, client)
}

fn option_body() -> serde_json::Value {
    json!({
        "type": "t", "1st": 1, "self": "s", "crate": "c", "$ref": "r", "a-b": 1.5,
        "@odata.type": "o", "Größe": "g", "match": null,
        "nested": {"deep": "d"}, "tags": {"k": "v"}, "free": {"any": [1, 2]},
        "node": {"value": "1", "next": {"value": "2"}, "children": [{"value": "3"}]},
        "string": "x"
    })
}

#[tokio::test]
async fn keywords_constants_and_numbers_reach_the_wire() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/things/me/a-b"))
        .and(query_param("client", "3"))
        .and(query_param("body", "true"))
        .and(query_param("response", "0"))
        .and(query_param("mode", "fast"))
        .and(header("fixed", "always"))
        .and(header("X-Trace", "abc"))
        .respond_with(ResponseTemplate::new(201).set_body_json(option_body()))
        .expect(1)
        .mount(&server)
        .await;
    let thing = odd_names::get_things_self_type(&client, "me", WeirdEnum::AB, 0)
        .client_(3)
        .body_(true)
        .x_trace("abc")
        .mode(odd_names::GetThingsSelfTypeMode::Fast)
        .await
        .expect("201 is a success too");
    // The status is told apart; both carry the same model.
    assert!(
        matches!(thing, odd_names::GetThingsSelfTypeSuccess::Created(_)),
        "{thing:?}"
    );
    let thing = thing.into_body();
    assert_eq!(thing.r#type, "t");
    assert_eq!(thing._1st, 1);
    assert_eq!(thing.größe.as_deref(), Some("g"));
    assert_eq!(thing.r#match, None);
    let node = thing.node.expect("node");
    assert_eq!(node.next.expect("next").value, "2");
    assert_eq!(thing.string, Some(odd_names::String::X));
    assert_eq!(
        serde_json::to_value(thing.nested).unwrap(),
        json!({"deep": "d"})
    );
}

#[tokio::test]
async fn numeric_bounds_are_checked_before_sending() {
    let (server, client) = setup().await;
    for (client_arg, response, ratio, parameter) in [
        (Some(0), 0, None, "client"),
        (Some(11), 0, None, "client"),
        (None, -1, None, "response"),
        (None, 0, Some(1.6), "ratio"),
    ] {
        let mut call = odd_names::get_things_self_type(&client, "me", WeirdEnum::V10, response);
        if let Some(value) = client_arg {
            call = call.client_(value);
        }
        if let Some(value) = ratio {
            call = call.ratio(value);
        }
        let err = call.await.expect_err("out of bounds");
        assert!(
            matches!(&err, Error::InvalidParameter(p) if p.parameter == parameter && p.value == "<redacted>"),
            "query values never appear in errors: {err:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn range_error_statuses_decode_problem_json() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(418)
                .insert_header("content-type", "application/problem+json")
                .set_body_string(r#"{"code": "teapot", "retries": 3}"#),
        )
        .mount(&server)
        .await;
    let err = odd_names::get_things_self_type(&client, "me", WeirdEnum::Self_, 1)
        .await
        .expect_err("418");
    let Error::Service(service) = err else {
        panic!("{err:?}")
    };
    let ErrorBody::Typed(result) = service.body else {
        panic!("typed")
    };
    assert_eq!(result.code.as_deref(), Some("teapot"));
    assert_eq!(result.additional_properties.get("retries"), Some(&3));
}

#[tokio::test]
async fn merge_patch_bodies_keep_their_media_type() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .and(path("/api/things"))
        .and(header("content-type", "application/merge-patch+json"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let items = [odd_names::Vec {
        value: "secret".into(),
        label: None,
        count: None,
        kind: None,
    }];
    odd_names::put_thing(&client)
        .body(&items)
        .await
        .expect("204");
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.body, br#"[{"value":"secret"}]"#);
    assert!(!format!("{:?}", items[0]).contains("secret"));
}

#[test]
fn colliding_enum_values_stay_distinct_on_the_wire() {
    let all = [
        (WeirdEnum::AB, "a-b"),
        (WeirdEnum::AB2, "a_b"),
        (WeirdEnum::Unknown, "Unknown"),
        (WeirdEnum::V10, "1.0"),
        (WeirdEnum::Plus1, "+1"),
        (WeirdEnum::Minus1, "-1"),
        (WeirdEnum::Value, ""),
        (WeirdEnum::Self_, "self"),
    ];
    for (variant, wire) in all {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(WeirdEnum::from(wire), variant);
        assert!(variant.is_known());
    }
    assert_eq!(WeirdEnum::from("new"), WeirdEnum::Unknown2("new".into()));
}

#[test]
fn hostile_texts_stay_documentation() {
    let source = include_str!("../fixtures/generated/src/odd_names.rs");
    // The injected "code" appears only inside doc comments.
    for line in source
        .lines()
        .filter(|l| l.contains("evil") || l.contains("injected") || l.contains("not_code"))
    {
        let trimmed = line.trim_start();
        assert!(trimmed.starts_with("//"), "escaped into code: {line}");
    }
    assert!(!source.contains("\n#[allow(warnings)]"));
}

#[tokio::test]
async fn body_properties_are_checked_before_sending() {
    let (server, client) = setup().await;
    let item = |value: &str, label: Option<&str>, count: Option<i32>, kind: Option<WeirdEnum>| {
        odd_names::Vec {
            value: value.into(),
            label: label.map(str::to_owned),
            count,
            kind,
        }
    };
    let cases = [
        (item("x", None, None, None), "Vec.value", "minLength 2"),
        (
            item("ok", Some("toolong"), None, None),
            "Vec.label",
            "maxLength 5",
        ),
        (
            item("ok", Some("AB"), None, None),
            "Vec.label",
            "pattern ^[a-z]+$",
        ),
        (item("ok", None, Some(4), None), "Vec.count", "maximum 3"),
        (
            item("ok", None, None, Some(WeirdEnum::from("zzz"))),
            "Vec.kind",
            "enum (a value the spec lists)",
        ),
    ];
    for (bad, at, constraint) in cases {
        let err = odd_names::put_thing(&client)
            .body(&[bad])
            .await
            .expect_err("invalid body");
        let Error::InvalidParameter(p) = &err else {
            panic!("{err:?}")
        };
        assert_eq!((p.parameter, p.constraint.as_ref()), (at, constraint));
        if at == "Vec.value" {
            assert_eq!(p.value, "<redacted>", "a secret never shows in an error");
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[derive(Clone)]
struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn traces_redact_every_query_value_but_constants() {
    let buffer = Buffer(Default::default());
    let writer = {
        let buffer = buffer.clone();
        move || buffer.clone()
    };
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    // Global, not scoped: a scoped subscriber misses callsites that other test threads saw
    // first. This is the only test of the binary that installs one.
    tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(option_body()))
        .mount(&server)
        .await;
    odd_names::get_things_self_type(&client, "me", WeirdEnum::AB, 12345)
        .client_(7)
        .await
        .unwrap();
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("client=REDACTED") && log.contains("response=REDACTED"),
        "{log}"
    );
    assert!(!log.contains("12345"), "{log}");
}

#[test]
fn all_of_merges_base_and_own_properties() {
    let tracked: odd_names::Tracked = serde_json::from_value(json!({
        "id": "/x", "name": "n", "location": "westeurope", "tags": {"a": "b"}
    }))
    .expect("decodes");
    // `id` is required but read-only: an `Option`, so requests need not invent one.
    assert_eq!(tracked.id.as_deref(), Some("/x"));
    assert_eq!(tracked.location, "westeurope");
    assert_eq!(tracked.name.as_deref(), Some("n"));
    assert!(
        serde_json::from_value::<odd_names::Tracked>(json!({"id": "/x"})).is_err(),
        "location is required"
    );
}

#[tokio::test]
async fn list_parameters_follow_their_style() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/search"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    odd_names::search(&client, &["x y", "z"])
        .ids(&[1, 2, 3])
        .kinds(&[WeirdEnum::AB, WeirdEnum::Plus1])
        .x_labels(&["a", "b"])
        .await
        .expect("200");
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        sent.url.query(),
        Some("ids=1%2C2%2C3&tag=x+y&tag=z&kinds=a-b&kinds=%2B1"),
        "form + explode repeats the pair; explode: false joins with commas"
    );
    assert_eq!(
        sent.headers["X-Labels"], "a,b",
        "header lists are comma-separated"
    );

    let err = odd_names::search(&client, &[])
        .kinds(&[WeirdEnum::from("new")])
        .await
        .expect_err("unknown enum value in a list");
    assert!(
        matches!(&err, Error::InvalidParameter(p) if p.parameter == "kinds"),
        "{err:?}"
    );
}

#[test]
fn one_of_decodes_the_first_fitting_member_and_keeps_the_rest() {
    use odd_names::{Cat, Pet};
    let pet = |v| serde_json::from_value::<Pet>(v).unwrap();
    assert_eq!(pet(json!({"meows": true})), Pet::Cat(Cat { meows: true }));
    let Pet::Dog(dog) = pet(json!({"barks": 2, "friend": "Rex"})) else {
        panic!("a dog")
    };
    assert_eq!(dog.friend.as_deref(), Some(&Pet::Text("Rex".into())));
    assert_eq!(pet(json!("Rex")), Pet::Text("Rex".into()));
    assert_eq!(
        pet(json!(42)),
        Pet::Other(json!(42)),
        "an unknown shape still decodes"
    );
    assert_eq!(
        serde_json::to_value(Pet::Text("Rex".into())).unwrap(),
        json!("Rex")
    );
}

/// A union with one string member converts from text into that member, and sends it as a
/// JSON string.
#[tokio::test]
async fn a_union_with_one_string_member_converts_from_text() {
    use odd_names::Pet;
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .and(path("/api/pets/favorite"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    odd_names::set_favorite_pet(&client, &Pet::from("Rex"))
        .await
        .unwrap();
    let name = String::from("Tom");
    odd_names::set_favorite_pet(&client, &name.into())
        .await
        .unwrap();
    let sent = server.received_requests().await.unwrap();
    let bodies: Vec<serde_json::Value> = sent
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies, [json!("Rex"), json!("Tom")]);
    assert_eq!(sent[0].headers["content-type"], "application/json");
}

#[tokio::test]
async fn bytes_text_and_form_bodies() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .and(path("/api/files/a.bin"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_string("stored 3 bytes"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/files/a.bin"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0u8, 159, 255]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let text: String = odd_names::upload(&client, "a.bin", &[0, 159, 255])
        .await
        .unwrap();
    assert_eq!(text, "stored 3 bytes");
    let bytes: Vec<u8> = odd_names::download(&client, "a.bin").await.unwrap();
    assert_eq!(bytes, [0, 159, 255]);
    odd_names::login(
        &client,
        &odd_names::LoginBody {
            user: "ada lovelace".into(),
            remember: Some(true),
        },
    )
    .await
    .unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent[0].body, [0, 159, 255]);
    assert_eq!(sent[2].body, b"user=ada+lovelace&remember=true");
}

/// A spec split by tag: the operations and models of every tag module are there at the
/// module's root, and a two-tag operation decodes a model another tag's module defines.
#[tokio::test]
async fn a_module_split_by_tag_reads_as_one_module() {
    use fixture_clients::tagged::{self, NewPet, StoreKind};
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/stores/s1/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"name": "Rex", "owner": {"login": "ann"}}
        ])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/stores/s1"))
        .and(query_param("kind", "market"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"kind": "bazaar"})))
        .mount(&server)
        .await;
    let pets = tagged::stores_pets(&client, "s1").await.unwrap();
    assert_eq!(pets[0].name, "Rex");
    assert_eq!(
        pets[0].owner.as_ref().and_then(|o| o.login.as_deref()),
        Some("ann")
    );
    let store = tagged::stores::stores_get(&client, "s1")
        .kind(StoreKind::Market)
        .await
        .unwrap();
    assert_eq!(store.kind, Some(StoreKind::Unknown("bazaar".into())));
    // Request bodies are still checked before anything is sent.
    let long = NewPet {
        name: "x".repeat(21),
    };
    let err = tagged::pets_create(&client, &long).await.unwrap_err();
    assert!(matches!(err, Error::InvalidParameter(_)), "{err}");
}

/// A `discriminator` picks the variant by the property's value (`mapping` included), keeps a
/// value it does not name, and refuses a named variant that does not fit.
#[tokio::test]
async fn a_discriminator_picks_the_variant_by_its_property() {
    use odd_names::{Circle, Shape, Square};
    let decode = |v: serde_json::Value| serde_json::from_value::<Shape>(v);
    assert_eq!(
        decode(json!({"kind": "round", "radius": 1.5})).unwrap(),
        Shape::Circle(Circle {
            kind: "round".into(),
            radius: 1.5
        })
    );
    assert!(matches!(
        decode(json!({"kind": "Square", "side": 2.0})).unwrap(),
        Shape::Square(Square { side, .. }) if side == 2.0
    ));
    // A Square's shape under Circle's name is not silently a Square.
    let err = decode(json!({"kind": "round", "side": 2.0})).unwrap_err();
    assert!(err.to_string().contains("radius"), "{err}");
    let unknown = json!({"kind": "hexagon", "sides": 6});
    assert_eq!(decode(unknown.clone()).unwrap(), Shape::Other(unknown));

    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/shapes"))
        .and(wiremock::matchers::body_json(
            json!({"kind": "round", "radius": 3.0}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"kind": "Square", "side": 4.0})),
        )
        .mount(&server)
        .await;
    let circle = Shape::Circle(Circle {
        kind: "round".into(),
        radius: 3.0,
    });
    let back = odd_names::shapes_echo(&client, &circle).await.unwrap();
    assert!(matches!(back, Shape::Square(Square { side, .. }) if side == 4.0));
}

/// The models' written-out `Deserialize`: required fields named when missing, `null` for a
/// nullable one, unknown and escaped keys, and anything but an object refused.
#[test]
fn models_decode_objects_strictly_where_the_spec_is_strict() {
    use odd_names::Option as Thing;
    let err = serde_json::from_value::<Thing>(json!({"type": "t"})).unwrap_err();
    assert!(err.to_string().contains("missing field `1st`"), "{err}");
    // An escaped key is the same key; unknown keys are skipped; `null` is `None`.
    let thing: Thing =
        serde_json::from_str(r#"{"typ\u0065": "t", "1st": 7, "match": null, "new": [1]}"#).unwrap();
    assert_eq!(
        (thing.r#type.as_str(), thing._1st, thing.r#match),
        ("t", 7, None)
    );
    let err = serde_json::from_str::<Thing>(r#"{"type": 1, "1st": 7}"#).unwrap_err();
    assert!(err.to_string().contains("expected a string"), "{err}");
    let err = serde_json::from_str::<Thing>(r#"["t", 7]"#).unwrap_err();
    assert!(err.to_string().contains("an object (Option)"), "{err}");
}

/// The query pairs of a request, decoded, in the order sent.
fn query_pairs(request: &wiremock::Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn object_query_parameters_follow_their_style() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/filter"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let filter = odd_names::FilterWhere {
        status: Some("open & new".into()),
        min: Some(3),
        range: Some(odd_names::FilterWhereRange {
            from: Some(1),
            to: None,
        }),
        labels: Some(vec!["a".into(), "b".into()]),
    };
    let page = odd_names::FilterPage {
        offset: Some(20),
        limit: Some(10),
    };
    let point = odd_names::FilterPoint {
        x: Some(1.5),
        y: Some(-2.0),
    };
    let sorts = [odd_names::FilterSortsItem {
        field: Some("name".into()),
        desc: Some(true),
    }];
    // Built through the crate's re-export, as a caller without `serde_json` of its own would.
    let extra = fixture_clients::serde_json::json!({"q": "x", "n": null});
    odd_names::filter(&client, &page)
        .r#where(&filter)
        .point(&point)
        .extra(&extra)
        .sorts(&sorts)
        .await
        .expect("204");
    let sent = &server.received_requests().await.unwrap()[0];
    let mut got = query_pairs(sent);
    // An object in an array: OpenAPI defines no form, so JSON text.
    let sorts = got.iter().position(|(k, _)| k == "sorts").expect("sorts");
    let (_, sorts) = got.remove(sorts);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&sorts).unwrap(),
        json!({"field": "name", "desc": true})
    );
    got.sort();
    let mut want = pairs(&[
        // deepObject: brackets, nested objects nest them, arrays repeat the key, absent and
        // null properties are left out.
        ("where[status]", "open & new"),
        ("where[min]", "3"),
        ("where[range][from]", "1"),
        ("where[labels]", "a"),
        ("where[labels]", "b"),
        // form + explode (the default): the properties are the pairs.
        ("offset", "20"),
        ("limit", "10"),
        // form without explode: one pair, name and value alternating.
        ("point", "x,1.5,y,-2.0"),
        ("extra[q]", "x"),
    ]);
    want.sort();
    assert_eq!(got, want, "{:?}", sent.url.query());

    // Only the required one: nothing else is sent.
    odd_names::filter(&client, &page).await.expect("204");
    let sent = &server.received_requests().await.unwrap()[1];
    let mut got = query_pairs(sent);
    got.sort();
    assert_eq!(got, pairs(&[("limit", "10"), ("offset", "20")]));
}

#[test]
fn query_flattening_follows_the_openapi_style_table() {
    use fixture_clients::runtime::query::flatten;
    use fixture_clients::runtime::QueryStyle;
    let flat = |style, value: serde_json::Value| {
        let mut out = Vec::new();
        flatten(&mut out, "f", style, &value);
        out
    };
    // The examples of the OpenAPI 3.0 "Style Values" table.
    let object = json!({"role": "admin", "firstName": "Alex"});
    assert_eq!(
        flat(QueryStyle::FormExplode, object.clone()),
        pairs(&[("role", "admin"), ("firstName", "Alex")])
    );
    assert_eq!(
        flat(QueryStyle::Form, object.clone()),
        pairs(&[("f", "role,admin,firstName,Alex")])
    );
    assert_eq!(
        flat(QueryStyle::DeepObject, object),
        pairs(&[("f[role]", "admin"), ("f[firstName]", "Alex")])
    );
    let array = json!([3, 4, 5]);
    assert_eq!(
        flat(QueryStyle::FormExplode, array.clone()),
        pairs(&[("f", "3"), ("f", "4"), ("f", "5")])
    );
    assert_eq!(flat(QueryStyle::Form, array), pairs(&[("f", "3,4,5")]));
    // A scalar is one pair in every style; null is none.
    assert_eq!(
        flat(QueryStyle::DeepObject, json!("x")),
        pairs(&[("f", "x")])
    );
    assert!(flat(QueryStyle::Form, serde_json::Value::Null).is_empty());
    // An object inside a form-exploded object has no form of its own: JSON text.
    assert_eq!(
        flat(QueryStyle::FormExplode, json!({"a": {"b": 1}})),
        pairs(&[("a", r#"{"b":1}"#)])
    );
}

#[tokio::test]
async fn multipart_bodies_send_a_part_per_property() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/forms"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let file = vec![0u8, 159, 146, 150, b'\r', b'\n', b'-', b'-'];
    let body = odd_names::PostFormBody {
        file: file.clone().into(),
        title: "über".into(),
        quoted_name: Some(7),
        tags: Some(vec!["a".into(), "b".into()]),
        meta: Some(odd_names::PostFormBodyMeta {
            author: Some("me".into()),
        }),
        thumbnail: None,
    };
    odd_names::post_form(&client, &body).await.expect("204");
    let sent = &server.received_requests().await.unwrap()[0];
    let content_type = sent.headers["content-type"].to_str().unwrap();
    let parts = form_parts(content_type, &sent.body);
    let heads: Vec<&str> = parts.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        heads,
        [
            "Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream",
            "Content-Disposition: form-data; name=\"title\"",
            "Content-Disposition: form-data; name=\"quoted %22name%22\"",
            "Content-Disposition: form-data; name=\"tags\"",
            "Content-Disposition: form-data; name=\"tags\"",
            "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json",
        ]
    );
    let contents: Vec<&[u8]> = parts.iter().map(|(_, c)| c.as_slice()).collect();
    assert_eq!(
        contents,
        [
            file.as_slice(),
            "über".as_bytes(),
            b"7",
            b"a",
            b"b",
            br#"{"author":"me"}"#,
        ]
    );
    // Each body gets its own boundary.
    odd_names::post_form(&client, &body).await.expect("204");
    let again = &server.received_requests().await.unwrap()[1];
    assert_ne!(
        again.headers["content-type"].to_str().unwrap(),
        content_type
    );
}

#[tokio::test]
async fn a_content_parameter_goes_as_json_text() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/json-query"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let q = odd_names::JsonQueryQ {
        name: Some("a&b".into()),
        ids: Some(vec![1, 2]),
    };
    odd_names::json_query(&client, &q).await.expect("204");
    let sent = &server.received_requests().await.unwrap()[0];
    let got = query_pairs(sent);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "q");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&got[0].1).unwrap(),
        json!({"name": "a&b", "ids": [1, 2]})
    );
}

#[tokio::test]
async fn dates_and_date_times_are_chrono_types_on_the_wire() {
    use chrono::{NaiveDate, TimeZone, Utc};
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/days/2026-11-28"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({
                    // Any RFC 3339 offset decodes, as the same instant in UTC.
                    "at": "2026-11-28T10:30:00+02:00",
                    "day": "2026-11-28",
                    "history": ["2026-11-27T23:59:59.5Z"],
                    "@id": "a", "id": "b", "ID": 3
                }))
                .insert_header("ETag", "\"v1\"")
                .insert_header("X-Remaining", " 17 ")
                // Date headers are HTTP-dates, whatever the spec's `format` says.
                .insert_header("Last-Modified", "Sat, 28 Nov 2026 08:00:00 GMT")
                .insert_header("X-Cached", "true"),
        )
        .mount(&server)
        .await;
    let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let since = Utc.with_ymd_and_hms(2026, 11, 28, 8, 0, 0).unwrap();
    let at = [since, Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap()];
    let event = odd_names::day_events(&client, day)
        .since(since)
        .at(&at)
        .await
        .expect("200");
    assert_eq!(
        event.at,
        Utc.with_ymd_and_hms(2026, 11, 28, 8, 30, 0).unwrap()
    );
    assert_eq!(event.day, Some(day));
    assert_eq!(
        (event.id.as_deref(), event.id_2.as_deref(), event.id_3),
        (Some("a"), Some("b"), Some(3))
    );
    let (event, headers) = event.into_parts();
    let history = event.history.expect("history");
    assert_eq!(history[0].timestamp_subsec_millis(), 500);
    assert_eq!(
        headers,
        odd_names::DayEventsHeaders {
            e_tag: Some("\"v1\"".to_owned()),
            x_remaining: Some(17),
            last_modified: Some(since),
            x_cached: Some(true),
        }
    );

    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        query_pairs(sent),
        pairs(&[
            ("since", "2026-11-28T08:00:00Z"),
            ("at", "2026-11-28T08:00:00Z,2026-11-28T09:00:00Z"),
        ])
    );
}

#[tokio::test]
async fn a_date_time_that_is_not_rfc_3339_is_a_decode_error_not_a_panic() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/days/2026-11-28"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"at": "yesterday"})))
        .mount(&server)
        .await;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let error = odd_names::day_events(&client, day)
        .await
        .expect_err("not a date-time");
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
}

#[tokio::test]
async fn several_success_statuses_are_told_apart_by_the_status() {
    use odd_names::GetJobSuccess;
    let (server, client) = setup().await;
    let answers = [
        (
            "done",
            ResponseTemplate::new(200).set_body_json(option_body()),
        ),
        (
            "running",
            ResponseTemplate::new(202).set_body_json(json!({"progress": 40})),
        ),
        ("quiet", ResponseTemplate::new(204)),
        (
            "log",
            ResponseTemplate::new(206)
                .set_body_string("line 1")
                .insert_header("content-type", "text/plain"),
        ),
        ("redirected", ResponseTemplate::new(203)),
    ];
    for (id, answer) in answers {
        Mock::given(method("GET"))
            .and(path(format!("/api/jobs/{id}")))
            .respond_with(answer)
            .mount(&server)
            .await;
    }
    let done = odd_names::get_job(&client, "done").await.expect("200").body;
    assert!(
        matches!(done, GetJobSuccess::Ok(ref o) if o.r#type == "t"),
        "{done:?}"
    );
    let running = odd_names::get_job(&client, "running")
        .await
        .expect("202")
        .body;
    assert_eq!(
        running,
        GetJobSuccess::Accepted(odd_names::GetJobResponse { progress: Some(40) })
    );
    let quiet = odd_names::get_job(&client, "quiet")
        .await
        .expect("204")
        .body;
    assert_eq!(quiet, GetJobSuccess::NoContent);
    let log = odd_names::get_job(&client, "log")
        .await
        .expect("206")
        .into_body();
    assert_eq!(log, GetJobSuccess::PartialContent("line 1".to_owned()));
    // A 2xx the spec does not list is not silently taken for one it does.
    let other = odd_names::get_job(&client, "redirected").await;
    assert!(other.is_err(), "{other:?}");
}

#[tokio::test]
async fn declared_headers_are_typed_absent_ones_are_none_and_bad_ones_are_errors() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/jobs/running"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(json!({"progress": 1}))
                .insert_header("Location", "/jobs/running"),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/jobs/gone"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/jobs/odd"))
        .respond_with(ResponseTemplate::new(204).insert_header("X-Cancelled-At", "soon"))
        .mount(&server)
        .await;
    let running = odd_names::get_job(&client, "running").await.expect("202");
    assert_eq!(running.headers.location.as_deref(), Some("/jobs/running"));
    // A body-less success returns its headers.
    let gone = odd_names::cancel_job(&client, "gone").await.expect("204");
    assert_eq!(gone, odd_names::CancelJobHeaders::default());
    let odd = odd_names::cancel_job(&client, "odd")
        .await
        .expect_err("not a date-time");
    let text = odd.to_string();
    assert!(text.contains("X-Cancelled-At"), "{text}");
}

#[tokio::test]
async fn content_parameters_in_the_path_and_headers_go_as_json_text() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        // `"a/b"` as JSON, one path segment: the quotes and the slash percent-encoded.
        .and(path("/api/json-query/%22a%2Fb%22"))
        .and(header("X-Filter", r#"{"tag":"t"}"#))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let filter = odd_names::JsonPathXFilter {
        tag: Some("t".into()),
    };
    odd_names::json_path(&client, "a/b")
        .x_filter(&filter)
        .await
        .expect("204");
}

#[tokio::test]
async fn read_only_properties_stay_out_of_requests_and_write_only_ones_out_of_responses() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/accounts"))
        // The service sets `id` and never returns `password`: both required in the spec.
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "a1", "name": "n"})))
        .mount(&server)
        .await;
    // The required fields by the constructor, an optional one by name.
    let account = odd_names::Account {
        password: Some("secret".into()),
        ..odd_names::Account::new("n")
    };
    let created = odd_names::create_account(&client, &account)
        .await
        .expect("201");
    assert_eq!(created.id.as_deref(), Some("a1"));
    assert_eq!(created.password, None);
    let sent = &server.received_requests().await.unwrap()[0];
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body, json!({"name": "n", "password": "secret"}));
}
