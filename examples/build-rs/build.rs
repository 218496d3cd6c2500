//! Generates the client of api/pets.yaml into OUT_DIR (src/lib.rs includes it), and tells cargo
//! to run again when the spec, the file it references or the overlay changes.

fn main() {
    let generated = codegen::Builder::new()
        .spec("api/pets.yaml")
        .overlay("api/pets.overlay.yaml")
        .operations(["getPetById"])
        .generate()
        .unwrap();
    // What Cargo.toml has to say: the runtime's features, and the client's (here only
    // `full-serde`, which this crate does not turn on).
    assert_eq!(generated.runtime_features, ["regex"]);
    assert_eq!(generated.features, ["full-serde"]);
}
