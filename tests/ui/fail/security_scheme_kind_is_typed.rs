use fixture_clients::security::SecuritySchemes;
use fixture_clients::Client;

fn main() {
    // An API key scheme is not an HTTP basic one: the kinds are types.
    let _ = Client::builder().basic_auth(SecuritySchemes::API_KEY_HEADER, "user", "password");
}
