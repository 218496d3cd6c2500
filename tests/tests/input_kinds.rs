//! The input kinds of `codegen/tests/inputs/` over real HTTP (wiremock on loopback), as the
//! fixture crate generates them: Swagger 2.0 (its collection formats, form and multipart bodies,
//! `securityDefinitions`, a discriminated hierarchy), a spec split across files, and Azure's
//! layout (Swagger 2.0 with `common-types`, `x-ms-paths`, `x-ms-client-name`, `x-ms-enum`, an
//! overlay).

use fixture_clients::swagger2_petstore::{self as pets, SecuritySchemes};
use fixture_clients::{azure_arm, split_3_0, Client, Error, ErrorBody, StaticToken};
use serde_json::json;
use wiremock::matchers::body_string_contains;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup(prefix: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}{prefix}", server.uri()))
        .credential(StaticToken::new("t"))
        .build()
        .unwrap();
    (server, client)
}

const SUB: &str = "00000000-0000-0000-0000-000000000000";

#[tokio::test]
async fn a_split_spec_calls_and_decodes_across_its_files() {
    let (server, client) = setup("/v1").await;
    // The path item of paths/pets.yaml, the parameter of common.yaml, the schema of
    // schemas/pet.yaml whose owner (schemas/owner.json) refers back to it.
    Mock::given(method("GET"))
        .and(path("/v1/pets"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"name": "Tom", "owner": {"name": "Ann", "pets": [{"name": "Rex"}]}}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let pets = split_3_0::list_pets(&client).limit(2).await.unwrap();
    let owner = pets[0].owner.as_ref().unwrap();
    assert_eq!(owner.pets.as_ref().unwrap()[0].name, "Rex");

    // 404 carries common.yaml's error, which is not the root's `Error`.
    Mock::given(method("GET"))
        .and(path("/v1/pets"))
        .and(query_param("limit", "1"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"code": 7, "detail": "none"})),
        )
        .mount(&server)
        .await;
    let err = split_3_0::list_pets(&client).limit(1).await.unwrap_err();
    let Error::Service(service) = err else {
        panic!("{err:?}")
    };
    let ErrorBody::Typed(split_3_0::Error2 { code, .. }) = service.body else {
        panic!("{:?}", service.body)
    };
    assert_eq!(code, Some(7));
}

#[tokio::test]
async fn an_azure_spec_sends_its_constants_client_names_and_x_ms_paths_query() {
    let (server, client) = setup("").await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Widgets/widgets/w-1"
        )))
        // The api-version of the file, the `?action=rotate` of the x-ms-paths key, and the
        // `x-ms-enum` value of the argument the spec names `whichKey`.
        .and(query_param("api-version", "2026-01-01"))
        .and(query_param("action", "rotate"))
        .and(query_param("keyName", "secondary"))
        .and(header("authorization", "Bearer t"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "primaryKey": "p-secret", "secondaryKey": "s-secret"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let keys =
        azure_arm::widgets_rotate_key(&client, SUB, "rg1", "w-1", azure_arm::KeyName::Second)
            .await
            .unwrap();
    // Both keys are secrets: the file marks one, the overlay the other.
    let shown = format!("{keys:?}");
    assert!(
        !shown.contains("p-secret") && !shown.contains("s-secret"),
        "{shown}"
    );
    assert_eq!(keys.secondary_key.unwrap().expose_secret(), "s-secret");
}

#[tokio::test]
async fn an_azure_spec_checks_what_its_common_types_and_overlay_say() {
    let (server, client) = setup("").await;
    // The overlay adds `format: uuid` to common-types' SubscriptionIdParameter.
    let err = azure_arm::widgets_list_by_resource_group(&client, "not-a-uuid", "rg1")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("subscriptionId"), "{err}");
    // common-types' resource group name: 1 to 90 characters.
    let long = "r".repeat(91);
    let err = azure_arm::widgets_list_by_resource_group(&client, SUB, &long)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("resourceGroupName"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_azure_error_decodes_into_common_types_error_response() {
    let (server, client) = setup("").await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "ResourceGroupNotFound", "message": "no", "details": [{"code": "x"}]}
        })))
        .mount(&server)
        .await;
    let err = azure_arm::widgets_list_by_resource_group(&client, SUB, "rg1")
        .await
        .unwrap_err();
    let Error::Service(service) = err else {
        panic!("{err:?}")
    };
    let ErrorBody::Typed(azure_arm::ErrorResponse {
        error: Some(detail),
    }) = service.body
    else {
        panic!("{:?}", service.body)
    };
    assert_eq!(detail.code.as_deref(), Some("ResourceGroupNotFound"));
    assert_eq!(detail.details.as_ref().map(Vec::len), Some(1));
}

