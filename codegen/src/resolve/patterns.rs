//! Patterns: ECMA-262 (or Java) regular expressions as the Rust engines read them, and the
//! engine each needs.

use super::Resolver;
use crate::model::{Engine, Pattern};

impl<'a, 's> Resolver<'a, 's> {
    /// Checks that a pattern compiles with an engine the generated crate can use.
    pub(super) fn pattern(&mut self, source: &str, pointer: &str) -> Option<Pattern> {
        match compile_pattern(source) {
            Ok(engine) => Some(Pattern {
                source: rust_pattern(source).into_owned(),
                engine,
            }),
            Err(e) if self.skip_unsupported => {
                self.sink.warn(
                    pointer,
                    format!("--skip-unsupported: generated without it: pattern {source:?} cannot be enforced, so it is not checked: {e}"),
                );
                None
            }
            Err(e) => {
                self.sink.error(
                    pointer,
                    format!("pattern {source:?} cannot be enforced: {e}"),
                );
                None
            }
        }
    }
}

/// Compiles a pattern with `regex`, else `fancy-regex`; the error of the better engine otherwise.
/// Remembered per pattern: a spec uses the same few patterns at every parameter and property of
/// their schemas (common-types' resource names), and compiling one costs up to milliseconds.
pub fn compile_pattern(source: &str) -> Result<Engine, String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<HashMap<String, Result<Engine, String>>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    let known = seen
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(source)
        .cloned();
    if let Some(known) = known {
        return known;
    }
    let compiled = compile_uncached(source);
    let mut seen = seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // Bounded for processes that generate a whole corpus.
    if seen.len() >= 4096 {
        seen.clear();
    }
    seen.insert(source.to_owned(), compiled.clone());
    compiled
}

fn compile_uncached(source: &str) -> Result<Engine, String> {
    let source = &*rust_pattern(source);
    // A bound like `.{1,2097152}` takes the engines seconds to refuse, at every use of the
    // schema: refused at once.
    if let Some(bound) = repetition_bounds(source).find(|b| *b > MAX_REPETITION) {
        return Err(format!(
            "a repetition bound of {bound} is more than the engines enforce ({MAX_REPETITION} at most)"
        ));
    }
    // The same limit as the generated runtime's (`runtime/pattern_*.rs`): bounded repetitions
    // such as `\S{0,5000}` need more than the default 10 MiB.
    const SIZE_LIMIT: usize = 64 << 20;
    let regex = regex::RegexBuilder::new(source)
        .size_limit(SIZE_LIMIT)
        .build();
    match regex {
        Ok(_) => Ok(Engine::Regex),
        Err(regex_error) => match fancy_regex::RegexBuilder::new(source)
            .delegate_size_limit(SIZE_LIMIT)
            .build()
        {
            Ok(_) => Ok(Engine::Fancy),
            Err(fancy_error) => Err(format!("regex: {regex_error}; fancy-regex: {fancy_error}")),
        },
    }
}

/// The largest `{n}` / `{n,m}` bound a pattern may use.
const MAX_REPETITION: u64 = 100_000;

/// The numbers of the `{n}`, `{n,}` and `{n,m}` quantifiers of a pattern (escaped braces
/// excepted).
fn repetition_bounds(source: &str) -> impl Iterator<Item = u64> + '_ {
    let mut escaped = false;
    source.char_indices().filter_map(move |(at, c)| {
        let open = c == '{' && !escaped;
        escaped = c == '\\' && !escaped;
        if !open {
            return None;
        }
        let body = &source[at + 1..];
        let body = &body[..body.find('}')?];
        if !body.chars().all(|c| c.is_ascii_digit() || c == ',') {
            return None;
        }
        body.split(',').filter_map(|n| n.parse::<u64>().ok()).max()
    })
}

