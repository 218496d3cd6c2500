//! Request bodies: the media type chosen, the body typed, `multipart/form-data` parts.

use super::{Node, Resolver};
use crate::diag::join;
use crate::model::*;

impl<'a, 's> Resolver<'a, 's> {
    pub(super) fn request_body(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> Option<RequestBody> {
        let body_ptr = join(pointer, "requestBody");
        let body = self.follow(
            op.request_body.as_ref()?,
            "requestBodies",
            |c| &c.request_bodies,
            "request body",
            &body_ptr,
        )?;
        // JSON first, then the forms, text, and raw bytes.
        let pick = |want: Encoding| {
            body.content
                .iter()
                .find(|(ct, _)| media_encoding(ct) == Some(want))
        };
        let chosen = [
            Encoding::Json,
            Encoding::Form,
            Encoding::Multipart,
            Encoding::Text,
            Encoding::Bytes,
        ]
        .into_iter()
        .find_map(|e| pick(e).map(|m| (e, m)));
        let Some((encoding, (content_type, media))) = chosen else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.sink.error(
                &body_ptr,
                format!("request body media types {types:?} are not supported yet"),
            );
            return None;
        };
        let media_ptr = join(&join(&body_ptr, "content"), content_type);
        let ty = match (encoding, &media.schema) {
            (Encoding::Text, _) => TypeRef::String,
            (Encoding::Bytes, _) => TypeRef::Bytes,
            (_, Some(schema)) => {
                self.binary_as_bytes = encoding == Encoding::Multipart;
                let ty = self.schema_type(
                    Node::from(schema),
                    &join(&media_ptr, "schema"),
                    &format!("{type_prefix}Body"),
                );
                self.binary_as_bytes = false;
                ty
            }
            (_, None) => TypeRef::Json,
        };
        let (encoding, ty, parts) = match encoding {
            Encoding::Multipart => match self.form_parts(&ty) {
                Some(parts) => (encoding, ty, parts),
                None => {
                    // The operation is kept: the caller writes the parts.
                    self.sink.warn(
                        &media_ptr,
                        "the multipart/form-data body's schema is not an object with properties: the function takes the parts as the caller writes them (`rt::Multipart`)",
                    );
                    (Encoding::RawMultipart, TypeRef::Json, Vec::new())
                }
            },
            _ => (encoding, ty, Vec::new()),
        };
        Some(RequestBody {
            name: "body".to_owned(),
            doc: body.description.clone(),
            required: body.required,
            ty,
            content_type: sent_media_type(content_type, encoding),
            encoding,
            parts,
        })
    }

    /// The parts of a `multipart/form-data` body: the properties of its object schema; `None`
    /// when the schema is not an object.
    fn form_parts(&self, ty: &TypeRef) -> Option<Vec<FormPart>> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        let Some(TypeDef::Struct(s)) = self.table.get(name) else {
            return None;
        };
        let fields = &s.fields;
        Some(
            fields
                .iter()
                .map(|f| FormPart {
                    field: f.name.clone(),
                    wire: f.wire.clone(),
                    kind: match &f.ty {
                        TypeRef::File => PartKind::File,
                        TypeRef::Array(item) if **item == TypeRef::File => PartKind::Files,
                        _ => PartKind::Value,
                    },
                    optional: !f.required || f.nullable,
                })
                .collect(),
        )
    }
}

/// A media type without its parameters, in lower case: `application/json; charset=utf-8` ->
/// `application/json`.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// How a media type is encoded, or `None` when it cannot be (multipart).
pub(super) fn media_encoding(content_type: &str) -> Option<Encoding> {
    let essence = essence(content_type);
    if is_json(&essence) {
        Some(Encoding::Json)
    } else if essence == "application/x-www-form-urlencoded" {
        Some(Encoding::Form)
    } else if essence.starts_with("text/") {
        Some(Encoding::Text)
    } else if essence == "multipart/form-data" {
        Some(Encoding::Multipart)
    } else if essence.starts_with("multipart/") {
        None
    } else {
        Some(Encoding::Bytes)
    }
}

/// The `Content-Type` a body of `content_type` is sent with: the spec's key, unless it is a media
/// range (`application/*+json`, `text/*`, `*/*`), which names no type a server can parse: then
/// the plain type of its encoding (found by `cargo xtask conformance --corpus`: signl4.com sent
/// `Content-Type: application/*+json` and Prism read no JSON).
fn sent_media_type(content_type: &str, encoding: Encoding) -> String {
    if !essence(content_type).contains('*') {
        return content_type.to_owned();
    }
    match encoding {
        Encoding::Json => "application/json",
        Encoding::Text => "text/plain",
        _ => "application/octet-stream",
    }
    .to_owned()
}

pub(super) fn is_json(content_type: &str) -> bool {
    let essence = essence(content_type);
    essence == "application/json" || essence.ends_with("+json")
}
