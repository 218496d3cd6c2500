use azure_keys::event_grid::PartnerNamespaceRegenerateKeyRequest;

fn main() {
    // `keyName` is required by the spec.
    let _ = PartnerNamespaceRegenerateKeyRequest {};
}