/// Java's POSIX classes (`\p{Alpha}`, ASCII like the Rust engines' `[:alpha:]`), which specs
/// generated from Java or Smithy models write though OpenAPI patterns are ECMA-262.
const JAVA_CLASSES: &[(&str, &str)] = &[
    ("Lower", "lower"),
    ("Upper", "upper"),
    ("ASCII", "ascii"),
    ("Alpha", "alpha"),
    ("Digit", "digit"),
    ("Alnum", "alnum"),
    ("Punct", "punct"),
    ("Graph", "graph"),
    ("Print", "print"),
    ("Blank", "blank"),
    ("Cntrl", "cntrl"),
    ("XDigit", "xdigit"),
    ("Space", "space"),
];

/// The `\p{Name}` / `\P{Name}` at the start of `rest` (after the backslash), if `Name` is a
/// Java POSIX class or `all`: its length and its Rust class items (for inside a class).
fn java_class(rest: &str) -> Option<(usize, String)> {
    let negated = rest.starts_with('P');
    let body = rest.strip_prefix(['p', 'P'])?.strip_prefix('{')?;
    let name = &body[..body.find('}')?];
    let len = 1 + 1 + name.len() + 1;
    if name == "all" {
        return Some((
            len,
            if negated {
                String::new()
            } else {
                "\\s\\S".to_owned()
            },
        ));
    }
    let (_, posix) = JAVA_CLASSES.iter().find(|(java, _)| *java == name)?;
    let caret = if negated { "^" } else { "" };
    Some((len, format!("[:{caret}{posix}:]")))
}

/// A `\uHHHH` escape at the start of `rest` (after the backslash): its length and value.
fn u_escape(rest: &str) -> Option<(usize, u32)> {
    let hex = rest.strip_prefix('u')?.get(..4)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((5, u32::from_str_radix(hex, 16).ok()?))
}

/// A legacy octal escape (`\0`, `\037`) at the start of `rest` (after the backslash); outside
/// a class only the ones that start with `0` (`\1` is a backreference there).
fn octal_escape(rest: &str, in_class: bool) -> Option<(usize, u32)> {
    let first = rest.chars().next()?;
    if !(first == '0' || in_class && ('1'..='3').contains(&first)) {
        return None;
    }
    let digits = rest
        .bytes()
        .take(3)
        .take_while(|b| (b'0'..=b'7').contains(b))
        .count();
    Some((digits, u32::from_str_radix(&rest[..digits], 8).ok()?))
}

/// Where a class stands, for reading a `-`.
#[derive(Clone, Copy, PartialEq)]
enum ClassAt {
    /// Just after `[` or `[^`.
    Start,
    /// After a character, which may start a range.
    Char,
    /// After a class escape (`\w`) or a completed range: a `-` here is a literal.
    NoRange,
    /// After a range's `-`: the next character ends it.
    RangeDash,
}

