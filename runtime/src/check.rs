//! Checks the generated operations run before any network I/O. Each failure names the
//! parameter, the constraint as the spec writes it, and the value.

use std::borrow::Cow;

use super::InvalidParameter;

fn fail(
    parameter: &'static str,
    constraint: impl Into<Cow<'static, str>>,
    value: &str,
) -> InvalidParameter {
    InvalidParameter {
        parameter,
        constraint: constraint.into(),
        value: value.to_owned(),
    }
}

/// `minLength`, counted in characters as JSON Schema does.
pub fn min_length(
    parameter: &'static str,
    value: &str,
    min: usize,
) -> Result<(), InvalidParameter> {
    if value.chars().count() < min {
        return Err(fail(parameter, format!("minLength {min}"), value));
    }
    Ok(())
}

/// `maxLength`, counted in characters as JSON Schema does.
pub fn max_length(
    parameter: &'static str,
    value: &str,
    max: usize,
) -> Result<(), InvalidParameter> {
    if value.chars().count() > max {
        return Err(fail(parameter, format!("maxLength {max}"), value));
    }
    Ok(())
}

/// `format: uuid`: the hyphenated 8-4-4-4-12 hexadecimal form.
pub fn uuid(parameter: &'static str, value: &str) -> Result<(), InvalidParameter> {
    let bytes = value.as_bytes();
    let valid = bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if valid {
        return Ok(());
    }
    Err(fail(parameter, "format uuid", value))
}

/// `minimum`, inclusive.
pub fn minimum(parameter: &'static str, value: f64, min: f64) -> Result<(), InvalidParameter> {
    if value < min {
        return Err(fail(
            parameter,
            format!("minimum {min}"),
            &value.to_string(),
        ));
    }
    Ok(())
}

/// `maximum`, inclusive.
pub fn maximum(parameter: &'static str, value: f64, max: f64) -> Result<(), InvalidParameter> {
    if value > max {
        return Err(fail(
            parameter,
            format!("maximum {max}"),
            &value.to_string(),
        ));
    }
    Ok(())
}

/// A value of an enum the spec lists.
pub fn known(parameter: &'static str, value: &str, known: bool) -> Result<(), InvalidParameter> {
    if known {
        return Ok(());
    }
    Err(fail(parameter, "enum (a value the spec lists)", value))
}

/// A path parameter must stay one segment: `.`, `..` and the empty string would change the URL.
pub fn path_segment(parameter: &'static str, value: &str) -> Result<(), InvalidParameter> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(fail(
            parameter,
            "path segment (not empty, `.` or `..`)",
            value,
        ));
    }
    Ok(())
}

/// Hides the value of a failed check on a secret.
pub fn redacted(result: Result<(), InvalidParameter>) -> Result<(), InvalidParameter> {
    result.map_err(|mut e| {
        e.value = "<redacted>".to_owned();
        e
    })
}

/// A request body checked against the spec's constraints (enum values, lengths, patterns,
/// bounds) before it is sent.
pub trait Validate {
    /// Fails on the first broken constraint; `at` names the value in the error.
    fn validate(&self, at: &'static str) -> Result<(), InvalidParameter>;
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, at: &'static str) -> Result<(), InvalidParameter> {
        (**self).validate(at)
    }
}
