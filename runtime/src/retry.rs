//! When and how long to wait before trying a request again.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

/// Retries of throttled and failed requests.
///
/// A request is tried again after a 408, 429, 500, 502, 503 or 504, or when the connection failed
/// before any response arrived; never after another 4xx. The wait is the service's `Retry-After`
/// (seconds or an HTTP date), `retry-after-ms` or the spec's other retry headers when given,
/// otherwise an exponential backoff with jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (`1` disables retries).
    pub max_attempts: u32,
    /// The first backoff; each later one doubles, up to `max_delay`.
    pub initial_delay: Duration,
    /// The longest single wait, the service's own included.
    pub max_delay: Duration,
    /// No retry starts once this much time has passed since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_delay: Duration::from_millis(800),
            max_delay: Duration::from_secs(60),
            max_elapsed: Duration::from_secs(180),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether a response with `status` may be retried.
    pub fn retries_status(status: u16) -> bool {
        matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
    }

    /// The backoff before attempt `attempt + 1` when the service said nothing: exponential, with
    /// jitter between half and all of it.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_delay.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let capped = exp.min(self.max_delay);
        let jitter = random_u64() % 1000;
        capped / 2 + capped / 2 * u32::try_from(jitter).unwrap_or(0) / 1000
    }
}

/// The wait the service asked for, from the headers the spec names (milliseconds) and then
/// `Retry-After` (seconds or an HTTP date).
pub(crate) fn requested_delay(
    headers: &reqwest::header::HeaderMap,
    ms_headers: &[&str],
) -> Option<Duration> {
    for name in ms_headers {
        if let Some(ms) = header_str(headers, name).and_then(|v| v.trim().parse::<u64>().ok()) {
            return Some(Duration::from_millis(ms));
        }
    }
    let value = header_str(headers, "retry-after")?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

pub(crate) fn header_str<'a>(
    headers: &'a reqwest::header::HeaderMap,
    name: &str,
) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A random number from the standard library's hasher keys: enough for jitter and request ids,
/// not for secrets.
pub(crate) fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    hasher.finish()
}

/// A fresh random (version 4) UUID, for client request ids.
pub(crate) fn new_uuid() -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&random_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&random_u64().to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
