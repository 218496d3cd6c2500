//! Lists answered in pages, read as one `futures` stream: of pages (`call.pages()`) or of their
//! items (`call.items()`). Each next page is the same call sent again to the link the service
//! gave (Azure's `nextLink` in the body, or an RFC 8288 `Link: <...>; rel="next"` header), or
//! to the page's URL with a cursor or a position (an offset, a page number) in its query, so it
//! takes the same path as the first: credentials, retries, per-call options, tracing. A page is
//! fetched only when the stream is polled for it: dropping the stream sends nothing more. A link
//! to another origin than the first page's is refused (it would receive the credentials).

use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};

use super::{BoxFuture, CallOptions, Error, Response, UnexpectedResponse};

/// The pages of a list, each fetched when the stream is polled for it.
pub type Pages<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>;

/// The items of a list, page after page.
pub type Items<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>;

/// Where a page says where the next one is.
#[doc(hidden)]
pub enum NextLink<T> {
    /// An RFC 8288 `Link` header with `rel="next"`.
    Header,
    /// A field of the page's body (`x-ms-pageable`'s `nextLinkName`).
    Body(fn(&T) -> Option<&str>),
    /// A cursor in a field of the page's body, sent back as the query parameter `param` of the
    /// same request (`x-pagination`).
    Cursor {
        /// The query parameter.
        param: &'static str,
        /// The field.
        read: fn(&T) -> Option<&str>,
    },
    /// No link: the next page's position, counted here, sent in the query parameter `param`
    /// of the same request (`x-pagination` with `offset` or `page`).
    Position {
        /// The query parameter of the position.
        param: &'static str,
        /// What it counts.
        kind: PositionKind,
        /// The first page's position when the call does not set it.
        first: i64,
        /// The query parameter of the page size: a page with fewer items than the size sent
        /// is the last.
        limit: Option<&'static str>,
        /// The number of items of a page.
        count: fn(&T) -> usize,
    },
}

/// What a position in the query counts.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PositionKind {
    /// Items: the next offset is the page's plus its number of items.
    Offset,
    /// Pages: the next page number is the page's plus one.
    Page,
}

impl<T> Clone for NextLink<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for NextLink<T> {}

/// What sending one call yields.
type Fetched<'a, T, E> = BoxFuture<'a, Result<Response<T>, Error<E>>>;

/// How a generated call is paged: sent as it is (`fetch`), its options reached to point it at
/// the next link (`options`), and where each page names the next (`next`).
#[doc(hidden)]
pub struct Paging<'a, C, T, E> {
    pub fetch: fn(C) -> Fetched<'a, T, E>,
    pub options: fn(&mut C) -> &mut CallOptions,
    pub next: NextLink<T>,
}

impl<C, T, E> Clone for Paging<'_, C, T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C, T, E> Copy for Paging<'_, C, T, E> {}

/// What the stream does next.
enum State<C, E> {
    /// Send this call (the first, or one pointed at the next link).
    Fetch(C, Option<url::Origin>),
    /// Report this error, then stop.
    Fail(Error<E>),
    Done,
}

/// The pages of `call`.
#[doc(hidden)]
pub fn pages<'a, C, T, E>(call: C, paging: Paging<'a, C, T, E>) -> Pages<'a, T, E>
where
    C: Clone + Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    let start = State::Fetch(call, None);
    Box::pin(stream::unfold(start, move |state| async move {
        match state {
            State::Done => None,
            State::Fail(error) => Some((Err(error), State::Done)),
            State::Fetch(call, origin) => Some(fetch_page(call, origin, &paging).await),
        }
    }))
}

