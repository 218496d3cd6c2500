use azure_keys::log_analytics::SharedKeys;

fn main() {
    let _ = SharedKeys {
        primary_shared_key: None,
        secondary_shared_key: None,
        tertiary_shared_key: None,
    };
}
