// api-diff rates a new required parameter BREAKING (codegen/tests/diff/new_required_parameter):
// the ground truth is that code written against the old client stops compiling.

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

mod after {
    use fixture_clients::diff_required_added as api;
    use fixture_clients::{Client, Error};
    caller!(api);
}

fn main() {}