/// The items of `pages`, taken out of each page by `items`.
#[doc(hidden)]
pub fn items<'a, P, T, E>(pages: Pages<'a, P, E>, items: fn(P) -> Vec<T>) -> Items<'a, T, E>
where
    P: Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    pages
        .map_ok(move |page| stream::iter(items(page).into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

/// Sends `call`, and says what comes after its page.
async fn fetch_page<'a, C: Clone, T, E>(
    call: C,
    origin: Option<url::Origin>,
    paging: &Paging<'a, C, T, E>,
) -> (Result<T, Error<E>>, State<C, E>) {
    let mut after = call.clone();
    let response = match (paging.fetch)(call).await {
        Ok(response) => response,
        Err(error) => return (Err(error), State::Done),
    };
    let origin = origin.unwrap_or_else(|| response.url().origin());
    let link = match paging.next {
        NextLink::Header => next_in_link_header(response.headers()),
        NextLink::Body(field) => field(response.value()).map(str::to_owned),
        NextLink::Cursor { param, read } => read(response.value())
            .filter(|cursor| !cursor.is_empty())
            .map(|cursor| with_query(response.url(), param, cursor).to_string()),
        NextLink::Position {
            param,
            kind,
            first,
            limit,
            count,
        } => {
            let count = count(response.value());
            next_position(response.url(), param, kind, first, limit, count).map(|position| {
                with_query(response.url(), param, &position.to_string()).to_string()
            })
        }
    };
    let state = match link.filter(|l| !l.trim().is_empty()) {
        None => State::Done,
        Some(link) => {
            match same_origin(response.url(), &origin, link.trim(), "the next page's link") {
                Ok(url) => {
                    (paging.options)(&mut after).next_link = Some(url);
                    State::Fetch(after, Some(origin))
                }
                Err(reason) => State::Fail(Error::UnexpectedResponse(UnexpectedResponse {
                    status: Some(response.status()),
                    reason,
                    body: String::new(),
                    ids: Default::default(),
                })),
            }
        }
    };
    (Ok(response.into_value()), state)
}

/// The position of the page after the one fetched from `url` with `count` items, if there is
/// one: none after an empty page, nor after a page shorter than the `limit` the URL asked for
/// (nor when the position would overflow).
fn next_position(
    url: &url::Url,
    param: &str,
    kind: PositionKind,
    first: i64,
    limit: Option<&str>,
    count: usize,
) -> Option<i64> {
    let query = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.trim().parse::<i64>().ok())
    };
    let asked = limit.and_then(query);
    let short = asked.is_some_and(|asked| i64::try_from(count).is_ok_and(|count| count < asked));
    if count == 0 || short {
        return None;
    }
    let position = query(param).unwrap_or(first);
    match kind {
        PositionKind::Offset => position.checked_add(i64::try_from(count).ok()?),
        PositionKind::Page => position.checked_add(1),
    }
}

/// `url` with the query parameter `name` set to `value` (its other pairs kept, in order).
fn with_query(url: &url::Url, name: &str, value: &str) -> url::Url {
    let mut next = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != name)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    next.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair(name, value);
    next
}

/// A URL the service gave (`what`: a next page's link, a URL to poll): `link` read against
/// `base`, and refused unless it is of the first request's `origin` (it would receive the
/// credentials).
pub(crate) fn same_origin(
    base: &url::Url,
    origin: &url::Origin,
    link: &str,
    what: &str,
) -> Result<url::Url, String> {
    let url = base
        .join(link)
        .map_err(|e| format!("{what} {link:?} is not a URL: {e}"))?;
    if &url.origin() != origin {
        return Err(format!(
            "{what} is on {}, another origin than the first request's ({}): not followed, it would receive the credentials",
            url.origin().ascii_serialization(),
            origin.ascii_serialization()
        ));
    }
    Ok(url)
}

/// The target of the `rel="next"` link among the response's `Link` headers (RFC 8288).
pub fn next_in_link_header(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| {
            links(value).find(|(_, rels)| rels.iter().any(|r| r.eq_ignore_ascii_case("next")))
        })
        .map(|(target, _)| target.to_owned())
}

