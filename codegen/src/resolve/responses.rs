//! Responses: the success (one type, or an enum by status), its headers, and the error type.

use std::collections::{BTreeMap, HashSet};

use openapiv3::{ReferenceOr, Schema, SchemaKind, StatusCode, Type, VariantOrUnknownOrEmpty};

use super::bodies::media_encoding;
use super::schemas::date_type;
use super::{unique_snake, Node, Resolver};
use crate::diag::join;
use crate::model::*;
use crate::names;

impl<'a, 's> Resolver<'a, 's> {
    pub(super) fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> (Option<Success>, TypeRef, Vec<String>) {
        let responses_ptr = join(pointer, "responses");
        // The media types the client decodes, for the `Accept` header: a server that offers
        // several (JSON and text, JSON and XML) answers with the one asked for.
        let mut accept: Vec<String> = Vec::new();
        type Body = Option<(TypeRef, Encoding)>;
        let mut successes: Vec<(u16, Option<String>, Body)> = Vec::new();
        let mut errors: BTreeMap<String, Option<TypeRef>> = BTreeMap::new();
        let mut events = None;
        for (code, response) in &op.responses.responses {
            let ptr = join(&responses_ptr, code.to_string());
            let status = match code {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => r * 100,
            };
            let (doc, ty, media) = self.response(response, &ptr, &format!("{type_prefix}Response"));
            if (200..300).contains(&status) {
                accept.extend(media);
                // `2XX`: any success status (0 stands for it until the statuses are settled).
                let status = match code {
                    StatusCode::Range(_) => 0,
                    StatusCode::Code(_) => status,
                };
                successes.push((status, doc, ty));
                if events.is_none() {
                    events = self.event_data(response, &ptr, &format!("{type_prefix}Event"));
                }
            } else {
                // Only JSON error bodies are typed; others are kept as text.
                if ty.as_ref().is_some_and(|(_, e)| *e == Encoding::Json) {
                    accept.extend(media);
                }
                errors.insert(
                    ptr,
                    ty.filter(|(_, e)| *e == Encoding::Json).map(|(t, _)| t),
                );
            }
        }
        // Only `default` (below) makes it the success; otherwise it is the other errors.
        let default_is_error = !successes.is_empty();
        if let Some(default) = op.responses.default.as_ref().filter(|_| default_is_error) {
            let ptr = join(&responses_ptr, "default");
            let (_, ty, media) = self.response(default, &ptr, &format!("{type_prefix}Error"));
            if ty.as_ref().is_some_and(|(_, e)| *e == Encoding::Json) {
                accept.extend(media);
            }
            errors.insert(
                ptr,
                ty.filter(|(_, e)| *e == Encoding::Json).map(|(t, _)| t),
            );
        }
        let success = match successes.as_slice() {
            // Only `default`: it describes every answer, successes included.
            [] if op.responses.default.is_some() => {
                let ptr = join(&responses_ptr, "default");
                let (doc, ty, media) = match &op.responses.default {
                    Some(default) => {
                        self.response(default, &ptr, &format!("{type_prefix}Response"))
                    }
                    None => (None, None, None),
                };
                errors.clear();
                accept = media.into_iter().collect();
                Some(success(Vec::new(), doc, ty))
            }
            // Only redirects: the client follows them; what arrives is the target's body.
            [] if op
                .responses
                .responses
                .keys()
                .any(|c| matches!(c, StatusCode::Code(c) if (300..400).contains(c))) =>
            {
                Some(success(
                    Vec::new(),
                    None,
                    Some((TypeRef::Bytes, Encoding::Bytes)),
                ))
            }
            // Only errors listed: a 2xx is still a success, with nothing known of its body.
            [] => {
                self.sink.warn(
                    &responses_ptr,
                    "the operation lists no 2xx response: any 2xx is taken as success and its body ignored",
                );
                Some(success(Vec::new(), None, None))
            }
            [(status, doc, ty)] => Some(success(vec![*status], doc.clone(), ty.clone())),
            // Several success statuses: an enum, so the caller can tell them apart (`200`
            // updated, `201` created), even when they share a body type.
            [(_, doc, _), ..] => {
                let statuses: Vec<u16> = successes.iter().map(|(s, _, _)| *s).collect();
                let hint = format!("{type_prefix}Success");
                let name = self.names.reserve(&hint, &responses_ptr);
                let variants = successes
                    .iter()
                    .map(|(status, doc, body)| StatusVariant {
                        name: status_variant_name(*status),
                        status: Some(*status).filter(|s| *s != 0),
                        doc: doc.clone(),
                        ty: body.as_ref().map(|(ty, _)| ty.clone()),
                        encoding: body.as_ref().map_or(Encoding::Json, |(_, e)| *e),
                    })
                    .collect();
                let mut s = success(statuses, doc.clone(), None);
                s.body = SuccessBody::ByStatus(StatusEnum { name, variants });
                Some(s)
            }
        };
        // A `2XX` range among the successes: every 2xx status is one.
        let mut success = success;
        if let Some(s) = &mut success {
            if s.statuses.contains(&0) {
                s.statuses.clear();
            }
            s.headers = self.response_headers(op, &responses_ptr, type_prefix);
            s.events = events;
        }
        let mut error_types: Vec<TypeRef> = errors.into_values().flatten().collect();
        error_types.dedup();
        let error = match error_types.as_slice() {
            [one] => one.clone(),
            _ => TypeRef::Json,
        };
        let mut seen = HashSet::new();
        accept.retain(|m| seen.insert(m.to_ascii_lowercase()));
        (success, error, accept)
    }

