//! `format: date` and `date-time` values as response headers (only in crates that have dates).

use super::headers::FromHeader;

impl FromHeader for chrono::DateTime<chrono::Utc> {
    const EXPECTED: &'static str = "a date-time (RFC 3339 or an HTTP-date)";

    /// RFC 3339, as the spec says, or an HTTP-date (`Last-Modified: Tue, 15 Nov 1994 08:12:31
    /// GMT`), as HTTP says most date headers are written.
    fn from_header(text: &str) -> Option<Self> {
        let text = text.trim();
        chrono::DateTime::parse_from_rfc3339(text)
            .map(|d| d.with_timezone(&chrono::Utc))
            .ok()
            .or_else(|| httpdate::parse_http_date(text).ok().map(Self::from))
    }
}

impl FromHeader for chrono::NaiveDate {
    const EXPECTED: &'static str = "a date (YYYY-MM-DD)";

    fn from_header(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }
}