#[tokio::test]
async fn swagger_2_query_arrays_keep_their_collection_format_and_subtypes_decode() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .api_key(SecuritySchemes::KEY, "k-1")
        .build()
        .unwrap();
    Mock::given(method("GET"))
        .and(path("/v2/pets"))
        // csv (2.0's default), multi and pipes.
        .and(query_param("tags", "a,b"))
        .and(query_param("ids", "1"))
        .and(query_param("ids", "2"))
        .and(query_param("kinds", "cat|dog"))
        .and(header("X-API-Key", "k-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Total", "4")
                .set_body_json(json!([
                    {"petType": "cat", "name": "Tom", "huntingSkill": "lazy"},
                    {"petType": "Dog", "name": "Rex", "packSize": 3},
                    {"petType": "Pet", "name": "Generic"},
                    {"petType": "bird", "name": "Tweety"}
                ])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let listed = pets::list_pets(&client)
        .tags(&["a", "b"])
        .ids(&[1, 2])
        .kinds(&[pets::ListPetsKindsItem::Cat, pets::ListPetsKindsItem::Dog])
        .await
        .unwrap();
    assert_eq!(listed.headers.x_total, Some(4));
    // The discriminator picks the subtype, with the fields only it has.
    assert!(matches!(&listed[0], pets::PetUnion::Cat(c)
        if c.hunting_skill == Some(pets::CatHuntingSkill::Lazy)));
    assert!(matches!(&listed[1], pets::PetUnion::Dog(d) if d.pack_size == Some(3)));
    assert!(matches!(&listed[2], pets::PetUnion::Pet(p) if p.name == "Generic"));
    assert!(matches!(&listed[3], pets::PetUnion::Other(_)));
}

#[tokio::test]
async fn swagger_2_form_data_goes_as_a_form_or_multipart_body() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .api_key(SecuritySchemes::KEY, "k-1")
        .build()
        .unwrap();
    // `security: []` on login: no key is sent.
    Mock::given(method("POST"))
        .and(path("/v2/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("user=ann"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "t"})))
        .expect(1)
        .mount(&server)
        .await;
    let body = pets::LoginBody {
        user: "ann".into(),
        password: "pw".into(),
    };
    let session = pets::login(&client, &body).await.unwrap();
    assert_eq!(session.token.as_deref(), Some("t"));
    let login = &server.received_requests().await.unwrap()[0];
    assert!(
        login.headers.get("X-API-Key").is_none(),
        "anonymous operation"
    );

    Mock::given(method("POST"))
        .and(path("/v2/pets/7/photo"))
        .and(body_string_contains("name=\"file\""))
        .and(body_string_contains("PNG-BYTES"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let photo = pets::UploadPhotoBody {
        file: b"PNG-BYTES".to_vec().into(),
        caption: Some("me".into()),
    };
    pets::upload_photo(&client, 7, &photo).await.unwrap();
}

/// FastAPI writes an upload's body as a component (`Body_upload_file_post`): its
/// `format: binary` property is a file part, not text (OpenAPI 3.1, translated).
#[tokio::test]
async fn a_fastapi_upload_sends_its_file_as_a_file_part() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    Mock::given(method("POST"))
        .and(path("/file"))
        .and(body_string_contains("filename="))
        .and(body_string_contains("\x00BINARY\x01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "a.bin"})))
        .expect(1)
        .mount(&server)
        .await;
    let body = fixture_clients::fastapi::BodyUploadFilePost {
        file: b"\x00BINARY\x01".to_vec().into(),
        note: None,
    };
    let answer = fixture_clients::fastapi::upload_file_post(&client, &body)
        .await
        .unwrap();
    assert_eq!(answer["name"], "a.bin");
}
