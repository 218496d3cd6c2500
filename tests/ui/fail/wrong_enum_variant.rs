use azure_keys::logic_apps::KeyType;

fn main() {
    let _ = KeyType::Tertiary;
}
