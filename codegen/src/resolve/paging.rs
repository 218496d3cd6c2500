//! Lists answered in pages: Azure's `x-ms-pageable` (the next page's URL in a body field, the
//! items in another) and RFC 8288 `Link` headers (a JSON array per page, the next page's URL in
//! `Link: <...>; rel="next"`, as GitHub declares it). What cannot be paged as declared is a
//! warning naming why; the call then returns the first page, as any call does.

use super::azure::XmsPageable;
use super::Resolver;
use crate::diag::join;
use crate::model::{NextLink, PageField, Pagination, Success, TypeDef, TypeRef};

impl Resolver<'_, '_> {
    /// How the operation's success is paged, if it is.
    pub(super) fn pagination(
        &mut self,
        success: &Success,
        pageable: Option<XmsPageable>,
        pointer: &str,
    ) -> Option<Pagination> {
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
        let page = match (success.by_status(), success.ty()) {
            (None, Some(TypeRef::Named(name))) => match self.table.get(name) {
                Some(TypeDef::Struct(page)) => page,
                _ => {
                    self.sink.warn(&at, format!("`x-ms-pageable`: the response `{name}` is not an object: the call returns the first page only"));
                    return None;
                }
            },
            _ => {
                self.sink.warn(&at, "`x-ms-pageable`: the operation has no single object response: the call returns the first page only");
                return None;
            }
        };
        let field = |wire: &str| page.fields.iter().find(|f| f.wire == wire);
        let (Some(next), Some(items)) = (field(&next_name), field(&pageable.item_name)) else {
            let missing = if field(&next_name).is_none() {
                &next_name
            } else {
                &pageable.item_name
            };
            let message = format!("`x-ms-pageable`: the response `{}` has no property `{missing}`: the call returns the first page only", page.name);
            self.sink.warn(&at, message);
            return None;
        };
        let item = match unwrap_nullable(&items.ty) {
            TypeRef::Array(item) => (**item).clone(),
            _ => {
                let message = format!("`x-ms-pageable`: `{}` of `{}` is not an array: the call returns the first page only", items.wire, page.name);
                self.sink.warn(&at, message);
                return None;
            }
        };
        let page_field = |f: &crate::model::Field| PageField {
            name: f.name.clone(),
            optional: !f.required || f.nullable,
        };
        Some(Pagination {
            next: NextLink::Field(page_field(next)),
            items: Some(page_field(items)),
            item,
        })
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
