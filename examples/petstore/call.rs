//! The README's call, compiled against the crate `openapi-rustgen generate` writes from this
//! folder (cli/tests/install.rs copies it to `petstore/examples/`).

use petstore::{petstore as api, Client, Error};

async fn pet(key: String) -> Result<api::Pet, Error<api::Problem>> {
    let client = Client::builder()
        .api_key(api::SecuritySchemes::API_KEY, key) // the spec's `api_key` scheme
        .build()
        .expect("client");
    api::get_pet_by_id(&client, 42).await // GET https://petstore.example.com/v1/pets/42
}

fn main() {
    let _call = pet(String::new());
}