    /// The headers the 2xx responses declare (the first declaration of a name wins; OpenAPI
    /// ignores `Content-Type` here), as a struct named `{type_prefix}Headers`.
    fn response_headers(
        &mut self,
        op: &'a openapiv3::Operation,
        responses_ptr: &str,
        type_prefix: &str,
    ) -> Option<HeaderSet> {
        let mut fields: Vec<HeaderField> = Vec::new();
        let mut taken = HashSet::new();
        for (code, response) in &op.responses.responses {
            let status = match code {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => r * 100,
            };
            if !(200..300).contains(&status) {
                continue;
            }
            let ptr = join(responses_ptr, code.to_string());
            // Reported with the body, if it does not resolve.
            let Some(response) = self.chase(response, "responses", |c| &c.responses).ok() else {
                continue;
            };
            for (wire, header) in &response.headers {
                let header_ptr = join(&join(&ptr, "headers"), wire);
                if wire.eq_ignore_ascii_case("content-type")
                    || fields.iter().any(|f| f.wire.eq_ignore_ascii_case(wire))
                {
                    continue;
                }
                let Some(header) = self.chase(header, "headers", |c| &c.headers).ok() else {
                    self.sink.warn(
                        &header_ptr,
                        "the header's `$ref` points to no header: it is not typed",
                    );
                    continue;
                };
                let ty = match &header.format {
                    openapiv3::ParameterSchemaOrContent::Schema(schema) => self
                        .deref_schema(Node::from(schema))
                        .map_or(TypeRef::String, header_type),
                    openapiv3::ParameterSchemaOrContent::Content(_) => TypeRef::String,
                };
                let name = unique_snake(names::snake_name(wire), &mut taken);
                fields.push(HeaderField {
                    name,
                    wire: wire.clone(),
                    doc: header.description.clone().filter(|d| !d.trim().is_empty()),
                    ty,
                });
            }
        }
        if fields.is_empty() {
            return None;
        }
        let name = self
            .names
            .reserve(&format!("{type_prefix}Headers"), responses_ptr);
        Some(HeaderSet { name, fields })
    }

