//! What a call does beyond one request and one answer: lists answered in pages, operations
//! that finish later. Re-exported by `model/mod.rs`, so every path is `crate::model::X`.

use super::TypeRef;

/// How a list is answered in pages: where each page names the next, and where its items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Where a page says where the next one is.
    pub next: NextLink,
    /// The field of the page's body that holds the items (`value` in Azure's lists); `None`
    /// when the body is the list itself.
    pub items: Option<PageField>,
    /// The type of one item.
    pub item: TypeRef,
}

/// Where a page names the next page's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextLink {
    /// An RFC 8288 `Link` response header with `rel="next"` (GitHub's lists).
    LinkHeader,
    /// A field of the body (Azure's `x-ms-pageable` `nextLinkName`).
    Field(PageField),
    /// A cursor in a field of the body, sent back as the query parameter `param` (the
    /// generator's `x-pagination`).
    Cursor {
        /// The query parameter's wire name.
        param: String,
        /// The field holding the next cursor (none or empty: the last page).
        field: PageField,
    },
    /// No link: the next page's position, counted by the client, sent in a query parameter
    /// (the generator's `x-pagination` with `offset` or `page`).
    Position(Position),
}

/// A list paged by position: an offset (of items) or a page number in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// What the position counts.
    pub kind: PositionKind,
    /// The query parameter's wire name (an integer).
    pub param: String,
    /// The first page's position when the call does not set it: the parameter's `minimum`,
    /// else 0 for an offset and 1 for a page number.
    pub first: i64,
    /// The query parameter of the page size (an integer), if the API takes one: a page with
    /// fewer items than the size sent is the last one.
    pub limit: Option<String>,
}

/// What a position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PositionKind {
    /// Items: the next page's offset is the page's plus the number of items it holds.
    Offset,
    /// Pages: the next page's number is the page's plus one.
    Page,
}

/// A field of a page's body struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageField {
    /// The field's Rust name.
    pub name: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// A long-running operation (Azure's `x-ms-long-running-operation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongRunning {
    /// Where the final result is read.
    pub final_state_via: FinalStateVia,
}

/// Where the final result of a long-running operation is read (`final-state-via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalStateVia {
    /// Not given: the Azure rules by method (`PUT`/`PATCH`: the original URI; others:
    /// `Location` when present, else the `Azure-AsyncOperation` result).
    Default,
    /// `azure-async-operation`: the `Azure-AsyncOperation` header's URL.
    AzureAsyncOperation,
    /// `location`: the `Location` header's URL.
    Location,
    /// `original-uri`: the URL first called.
    OriginalUri,
    /// `operation-location`: the `Operation-Location` header's URL.
    OperationLocation,
}
