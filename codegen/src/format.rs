//! Format: tokens -> source text with `prettyplease`, behind the `@generated` header, with a
//! blank line between top-level items as a person would leave them (but not between `use`
//! items), and macro calls laid out like function calls.

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
    let mut after_use = false;
    for item in file.items {
        // `use` items without attributes stay together, as a person groups them (`rustfmt`
        // sorts such a group: emit them sorted).
        let plain_use = matches!(&item, syn::Item::Use(u) if u.attrs.is_empty());
        if !(out.ends_with(header) || after_use && plain_use) {
            out.push('\n');
        }
        after_use = plain_use;
        if let Some(call) = macro_call(&item) {
            out.push_str(&call);
            continue;
        }
        out.push_str(&prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item],
        }));
    }
    Ok(out)
}

/// A macro call item whose arguments are expressions (`rt::serialize_object!(rt, Pet { .. });`),
/// laid out as a function call would be, one argument a line when they do not fit on one:
/// `prettyplease` fills a macro's tokens like prose. `None` for any other item.
fn macro_call(item: &syn::Item) -> Option<String> {
    use quote::ToTokens;
    use syn::parse::Parser;
    let syn::Item::Macro(item) = item else {
        return None;
    };
    if item.ident.is_some() || !matches!(item.mac.delimiter, syn::MacroDelimiter::Paren(_)) {
        return None;
    }
    let args = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated
        .parse2(item.mac.tokens.clone())
        .ok()?;
    let path: syn::Path = syn::parse2(item.mac.path.to_token_stream()).ok()?;
    let call = syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(syn::Expr::Path(syn::ExprPath {
            attrs: Vec::new(),
            qself: None,
            path,
        })),
        paren_token: syn::token::Paren::default(),
        args,
    };
    // Printed as the value of a constant (the only item an expression can stand in alone),
    // with the item's attributes; the call's path then gets its `!` back.
    let attrs = &item.attrs;
    let text = prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![syn::parse_quote!(#(#attrs)* const _: () = #call;)],
    });
    const CONST: &str = "const _: () = ";
    let at = if text.starts_with(CONST) {
        0
    } else {
        text.find(&format!("\n{CONST}"))? + 1
    };
    let (attrs, call) = text.split_at_checked(at)?;
    let call = call.strip_prefix(CONST)?;
    let (path, args) = call.split_at(call.find('(')?);
    Some(format!("{attrs}{path}!{args}"))
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
    fn a_macro_call_with_expression_arguments_is_laid_out_as_a_call() {
        let text = format_file(
            quote! {
                rt::serialize_object!(rt, Pet { id: required("id"), name: optional("name") });
                #[cfg(feature = "x")]
                rt::deserialize_object!(rt, Pet {});
                macro_rules! m { () => {} }
                m!();
            },
            "// h\n",
            "test",
        )
        .unwrap();
        assert_eq!(
            text,
            "// h\nrt::serialize_object!(\n    rt,\n    Pet {\n        id: required(\"id\"),\n        name: optional(\"name\"),\n    },\n);\n\n#[cfg(feature = \"x\")]\nrt::deserialize_object!(rt, Pet {});\n\nmacro_rules! m {\n    () => {};\n}\n\nm!();\n"
        );
    }

    #[test]
    fn invalid_tokens_are_an_error_not_a_panic() {
        assert!(format_file(quote! { pub struct }, "", "test").is_err());
    }
}
