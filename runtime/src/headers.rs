//! Typed response headers: the headers a spec declares on an operation's successes, parsed
//! from their text and returned beside the body.

use std::ops::Deref;

/// A success body with the response headers its operation declares.
///
/// Derefs to the body, so most code reads it as the body itself.
#[derive(Debug, Clone, PartialEq)]
pub struct WithHeaders<T, H> {
    /// The decoded body.
    pub body: T,
    /// The declared headers, parsed (each `None` when the response lacks it).
    pub headers: H,
}

impl<T, H> WithHeaders<T, H> {
    /// The body, without the headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The body and the headers.
    pub fn into_parts(self) -> (T, H) {
        (self.body, self.headers)
    }
}

impl<T, H> Deref for WithHeaders<T, H> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// A type a header's text parses as.
pub trait FromHeader: Sized {
    /// What the text must be, for the error when it is not.
    const EXPECTED: &'static str;

    /// The value, or `None` when the text is not one.
    fn from_header(text: &str) -> Option<Self>;
}

impl FromHeader for String {
    const EXPECTED: &'static str = "UTF-8 text";

    fn from_header(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl FromHeader for bool {
    const EXPECTED: &'static str = "`true` or `false`";

    fn from_header(text: &str) -> Option<Self> {
        match text.trim() {
            t if t.eq_ignore_ascii_case("true") => Some(true),
            t if t.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
}

macro_rules! from_header_by_parse {
    ($($ty:ty => $expected:literal),* $(,)?) => {$(
        impl FromHeader for $ty {
            const EXPECTED: &'static str = $expected;

            fn from_header(text: &str) -> Option<Self> {
                text.trim().parse().ok()
            }
        }
    )*};
}

from_header_by_parse! {
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    f64 => "a number",
}
