//! Rust names from wire names: types in `UpperCamelCase`, fields, functions and modules in
//! `snake_case`, always valid identifiers (keywords, leading digits, punctuation, non-ASCII).

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition (strict and reserved). Most become raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "Self",
];

/// Keywords that cannot be raw identifiers: they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Replaces every character that cannot appear in an identifier by a word break, so `heck`
/// splits on it, and spells out a few symbols that carry meaning in enum values.
fn words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    // A leading minus sign before a digit is a sign, not a separator: `-1` is `Minus1`.
    let name = match name.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => {
            out.push_str("minus ");
            rest
        }
        _ => name,
    };
    for c in name.chars() {
        match c {
            '+' => out.push_str(" plus "),
            c if c != '_' && is_ident_char(c) => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Keeps only characters valid in a Rust identifier (`XID_Continue`: `⒈` or `㈠` are
/// alphanumeric but not allowed).
fn ident_chars(s: &str) -> String {
    s.chars().filter(|c| is_ident_char(*c)).collect()
}

/// `XID_Continue`, with ASCII (nearly every name) decided without the tables.
fn is_ident_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        unicode_ident::is_xid_continue(c)
    }
}

/// Whether an identifier may start with `name`'s first character (`XID_Start` or `_`); a digit
/// or a combining mark may not.
fn starts_well(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
}

/// A type or variant name: `UpperCamelCase`, never empty, never starting with a digit.
pub fn type_name(wire: &str) -> String {
    let name = ident_chars(&words(wire).to_upper_camel_case());
    if name.is_empty() {
        return "Value".to_owned();
    }
    if !starts_well(&name) {
        return format!("V{name}");
    }
    if name == "Self" {
        return "Self_".to_owned();
    }
    name
}

/// A field, parameter, function or module name: `snake_case`, a valid identifier
/// (possibly raw, `r#type`).
pub fn snake_name(wire: &str) -> String {
    let name = ident_chars(&words(wire).to_snake_case());
    if name.is_empty() {
        return "value".to_owned();
    }
    if !starts_well(&name) {
        return format!("_{name}");
    }
    escape_keyword(name)
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier without a raw prefix, as used to build other names (`r#type` -> `type`).
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A `SCREAMING_SNAKE_CASE` name for a constant or static, from a snake name.
pub fn const_name(snake: &str) -> String {
    unraw(snake).trim_start_matches('_').to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_upper_camel_case() {
        assert_eq!(type_name("SharedKeys"), "SharedKeys");
        assert_eq!(type_name("error-response"), "ErrorResponse");
        assert_eq!(type_name("AdminKeyKind"), "AdminKeyKind");
        assert_eq!(type_name("primary"), "Primary");
        assert_eq!(type_name("NotSpecified"), "NotSpecified");
    }

    #[test]
    fn odd_type_names_are_valid() {
        assert_eq!(type_name("1st"), "V1st");
        assert_eq!(type_name(""), "Value");
        assert_eq!(type_name("***"), "Value");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("a+b"), "APlusB");
        assert_eq!(type_name("+1"), "Plus1");
        assert_eq!(type_name("-1"), "Minus1");
        assert_eq!(type_name("a-1"), "A1");
        assert_eq!(type_name("Größe"), "Größe");
        assert_eq!(type_name("2024-03-01-preview"), "V20240301Preview");
    }

    /// Alphanumeric is not enough: `⒈`, `㈠` and `ˊ` are not identifier characters, and a
    /// combining mark cannot start one (AutoRest's body-string test spec has such enum values:
    /// the generator panicked on them).
    #[test]
    fn every_name_is_an_identifier() {
        for wire in ["啊齄丂狛狜隣郎隣兀﨩ˊ〞〡￤℡㈱‐ー﹡﹢﹫、〓ⅰⅹ⒈€㈠㈩ⅠⅫ！￣ぁんァヶΑ︴АЯаяāɡㄅㄩ─╋︵﹄︻︱︳︴ⅰⅹɑɡ〇〾⿻⺁䜣€", "⒈", "㈠", "ˊa", "\u{301}x", "x\u{301}", "٣"] {
            for name in [type_name(wire), snake_name(wire)] {
                let bare = name.trim_start_matches("r#");
                assert!(
                    syn::parse_str::<syn::Ident>(bare).is_ok(),
                    "{wire:?} -> {name:?} is not an identifier"
                );
            }
        }
    }

    #[test]
    fn fields_are_snake_case_and_escape_keywords() {
        assert_eq!(snake_name("primarySharedKey"), "primary_shared_key");
        assert_eq!(
            snake_name("x-ms-client-request-id"),
            "x_ms_client_request_id"
        );
        assert_eq!(snake_name("type"), "r#type");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("crate"), "crate_");
        assert_eq!(snake_name("$ref"), "r#ref");
        assert_eq!(snake_name("1st"), "_1st");
        assert_eq!(snake_name("@"), "value");
        assert_eq!(
            snake_name("SharedKeys_Regenerate"),
            "shared_keys_regenerate"
        );
    }

    #[test]
    fn constants_drop_raw_prefix() {
        assert_eq!(const_name("r#type"), "TYPE");
        assert_eq!(const_name("workspace_name"), "WORKSPACE_NAME");
        assert_eq!(unraw("r#match"), "match");
    }
}
