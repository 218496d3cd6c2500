//! Adding an API version of a service touches only that version's module, the service's module
//! (alias and feature gates) and the crate manifest (feature list).

use std::collections::BTreeSet;
use std::path::Path;

use codegen::{CrateOptions, Spec};

fn spec(version: &str) -> Spec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/seeds/log_analytics")
        .join(format!("{version}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    Spec::versioned(
        format!("tests/seeds/log_analytics/{version}.yaml"),
        text,
        "log_analytics",
        version,
    )
}

fn options() -> CrateOptions {
    CrateOptions::new("versions")
        .description("versions")
        .standalone(false)
}

#[test]
fn adding_a_version_touches_only_its_module_the_alias_and_the_features() {
    let before = codegen::generate(&[spec("2020-08-01")], &options())
        .unwrap()
        .files;
    let after = codegen::generate(&[spec("2020-08-01"), spec("2025-07-01")], &options())
        .unwrap()
        .files;
    let touched: BTreeSet<String> = after
        .iter()
        .filter(|(path, text)| before.get(*path) != Some(*text))
        .map(|(path, _)| path.display().to_string())
        .chain(
            before
                .keys()
                .filter(|p| !after.contains_key(*p))
                .map(|p| p.display().to_string()),
        )
        .collect();
    let expected: BTreeSet<String> = [
        "Cargo.toml",
        "src/log_analytics/mod.rs",
        "src/log_analytics/v2025_07_01.rs",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(touched, expected);
    let manifest = &after[Path::new("Cargo.toml")];
    assert!(
        manifest.contains("default = [\"log_analytics-2025-07-01\"]"),
        "{manifest}"
    );
    let newer = &after[Path::new("src/log_analytics/v2025_07_01.rs")];
    assert!(
        newer.contains(
            "pub use super::v2020_08_01::{ErrorAdditionalInfo, ErrorDetail, SharedKeys};"
        ),
        "unchanged types are taken from the older version:\n{newer}"
    );
    assert!(
        newer.contains("pub struct ErrorResponse"),
        "a changed type is generated again"
    );
}

#[test]
fn a_preview_is_never_the_default() {
    let mut preview = spec("2025-07-01");
    preview.service.as_mut().unwrap().version = "2026-01-01-preview".into();
    preview.module = "v2026_01_01_preview".into();
    let files = codegen::generate(&[spec("2020-08-01"), preview], &options())
        .unwrap()
        .files;
    let service = &files[Path::new("src/log_analytics/mod.rs")];
    assert!(
        service.contains("pub use self::v2020_08_01::*;"),
        "{service}"
    );
    assert!(files[Path::new("Cargo.toml")].contains("default = [\"log_analytics-2020-08-01\"]"));
}
