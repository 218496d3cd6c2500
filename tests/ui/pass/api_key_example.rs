// The README's API-key example, on the fixture crate's `security` module: it must compile.
use fixture_clients::security::{self, SecuritySchemes};
use fixture_clients::{Client, Error};

async fn call(key: String) -> Result<(), Error<serde_json::Value>> {
    let client = Client::builder()
        .api_key(SecuritySchemes::API_KEY_HEADER, key) // or .api_key("api_key_header", key)
        .basic_auth(SecuritySchemes::BASIC, "user", "password")
        .build()
        .expect("client");
    let answer = security::header_key(&client).await?;
    println!("{}", answer.operation);
    match security::basic_auth(&Client::builder().build().expect("client")).await {
        Err(Error::MissingCredentials(e)) => eprintln!("nothing sent: {e}"),
        other => drop(other),
    }
    Ok(())
}

fn main() {
    // Futures are lazy: building one sends nothing.
    drop(call("key".to_owned()));
}
