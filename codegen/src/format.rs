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
    let mut attrs_text = std::collections::HashMap::new();
    for item in file.items {
        // `use` items without attributes stay together, as a person groups them (`rustfmt`
        // sorts such a group: emit them sorted).
        let plain_use = matches!(&item, syn::Item::Use(u) if u.attrs.is_empty());
        if !(out.len() == header.len() || after_use && plain_use) {
            out.push('\n');
        }
        after_use = plain_use;
        if let Some(call) = object_macro(&item, &mut attrs_text) {
            out.push_str(&call);
            continue;
        }
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

/// The runtime's object macros (`rt::serialize_object!(rt, Pet { id: required("id") });`, one
/// or two per model, a fifth of a big crate's lines) written straight from their tokens, as
/// [`macro_call`] would lay them out, without parsing them twice and printing them through
/// `prettyplease` (a test compares both on every shape). `prettyplease` keeps a struct literal
/// on one line while `Name { fields }` (and the space before `}`) is at most 34 bytes, and a call
/// whose argument breaks puts each argument on its own line. `None` for anything else, and for
/// what this layout does not cover (empty structs, non-ASCII, lines near the margin).
/// `attrs_text` caches the printed form of each attribute list.
fn object_macro(
    item: &syn::Item,
    attrs_text: &mut std::collections::HashMap<String, String>,
) -> Option<String> {
    use proc_macro2::{Delimiter, TokenTree};
    let syn::Item::Macro(item) = item else {
        return None;
    };
    if item.ident.is_some() || !matches!(item.mac.delimiter, syn::MacroDelimiter::Paren(_)) {
        return None;
    }
    let segments = &item.mac.path.segments;
    let path = match (item.mac.path.leading_colon.is_some(), segments.len()) {
        (false, 2) if segments.iter().all(|s| s.arguments.is_none()) => {
            format!("{}::{}", segments[0].ident, segments[1].ident)
        }
        _ => return None,
    };
    if !path.ends_with("_object") {
        return None;
    }
    let mut tokens = item.mac.tokens.clone().into_iter();
    let (Some(TokenTree::Ident(rt)), Some(TokenTree::Punct(comma)), Some(TokenTree::Ident(name))) =
        (tokens.next(), tokens.next(), tokens.next())
    else {
        return None;
    };
    let Some(TokenTree::Group(body)) = tokens.next() else {
        return None;
    };
    match (tokens.next(), tokens.next()) {
        (None, None) => {}
        (Some(TokenTree::Punct(p)), None) if p.as_char() == ',' => {}
        _ => return None,
    }
    if comma.as_char() != ',' || body.delimiter() != Delimiter::Brace {
        return None;
    }
    // `field: kind("wire")`, separated by commas.
    let mut fields = Vec::new();
    let mut inner = body.stream().into_iter().peekable();
    while inner.peek().is_some() {
        let (
            Some(TokenTree::Ident(field)),
            Some(TokenTree::Punct(colon)),
            Some(TokenTree::Ident(kind)),
            Some(TokenTree::Group(wire)),
        ) = (inner.next(), inner.next(), inner.next(), inner.next())
        else {
            return None;
        };
        let mut wire_tokens = wire.stream().into_iter();
        let (Some(TokenTree::Literal(wire_lit)), None) = (wire_tokens.next(), wire_tokens.next())
        else {
            return None;
        };
        if colon.as_char() != ':' || wire.delimiter() != Delimiter::Parenthesis {
            return None;
        }
        fields.push(format!("{field}: {kind}({wire_lit})"));
        match inner.next() {
            None => {}
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
            _ => return None,
        }
    }
    let name = name.to_string();
    if fields.is_empty() || !fields.iter().all(|f| f.is_ascii()) || !name.is_ascii() {
        return None;
    }
    let attrs = if item.attrs.is_empty() {
        String::new()
    } else {
        let attrs_list = &item.attrs;
        let key = quote::quote!(#(#attrs_list)*).to_string();
        if let Some(text) = attrs_text.get(&key) {
            text.clone()
        } else {
            let text = prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: vec![syn::parse_quote!(#(#attrs_list)* const _: () = ();)],
            });
            let text = text.strip_suffix("const _: () = ();\n")?.to_owned();
            attrs_text.insert(key, text.clone());
            text
        }
    };
    let joined = fields.join(", ");
    if name.len() + joined.len() + 4 <= 34 {
        let line = format!("{path}!({rt}, {name} {{ {joined} }});");
        // Laid out with `const _: () = ` before it, without the `!`.
        return (line.len() + 13 <= 89).then(|| format!("{attrs}{line}\n"));
    }
    if name.len() + 6 > 80 {
        return None;
    }
    let mut out = format!("{attrs}{path}!(\n    {rt},\n    {name} {{\n");
    for field in &fields {
        // A field near the margin would have its call broken too.
        if 8 + field.len() + 1 > 89 {
            return None;
        }
        out.push_str("        ");
        out.push_str(field);
        out.push_str(",\n");
    }
    out.push_str("    },\n);\n");
    Some(out)
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

    /// The object macros written from their tokens read exactly as `prettyplease` lays them
    /// out, on every side of its limits: struct literal widths around 34, long fields and
    /// names, attributes, raw identifiers, escapes in wire names.
    #[test]
    fn object_macros_are_written_as_prettyplease_lays_them_out() {
        let mut written = 0;
        let mut cache = std::collections::HashMap::new();
        for name_len in [1, 3, 6, 10, 14, 18, 22, 26, 29, 30, 31, 33, 40, 60, 76, 80] {
            let name = quote::format_ident!("{}", "N".repeat(name_len));
            for fields in 1..=4 {
                for field_len in [1, 2, 3, 5, 8, 13, 21, 24, 26, 28, 30, 31, 32, 34, 55, 70] {
                    let idents: Vec<_> = (0..fields)
                        .map(|i| quote::format_ident!("{}{i}", "f".repeat(field_len)))
                        .collect();
                    let wires: Vec<_> = (0..fields)
                        .map(|i| format!("{}\"{i}{}", "w".repeat(field_len), "x".repeat(i % 2)))
                        .collect();
                    for (path, attrs) in [
                        (quote!(rt::serialize_object), quote!()),
                        (
                            quote!(rt::deserialize_object),
                            quote!(#[cfg(feature = "full-serde")]),
                        ),
                        (
                            quote!(rt::deserialize_object),
                            quote!(#[cfg(any(feature = "a-b", feature = "c"))] #[allow(x)]),
                        ),
                    ] {
                        let tokens = quote! {
                            #attrs #path!(rt, #name { #(#idents: required(#wires)),* });
                            #path!(rt, r#type { r#type: optional("type") },);
                        };
                        let file = syn::parse2::<syn::File>(tokens).unwrap();
                        for item in &file.items {
                            if let Some(fast) = object_macro(item, &mut cache) {
                                assert_eq!(Some(fast), macro_call(item));
                                written += 1;
                            }
                        }
                    }
                }
            }
        }
        // Most shapes take the fast way (the others are near the margin).
        assert!(written > 2 * 16 * 4 * 16 * 3 * 3 / 4, "{written}");
    }

    #[test]
    fn invalid_tokens_are_an_error_not_a_panic() {
        assert!(format_file(quote! { pub struct }, "", "test").is_err());
    }
}
