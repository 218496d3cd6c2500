//! Lists answered in pages: Azure's `x-ms-pageable` (the next page's URL in a body field, the
//! items in another) and RFC 8288 `Link` headers (a JSON array per page, the next page's URL in
//! `Link: <...>; rel="next"`, as GitHub declares it), and this generator's `x-pagination` for
//! cursor APIs (the next page's cursor in a body field, sent back in a query parameter). What
//! cannot be paged as declared is a warning naming why; the call then returns the first page,
//! as any call does.

use super::azure::XmsPageable;
use super::Resolver;
use crate::diag::join;
use crate::model::{Location, NextLink, PageField, Pagination, Param, Success, TypeDef, TypeRef};

impl Resolver<'_, '_> {
    /// How the operation's success is paged, if it is.
    pub(super) fn pagination(
        &mut self,
        success: &Success,
        pageable: Option<XmsPageable>,
        extensions: &indexmap::IndexMap<String, serde_json::Value>,
        params: &[Param],
        pointer: &str,
    ) -> Option<Pagination> {
        if let Some(ext) = extensions.get("x-pagination") {
            return self.x_pagination(success, ext, params, pointer);
        }
        match pageable {
            Some(pageable) => self.x_ms_pageable(success, pageable, pointer),
            None => link_header(success),
        }
    }

    fn x_ms_pageable(
        &mut self,
        success: &Success,
        pageable: XmsPageable,
        pointer: &str,
    ) -> Option<Pagination> {
        let at = join(pointer, "x-ms-pageable");
        // `nextLinkName: null`: the whole list in one answer.
        let next_name = pageable.next_link_name?;
        let (next, items, item) = self.page_fields(
            success,
            &next_name,
            &pageable.item_name,
            &at,
            "x-ms-pageable",
        )?;
        Some(Pagination {
            next: NextLink::Field(next),
            items: Some(items),
            item,
        })
    }

    /// `x-pagination: {cursor: <query parameter>, next: <response property>, items: <response
    /// property>}`: each page names the next page's cursor, sent back in the query.
    fn x_pagination(
        &mut self,
        success: &Success,
        ext: &serde_json::Value,
        params: &[Param],
        pointer: &str,
    ) -> Option<Pagination> {
        let at = join(pointer, "x-pagination");
        let text = |key: &str| ext.get(key).and_then(serde_json::Value::as_str);
        let (Some(cursor), Some(next), Some(items)) = (text("cursor"), text("next"), text("items"))
        else {
            self.sink.error(
                &at,
                "`x-pagination` must be an object with the strings `cursor` (the query parameter that takes the cursor), `next` (the response property that holds the next one) and `items` (the response property that holds the items)",
            );
            return None;
        };
        let sent = params
            .iter()
            .any(|p| p.location == Location::Query && p.wire == cursor);
        if !sent {
            self.sink.error(
                &join(&at, "cursor"),
                format!("`x-pagination`: the operation has no query parameter `{cursor}`"),
            );
            return None;
        }
        let (next, items, item) = self.page_fields(success, next, items, &at, "x-pagination")?;
        Some(Pagination {
            next: NextLink::Cursor {
                param: cursor.to_owned(),
                field: next,
            },
            items: Some(items),
            item,
        })
    }

    /// The page's fields `next` and `items` (an array), and the item type; a warning naming
    /// what is missing otherwise.
    fn page_fields(
        &mut self,
        success: &Success,
        next: &str,
        items: &str,
        at: &str,
        extension: &str,
    ) -> Option<(PageField, PageField, TypeRef)> {
        let page = match (success.by_status(), success.ty()) {
            (None, Some(TypeRef::Named(name))) => match self.table.get(name) {
                Some(TypeDef::Struct(page)) => page,
                _ => {
                    self.sink.warn(at, format!("`{extension}`: the response `{name}` is not an object: the call returns the first page only"));
                    return None;
                }
            },
            _ => {
                self.sink.warn(at, format!("`{extension}`: the operation has no single object response: the call returns the first page only"));
                return None;
            }
        };
        let field = |wire: &str| page.fields.iter().find(|f| f.wire == wire);
        let (Some(next_field), Some(items_field)) = (field(next), field(items)) else {
            let missing = if field(next).is_none() { next } else { items };
            let message = format!("`{extension}`: the response `{}` has no property `{missing}`: the call returns the first page only", page.name);
            self.sink.warn(at, message);
            return None;
        };
        let item = match unwrap_nullable(&items_field.ty) {
            TypeRef::Array(item) => (**item).clone(),
            _ => {
                let message = format!("`{extension}`: `{}` of `{}` is not an array: the call returns the first page only", items_field.wire, page.name);
                self.sink.warn(at, message);
                return None;
            }
        };
        let page_field = |f: &crate::model::Field| PageField {
            name: f.name.clone(),
            optional: !f.required || f.nullable,
        };
        Some((page_field(next_field), page_field(items_field), item))
    }
}

/// A JSON array answered with a declared `Link` header: paged by `rel="next"` links.
fn link_header(success: &Success) -> Option<Pagination> {
    let headers = success.headers.as_ref()?;
    if !headers
        .fields
        .iter()
        .any(|h| h.wire.eq_ignore_ascii_case("link"))
    {
        return None;
    }
    match (success.by_status(), success.ty()) {
        (None, Some(TypeRef::Array(item))) => Some(Pagination {
            next: NextLink::LinkHeader,
            items: None,
            item: (**item).clone(),
        }),
        _ => None,
    }
}

fn unwrap_nullable(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) => unwrap_nullable(inner),
        other => other,
    }
}
