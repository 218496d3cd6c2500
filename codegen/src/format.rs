//! Format: tokens -> source text with `prettyplease`, behind the `@generated` header, with a
//! blank line between top-level items as a person would leave them.

use proc_macro2::TokenStream;

/// Formats one file. A parse failure here is a generator bug, reported rather than panicking.
pub fn format_file(tokens: TokenStream, header: &str, what: &str) -> Result<String, String> {
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| format!("internal error: the generated {what} does not parse: {e}"))?;
    let mut out = String::from(header);
    let inner = syn::File {
        shebang: None,
        attrs: file.attrs,
        items: Vec::new(),
    };
    out.push_str(&prettyplease::unparse(&inner));
    for item in file.items {
        if !out.ends_with(header) {
            out.push('\n');
        }
        out.push_str(&prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item],
        }));
    }
    Ok(out)
}

/// Passes every `.rs` file through `rustfmt` (the toolchain's, as `cargo fmt` would), so the
/// output is identical to what `cargo fmt` leaves. `prettyplease` output is already well
/// formatted; this only settles the places where the two disagree. Returns `false`, leaving the
/// files as they were, when `rustfmt` cannot be run.
pub fn rustfmt_all(files: &mut std::collections::BTreeMap<std::path::PathBuf, String>) -> bool {
    let rust: Vec<(&std::path::PathBuf, &String)> = files
        .iter()
        .filter(|(path, _)| path.extension().and_then(|e| e.to_str()) == Some("rs"))
        .collect();
    // One `rustfmt` process per file, as many at once as there are cores.
    let formatted = crate::parallel::map(&rust, |(_, text)| rustfmt(text));
    let Some(formatted) = formatted.into_iter().collect::<Option<Vec<String>>>() else {
        return false;
    };
    let paths: Vec<std::path::PathBuf> = rust.iter().map(|(p, _)| (*p).clone()).collect();
    for (path, text) in paths.into_iter().zip(formatted) {
        files.insert(path, text);
    }
    true
}

fn rustfmt(text: &str) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut child = Command::new(rustfmt)
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = text.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn items_are_separated_by_one_blank_line() {
        let text = format_file(
            quote! { #![doc = " Module."] pub struct A; pub struct B; },
            "// header\n",
            "test",
        )
        .unwrap();
        assert_eq!(
            text,
            "// header\n//! Module.\n\npub struct A;\n\npub struct B;\n"
        );
    }

    #[test]
    fn invalid_tokens_are_an_error_not_a_panic() {
        assert!(format_file(quote! { pub struct }, "", "test").is_err());
    }
}
