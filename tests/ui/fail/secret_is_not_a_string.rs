use azure_keys::search::AdminKeyResult;

fn main() {
    let keys = AdminKeyResult::default();
    // Secrets must be read through `expose_secret`.
    let _: Option<String> = keys.primary_key;
}
