// api-diff rates a new optional parameter `ok` (codegen/tests/diff/new_optional_parameter): the
// ground truth is that code written against the old client compiles against the new one.

macro_rules! caller {
    ($api:ident) => {
        /// What a user wrote against the old spec's client.
        #[allow(dead_code)]
        async fn call(client: &Client) -> Result<(), Error<$api::ErrorResponse>> {
            let body = $api::RegenerateRequest {
                comment: Some("rotated".into()),
                ..$api::RegenerateRequest::new($api::KeyType::Primary)
            };
            let _keys = $api::shared_keys_regenerate(client, "ws1", &body).await?;
            let _keys = $api::shared_keys_get(client, "ws1").await?;
            Ok(())
        }
    };
}

mod before {
    use fixture_clients::diff_before as api;
    use fixture_clients::{Client, Error};
    caller!(api);
}

mod after {
    use fixture_clients::diff_optional_added as api;
    use fixture_clients::{Client, Error};
    caller!(api);
}

fn main() {}
