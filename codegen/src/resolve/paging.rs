//! Lists answered in pages: Azure's `x-ms-pageable` (the next page's URL in a body field, the
//! items in another) and RFC 8288 `Link` headers (a JSON array per page, the next page's URL in
//! `Link: <...>; rel="next"`, as GitHub declares it), and this generator's `x-pagination` for
//! cursor APIs (the next page's cursor in a body field, sent back in a query parameter) and for
//! offset and page-number APIs (the position counted by the client). What
//! cannot be paged as declared is a warning naming why; the call then returns the first page,
//! as any call does.

use super::azure::XmsPageable;
use super::Resolver;
use crate::diag::join;
use crate::model::{
    Location, NextLink, PageField, Pagination, Param, ParamType, Position, PositionKind, Success,
    TypeDef, TypeRef,
};

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
            Some(&next_name),
            &pageable.item_name,
            &at,
            "x-ms-pageable",
        )?;
        Some(Pagination {
            next: NextLink::Field(next?),
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
        for (key, kind) in [
            ("offset", PositionKind::Offset),
            ("page", PositionKind::Page),
        ] {
            if ext.get(key).is_some() {
                return self.x_pagination_position(success, ext, kind, key, params, &at);
            }
        }
        let (Some(cursor), Some(next), Some(items)) = (text("cursor"), text("next"), text("items"))
        else {
            self.sink.error(
                &at,
                "`x-pagination` must be an object with the strings `cursor` (the query parameter that takes the cursor), `next` (the response property that holds the next one) and `items` (the response property that holds the items), or with `offset` or `page` (the query parameter of the position), `items` and an optional `limit` (the query parameter of the page size)",
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
        let (next, items, item) =
            self.page_fields(success, Some(next), items, &at, "x-pagination")?;
        let next = next?;
        Some(Pagination {
            next: NextLink::Cursor {
                param: cursor.to_owned(),
                field: next,
            },
            items: Some(items),
            item,
        })
    }

    /// `x-pagination: {offset | page: <query parameter>, limit: <query parameter>, items:
    /// <response property>}`: the client counts where the next page starts (an offset moves by
    /// the number of items received, a page number by one) and stops on an empty page, or a
    /// shorter one than the `limit` sent. `items` may be left out when the body is the array.
    fn x_pagination_position(
        &mut self,
        success: &Success,
        ext: &serde_json::Value,
        kind: PositionKind,
        key: &str,
        params: &[Param],
        at: &str,
    ) -> Option<Pagination> {
        let mut integer_param = |key: &str| -> Result<Option<&Param>, ()> {
            let Some(value) = ext.get(key) else {
                return Ok(None);
            };
            let found = value.as_str().and_then(|name| {
                params
                    .iter()
                    .find(|p| p.location == Location::Query && p.wire == name)
            });
            match found {
                Some(p) if matches!(p.ty, ParamType::I32 | ParamType::I64) => Ok(Some(p)),
                _ => {
                    let message = match (value.as_str(), found) {
                        (None, _) => format!("`x-pagination`: `{key}` must name a query parameter"),
                        (Some(name), None) => {
                            format!("`x-pagination`: the operation has no query parameter `{name}`")
                        }
                        (Some(name), Some(_)) => format!(
                            "`x-pagination`: the query parameter `{name}` is not an integer: it cannot count pages"
                        ),
                    };
                    self.sink.error(&join(at, key), message);
                    Err(())
                }
            }
        };
        let position = integer_param(key);
        let limit = integer_param("limit");
        let (Ok(Some(position)), Ok(limit)) = (position, limit) else {
            return None;
        };
        let items = match ext.get("items") {
            None => None,
            Some(serde_json::Value::String(items)) => Some(items.as_str()),
            Some(_) => {
                let message = "`x-pagination`: `items` must name a response property";
                self.sink.error(&join(at, "items"), message);
                return None;
            }
        };
        let (items, item) = self.page_items(success, items, at)?;
        let first = match (position.constraints.minimum, kind) {
            // An integer parameter's `minimum` is whole; a fraction is rounded up, as the
            // smallest integer it allows.
            (Some(min), _) => min.ceil() as i64,
            (None, PositionKind::Offset) => 0,
            (None, PositionKind::Page) => 1,
        };
        Some(Pagination {
            next: NextLink::Position(Position {
                kind,
                param: position.wire.clone(),
                first,
                limit: limit.map(|l| l.wire.clone()),
            }),
            items,
            item,
        })
    }

    /// Where a page's items are: the response property `items` (an array), or the body itself
    /// when no property is named; a warning naming what is missing otherwise.
    fn page_items(
        &mut self,
        success: &Success,
        items: Option<&str>,
        at: &str,
    ) -> Option<(Option<PageField>, TypeRef)> {
        if let Some(items) = items {
            let (_, items, item) = self.page_fields(success, None, items, at, "x-pagination")?;
            return Some((Some(items), item));
        }
        match (success.by_status(), success.ty().map(unwrap_nullable)) {
            (None, Some(TypeRef::Array(item))) => Some((None, (**item).clone())),
            _ => {
                let message = "`x-pagination`: without `items`, the response must be an array: the call returns the first page only";
                self.sink.warn(at, message);
                None
            }
        }
    }

    /// The page's fields `next` (when asked for) and `items` (an array), and the item type; a
    /// warning naming what is missing otherwise.
    fn page_fields(
        &mut self,
        success: &Success,
        next: Option<&str>,
        items: &str,
        at: &str,
        extension: &str,
    ) -> Option<(Option<PageField>, PageField, TypeRef)> {
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
        let next_field = next.map(|next| (next, field(next)));
        let missing = match (&next_field, field(items)) {
            (Some((next, None)), _) => Some(*next),
            (_, None) => Some(items),
            _ => None,
        };
        if let Some(missing) = missing {
            let message = format!("`{extension}`: the response `{}` has no property `{missing}`: the call returns the first page only", page.name);
            self.sink.warn(at, message);
            return None;
        }
        let items_field = field(items)?;
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
        let next = next_field.and_then(|(_, f)| f).map(page_field);
        Some((next, page_field(items_field), item))
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