/// The links of one `Link` field value: each target with its `rel` relation types.
fn links(value: &str) -> impl Iterator<Item = (&str, Vec<&str>)> {
    let mut rest = value;
    std::iter::from_fn(move || {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        let after = &rest[end + 1..];
        // The parameters run to the next link: a `,` outside a quoted string.
        let mut quoted = false;
        let stop = after
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
            .map_or(after.len(), |(i, _)| i);
        let params = &after[..stop];
        rest = &after[stop..];
        let rels = params
            .split(';')
            .filter_map(|param| {
                let (name, value) = param.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("rel")
                    .then(|| value.trim().trim_matches('"'))
            })
            .flat_map(str::split_whitespace)
            .collect();
        Some((target, rels))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(values: &[&str]) -> Option<String> {
        let mut headers = reqwest::header::HeaderMap::new();
        for v in values {
            headers.append(reqwest::header::LINK, v.parse().unwrap());
        }
        next_in_link_header(&headers)
    }

    #[test]
    fn github_links() {
        let value = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            next(&[value]).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
    }

    #[test]
    fn relation_lists_case_unquoted_and_several_fields() {
        assert_eq!(next(&["</a>; rel=\"prev\""]), None);
        assert_eq!(
            next(&["</a>; rel=\"prev\"", "</b>; rel=NEXT"]).as_deref(),
            Some("/b")
        );
        assert_eq!(
            next(&["</c>; title=\"a, b\"; rel=\"last next\""]).as_deref(),
            Some("/c")
        );
        assert_eq!(next(&[]), None);
    }

    #[test]
    fn a_cursor_replaces_its_query_parameter() {
        let page = url::Url::parse("https://api.example.com/v1/items?limit=2&cursor=a1").unwrap();
        assert_eq!(
            with_query(&page, "cursor", "b 2").as_str(),
            "https://api.example.com/v1/items?limit=2&cursor=b+2"
        );
    }

    #[test]
    fn positions_move_by_items_or_by_one_and_stop_on_a_short_page() {
        let url =
            |q: &str| url::Url::parse(&format!("https://api.example.com/v1/items{q}")).unwrap();
        let next =
            |q: &str, kind, count| next_position(&url(q), "start", kind, 0, Some("size"), count);
        use PositionKind::{Offset, Page};
        // Not set by the call: from the first position.
        assert_eq!(next("", Offset, 3), Some(3));
        assert_eq!(next("?start=10&size=5", Offset, 5), Some(15));
        assert_eq!(next("?start=2&size=5", Page, 5), Some(3));
        // Empty, or shorter than the size asked: the last page.
        assert_eq!(next("?start=10", Offset, 0), None);
        assert_eq!(next("?start=10&size=5", Offset, 4), None);
        // No size asked: only an empty page ends the list.
        assert_eq!(next("?start=10", Offset, 1), Some(11));
        // A position the service cannot have sent, or one that would overflow: no next page.
        assert_eq!(next(&format!("?start={}", i64::MAX), Page, 1), None);
        assert_eq!(
            next_position(&url(""), "page", Page, 1, None, 7),
            Some(2),
            "page numbers start at the spec's first"
        );
    }

    #[test]
    fn links_stay_on_their_origin() {
        let page = url::Url::parse("https://api.example.com/v1/items?page=1").unwrap();
        let origin = page.origin();
        assert_eq!(
            same_origin(&page, &origin, "?page=2", "link")
                .unwrap()
                .as_str(),
            "https://api.example.com/v1/items?page=2"
        );
        assert_eq!(
            same_origin(&page, &origin, "/v1/items?page=3", "link")
                .unwrap()
                .as_str(),
            "https://api.example.com/v1/items?page=3"
        );
        let err =
            same_origin(&page, &origin, "https://evil.example.net/steal", "link").unwrap_err();
        assert!(err.contains("https://evil.example.net"), "{err}");
        assert!(same_origin(&page, &origin, "http://api.example.com/v1", "link").is_err());
    }
}
