// The README's example, verbatim in substance: it must compile.
use azure_keys::{log_analytics, Client, Error, ErrorBody, StaticToken};

async fn regenerate(client: &Client) -> Result<(), Error<log_analytics::ErrorResponse>> {
    let keys = log_analytics::shared_keys_regenerate(
        client,
        "00000000-0000-0000-0000-000000000000",
        "rg1",
        "workspace1",
    )
    .await?;
    // Keys are `SecretString`: `{:?}` prints `<redacted>`.
    println!("{keys:?}");
    if let Some(primary) = &keys.primary_shared_key {
        let _value: &str = primary.expose_secret();
    }
    Ok(())
}

async fn explain(client: &Client) {
    match regenerate(client).await {
        Ok(()) => {}
        Err(Error::InvalidParameter(e)) => eprintln!("nothing sent: {e}"),
        Err(Error::Service(e)) => match &e.body {
            ErrorBody::Typed(body) => {
                let code = body.error.as_ref().and_then(|d| d.code.as_deref());
                eprintln!("HTTP {}: {code:?}", e.status);
            }
            ErrorBody::Raw(text) => eprintln!("HTTP {}: {text}", e.status),
        },
        Err(other) => eprintln!("{other}"),
    }
}

fn main() {
    let client = Client::builder()
        .base_url("https://management.azure.com")
        .credential(StaticToken::new("token"))
        .build()
        .expect("client");
    // Futures are lazy: building one sends nothing.
    drop(explain(&client));
}