/// An OpenAPI pattern as the Rust engines read it.
///
/// Patterns are ECMA-262, where a class takes `[` and the pairs `&&`, `--`, `~~` literally
/// while the Rust engines read a nested class and set operations: those are escaped. A
/// pattern that uses Java's POSIX classes (`\p{Print}`) was written for Java, whose nested
/// classes and `&&` the Rust engines read alike: its classes are translated and the rest kept.
/// In both: a `-` that cannot make a range (`[\w-.]`, `[a-z-_]`) is a literal; legacy octal
/// escapes (`\037`) become `\x{1f}`; `\Z` is Java's end anchor; UTF-16 surrogate pairs (`\uD83D\uDE00`) become the
/// character they encode, and lone surrogates, which no Rust string holds, leave classes.
pub fn rust_pattern(source: &str) -> std::borrow::Cow<'_, str> {
    let java = source
        .match_indices('\\')
        .any(|(at, _)| java_class(&source[at + 1..]).is_some());
    if !java && !source.contains(['[', ']', '\\']) {
        return source.into();
    }
    let mut out = String::with_capacity(source.len() + 8);
    let mut class: Option<ClassAt> = None;
    let mut rest = source;
    // What an atom does to the class's state: ends a pending range, or may start one.
    let after_atom = |class: &mut Option<ClassAt>, can_start_range: bool| {
        if let Some(at) = class {
            *at = match *at {
                ClassAt::RangeDash => ClassAt::NoRange,
                _ if can_start_range => ClassAt::Char,
                _ => ClassAt::NoRange,
            };
        }
    };
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '\\' => {
                if let Some((len, items)) = java_class(rest).filter(|_| java) {
                    if class.is_some() {
                        out.push_str(&items);
                    } else {
                        out.push('[');
                        out.push_str(&items);
                        out.push(']');
                    }
                    rest = &rest[len..];
                    after_atom(&mut class, false);
                    continue;
                }
                if let Some((len, high)) =
                    u_escape(rest).filter(|(_, v)| (0xD800..0xE000).contains(v))
                {
                    rest = &rest[len..];
                    let low = rest
                        .strip_prefix('\\')
                        .and_then(u_escape)
                        .filter(|(_, v)| (0xDC00..0xE000).contains(v) && high < 0xDC00);
                    if let Some((len, low)) = low {
                        rest = &rest[1 + len..];
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        out.push_str(&format!("\\x{{{code:x}}}"));
                        after_atom(&mut class, true);
                    } else if class == Some(ClassAt::RangeDash) {
                        // `\u0020-\uDFFF`: the range stops before the surrogates.
                        out.push_str("\\x{d7ff}");
                        after_atom(&mut class, true);
                    } else if class.is_some() {
                        // A lone surrogate (or a range of them) matches nothing in UTF-8.
                        if let Some(tail) = rest.strip_prefix("-\\") {
                            if let Some((len, _)) =
                                u_escape(tail).filter(|(_, v)| (0xD800..0xE000).contains(v))
                            {
                                rest = &tail[len..];
                            }
                        }
                    } else {
                        out.push_str(&format!("\\u{high:04X}"));
                    }
                    continue;
                }
                // Java's and PCRE's `\Z`: the end, or before a final line break.
                if class.is_none() && rest.starts_with('Z') {
                    out.push_str(r"(?:\n?\z)");
                    rest = &rest[1..];
                    continue;
                }
                if let Some((len, value)) = octal_escape(rest, class.is_some()) {
                    rest = &rest[len..];
                    out.push_str(&format!("\\x{{{value:x}}}"));
                    after_atom(&mut class, true);
                    continue;
                }
                out.push(c);
                let Some(next) = rest.chars().next() else {
                    continue;
                };
                out.push(next);
                rest = &rest[next.len_utf8()..];
                let class_escape = matches!(next, 's' | 'S' | 'w' | 'W' | 'd' | 'D' | 'p' | 'P');
                after_atom(&mut class, !class_escape);
            }
            '[' if class.is_none() => {
                class = Some(ClassAt::Start);
                out.push(c);
                if let Some(tail) = rest.strip_prefix('^') {
                    out.push('^');
                    rest = tail;
                }
            }
            // Java: nested classes and `&&` mean what they mean to the Rust engines.
            '[' if java => {
                out.push(c);
                class = Some(ClassAt::Start);
            }
            '[' => {
                out.push_str("\\[");
                after_atom(&mut class, true);
            }
            ']' if class.is_some() => {
                // In Java a nested class closes here; the outer one stays open.
                class = if java && open_nested(&out) {
                    Some(ClassAt::NoRange)
                } else {
                    None
                };
                out.push(c);
            }
            '&' | '-' | '~' if class.is_some() && !java && rest.starts_with(c) => {
                // `&&` -> `\&&` is still an operator in the Rust engines: escape both.
                rest = &rest[1..];
                out.push('\\');
                out.push(c);
                out.push('\\');
                out.push(c);
                after_atom(&mut class, false);
            }
            '-' if class.is_some() => {
                let at = class.unwrap_or(ClassAt::Start);
                if at == ClassAt::Char && !rest.starts_with(']') {
                    out.push('-');
                    class = Some(ClassAt::RangeDash);
                } else if at == ClassAt::Start || rest.starts_with(']') {
                    out.push('-');
                    after_atom(&mut class, false);
                } else {
                    out.push_str("\\-");
                    after_atom(&mut class, false);
                }
            }
            _ => {
                out.push(c);
                after_atom(&mut class, true);
            }
        }
    }
    out.into()
}

