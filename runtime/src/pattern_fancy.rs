//! `pattern` constraints, enforced with the `fancy-regex` engine.

use std::fmt;
use std::sync::OnceLock;

use super::InvalidParameter;

/// Room for bounded repetitions such as `\S{0,5000}`; the generator compiled every pattern
/// with the same limit.
const SIZE_LIMIT: usize = 64 << 20;

/// A `pattern` of the spec, compiled on first use.
///
/// The generator compiled every pattern with this engine already, so none fails here; if one
/// did, it would match nothing rather than panic.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<fancy_regex::Regex>>,
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

impl Pattern {
    /// A pattern exactly as the spec writes it.
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the spec writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches, unanchored as in JSON Schema.
    pub fn is_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| {
                fancy_regex::RegexBuilder::new(self.source)
                    .delegate_size_limit(SIZE_LIMIT)
                    .build()
                    .ok()
            })
            .as_ref()
            .is_some_and(|regex| regex.is_match(value).unwrap_or(false))
    }

    /// Checks parameter `parameter` against the pattern.
    pub fn check(&self, parameter: &'static str, value: &str) -> Result<(), InvalidParameter> {
        if self.is_match(value) {
            return Ok(());
        }
        Err(InvalidParameter {
            parameter,
            constraint: format!("pattern {}", self.source).into(),
            value: value.to_owned(),
        })
    }
}