    /// The type of one event's data, when the response answers `text/event-stream`: the
    /// media type's schema (`String`, the text as sent, when it is a string or there is none).
    fn event_data(
        &mut self,
        response: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        // A response that does not resolve is reported with the body.
        let response = self.chase(response, "responses", |c| &c.responses).ok()?;
        let (content_type, media) = response.content.iter().find(|(ct, _)| {
            let essence = ct.split(';').next().unwrap_or_default().trim();
            essence.eq_ignore_ascii_case("text/event-stream")
        })?;
        let Some(schema) = &media.schema else {
            return Some(TypeRef::String);
        };
        let at = join(&join(&join(pointer, "content"), content_type), "schema");
        Some(match self.schema_type(Node::from(schema), &at, hint) {
            // Event data is text: binary is read as the text it is.
            TypeRef::Bytes => TypeRef::String,
            ty => ty,
        })
    }

    fn response(
        &mut self,
        response: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
        hint: &str,
    ) -> (Option<String>, Option<(TypeRef, Encoding)>, Option<String>) {
        let Some(response) =
            self.follow(response, "responses", |c| &c.responses, "response", pointer)
        else {
            return (None, None, None);
        };
        let doc = Some(response.description.clone()).filter(|d| !d.is_empty());
        if response.content.is_empty() {
            return (doc, None, None);
        }
        let pick = |want: Encoding| {
            response
                .content
                .iter()
                .find(|(ct, _)| media_encoding(ct) == Some(want))
        };
        let chosen = [Encoding::Json, Encoding::Text, Encoding::Bytes]
            .into_iter()
            .find_map(|e| pick(e).map(|m| (e, m)));
        let Some((encoding, (content_type, media))) = chosen else {
            let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
            self.sink.warn(
                pointer,
                format!("response media types {types:?} are not decoded yet: the body is ignored"),
            );
            return (doc, None, None);
        };
        // A wildcard (`*/*`, springdoc's default for every operation): the server chooses. With
        // a schema, what such servers send is JSON (asked for as `application/json`, since a
        // server told `*/*` may pick text and a mock cannot write an object as text), the text
        // as sent for a string, bytes for binary.
        if let (Encoding::Bytes, true, Some(schema)) =
            (encoding, content_type.contains('*'), &media.schema)
        {
            let at = join(&join(&join(pointer, "content"), content_type), "schema");
            let binary = matches!(schema, ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::String(s)), ..
            }) if matches!(s.format, VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)));
            let ty = if binary {
                TypeRef::Bytes
            } else {
                self.schema_type(Node::from(schema), &at, hint)
            };
            let found = match ty {
                TypeRef::Bytes => (TypeRef::Bytes, Encoding::Bytes, content_type.clone()),
                TypeRef::String => (TypeRef::String, Encoding::Text, content_type.clone()),
                ty => (ty, Encoding::Json, "application/json".to_owned()),
            };
            return (doc, Some((found.0, found.1)), Some(found.2));
        }
        let ty = match (encoding, &media.schema) {
            (Encoding::Text, _) => TypeRef::String,
            (Encoding::Bytes, _) => TypeRef::Bytes,
            (_, Some(schema)) => self.schema_type(
                Node::from(schema),
                &join(&join(&join(pointer, "content"), content_type), "schema"),
                hint,
            ),
            (_, None) => TypeRef::Json,
        };
        (doc, Some((ty, encoding)), Some(content_type.clone()))
    }
}

fn success(statuses: Vec<u16>, doc: Option<String>, body: Option<(TypeRef, Encoding)>) -> Success {
    let body = match body {
        Some((ty, encoding)) => SuccessBody::One { ty, encoding },
        None => SuccessBody::Empty,
    };
    Success {
        statuses,
        doc,
        body,
        headers: None,
        events: None,
    }
}

/// The variant of a success status: its reason phrase (RFC 9110), `Status{code}` for the
/// others, `Other` for a `2XX` range (stood for by 0).
fn status_variant_name(status: u16) -> String {
    let name = match status {
        0 => "Other",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        other => return format!("Status{other}"),
    };
    name.to_owned()
}

/// A header's type: scalars as declared, anything else as its text.
fn header_type(schema: &Schema) -> TypeRef {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => date_type(s).unwrap_or(TypeRef::String),
        SchemaKind::Type(Type::Integer(i)) => match &i.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
            _ => TypeRef::I64,
        },
        SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
        SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
        _ => TypeRef::String,
    }
}