/// Whether `out` has a class still open inside another one (Java's `[a[b]]`), counting
/// unescaped brackets.
fn open_nested(out: &str) -> bool {
    let mut depth = 0i32;
    let mut escaped = false;
    for c in out.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' => depth -= 1,
            _ => {}
        }
    }
    depth > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_pick_the_engine_they_need() {
        assert_eq!(
            compile_pattern("^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$"),
            Ok(Engine::Regex)
        );
        assert_eq!(
            compile_pattern("^(?=.{2,60}$)[a-z0-9][a-z0-9]+(-[a-z0-9]+)*$"),
            Ok(Engine::Fancy)
        );
        assert!(compile_pattern("^[a-z").is_err());
        // ECMA-262 class syntax the Rust engines read otherwise (found in the corpus).
        assert_eq!(rust_pattern("[[A-Z0-9]{1,18}"), "[\\[A-Z0-9]{1,18}");
        assert_eq!(compile_pattern("[[A-Z0-9]{1,18}"), Ok(Engine::Regex));
        assert_eq!(rust_pattern("[a&&b]x&&"), "[a\\&\\&b]x&&");
        assert_eq!(rust_pattern("^[^[\\]]+$"), "^[^\\[\\]]+$");
        // Java's POSIX classes (AWS specs, generated from Smithy): the pattern is Java's, and
        // its intersections and nested classes are kept.
        assert_eq!(
            rust_pattern("[\\p{Print}&&[^|:/]]+"),
            "[[:print:]&&[^|:/]]+"
        );
        let checks = |pattern: &str, good: &str, bad: &str| {
            let re = regex::Regex::new(&rust_pattern(pattern)).unwrap();
            assert!(re.is_match(good) && !re.is_match(bad), "{pattern}");
        };
        checks("^[\\p{Print}&&[^|:/]]+$", "my-plan 1", "a|b");
        checks("^\\p{Print}+$", "abc", "a\u{7}");
        checks("^[\\-\\p{Alnum}_:.]+$", "node-1:a", "node 1");
        checks("^\\P{XDigit}$", "g", "f");
        checks("^[\\p{all}]+$", "any\nthing", "");
        // A `-` after a class escape is a literal, in either dialect.
        checks("^[\\w-.+]+@[\\w-.+]+$", "a.b-c@d.e", "a b@c");
        checks("^[a-z0-9\\s-_()]+$", "a-b_c (d)", "a#b");
        // A `-` after a range is a literal too; legacy octal escapes are characters.
        checks("^[a-zA-Z0-9-_]+$", "a-b_9", "a.b");
        checks("^[^/:\\|\\000-\\037]+$", "stream-1", "a\u{1f}b");
        // Surrogates (AWS's "any XML character" class): pairs are characters, lone ones go.
        checks(
            "^[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDBFF-\\uDC00\\uDFFF\\r\\n\\t]*$",
            "déjà vu\t",
            "\u{1}",
        );
        checks("^\\uD83D\\uDE00$", "😀", "x");
        // Huge bounds are refused at once (seldon's `^.{1,2097152}` took a minute to fail).
        assert!(compile_pattern("^.{1,2097152}")
            .unwrap_err()
            .contains("repetition bound"));
        assert_eq!(compile_pattern("\\{1,2097152\\}"), Ok(Engine::Regex));
        // `\Z` (Linode's domains): the end, or before a final line break.
        checks("\\A[a-z]+\\Z", "abc\n", "abc1");
        // Names Java does not define stay as they are (and Unicode ones keep working).
        assert_eq!(rust_pattern("\\p{L}+"), "\\p{L}+");
        // Large bounded repetitions, common in real specs, fit the raised size limit.
        assert_eq!(compile_pattern("\\S{0,5000}"), Ok(Engine::Regex));
        assert_eq!(compile_pattern("[\\w\\.-]{0,255}"), Ok(Engine::Regex));
    }

    /// The translation slices strings by hand: no input of its alphabet may panic it.
    #[test]
    fn pattern_translation_never_panics() {
        let alphabet: Vec<char> = "\\[]-&~^upPxX{}0137DdEfF8sw:é😀Print".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let _ = rust_pattern(&text);
            let _ = compile_pattern(&text);
        }
    }
}
