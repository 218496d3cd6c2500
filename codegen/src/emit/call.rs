//! Emits the call of one operation: the function takes the required inputs and returns a call
//! value; the optional inputs are its setters, then `.await` sends it. Adding an optional
//! parameter to a spec adds a setter: no caller's code changes.
//!
//! ```text
//! let key = admin_keys_regenerate(&client, sub, group, service, AdminKeyKind::Primary)
//!     .client_request_id(id)          // an optional parameter, by name
//!     .timeout(Duration::from_secs(5)) // per call
//!     .await?;
//! ```
//!
//! Every call also has `.header(name, value)`, `.send_with_response()` (the value with the
//! status and every header) and, for lists answered in pages, `.pages()` and `.items()`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, spelling, Ctx};
use crate::model::{
    Encoding, FinalStateVia, NextLink, Operation, PageField, Position, PositionKind,
};

/// What the call's code is made of, besides its inputs.
pub struct CallCode<'t> {
    /// The function's doc attributes.
    pub docs: &'t TokenStream,
    /// The `#[cfg]` of everything emitted, or nothing.
    pub gate: &'t TokenStream,
    /// `#[deprecated]` when the operation is, or nothing.
    pub deprecated: &'t TokenStream,
    /// What `.await` yields.
    pub ok_type: &'t TokenStream,
    /// The error body's type.
    pub error_type: &'t TokenStream,
    /// The statements that check the inputs and send the request (`let response = ...`),
    /// over the inputs as locals and `client`, `call`.
    pub send: TokenStream,
    /// The statements that decode `response` into `rt::Response<ok_type>`.
    pub decode: TokenStream,
}

/// One input of the call: a field of the call type.
struct Input {
    name: proc_macro2::Ident,
    /// The field's type (`Option<..>` for an optional input), borrowed for `'a`.
    ty: TokenStream,
    /// The setter's argument type (an optional input's, without the `Option`).
    setter_ty: Option<TokenStream>,
    /// Taken as `impl Into<..>` of its type, converted when stored (a binary body: bytes, a
    /// file or a stream).
    into: bool,
    /// The setter's documentation.
    doc: String,
}

/// The function, the call type, its methods and its `IntoFuture`.
pub fn call(ctx: &Ctx, op: &Operation, code: CallCode<'_>) -> TokenStream {
    let inputs = inputs(ctx, op);
    let fn_name = ident(&op.name);
    let call_name = ident(&op.call);
    let (required, optional): (Vec<&Input>, Vec<&Input>) =
        inputs.iter().partition(|i| i.setter_ty.is_none());
    let arg_names: Vec<_> = required.iter().map(|i| &i.name).collect();
    let arg_types: Vec<_> = required.iter().map(|i| into_arg(i.into, &i.ty)).collect();
    let arg_values: Vec<_> = required
        .iter()
        .map(|i| {
            let name = &i.name;
            if i.into {
                quote!(#name: #name.into())
            } else {
                quote!(#name)
            }
        })
        .collect();
    let unset: Vec<_> = optional.iter().map(|i| &i.name).collect();
    let many_args = if required.len() + 1 > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let CallCode {
        docs,
        gate,
        deprecated,
        ok_type,
        error_type,
        send,
        decode,
    } = code;
    let struct_doc = format!(
        "The call of [`{}`]: its optional inputs are set with the methods below, then `.await` sends it.",
        crate::names::unraw(&op.name)
    );
    let struct_docs = super::doc_attrs(Some(&struct_doc));
    // A body of parts the caller wrote is moved in once: such a call cannot be cloned (nor paged).
    let clone = if op
        .body
        .as_ref()
        .is_some_and(|b| b.encoding == Encoding::RawMultipart)
    {
        quote!()
    } else {
        quote!(#[derive(Clone)])
    };
    let fields = inputs.iter().map(|i| {
        let (name, ty) = (&i.name, &i.ty);
        quote!(#name: #ty,)
    });
    let all: Vec<_> = inputs.iter().map(|i| &i.name).collect();
    let setters = optional.iter().map(|i| setter(i));
    let result = ctx.std("Result");
    let paging = pages(ctx, op, error_type);
    // A poller sends the call again: a call that cannot be cloned is not polled.
    let long_running = op.long_running.as_ref().filter(|_| !clone.is_empty());
    let sending = sending(
        ctx,
        op,
        &all,
        Sending {
            send,
            decode,
            result: &result,
            ok_type,
            error_type,
            long_running,
        },
    );
    quote! {
        #docs
        #gate
        #deprecated
        #many_args
        pub fn #fn_name<'a>(client: &'a rt::Client, #(#arg_names: #arg_types),*) -> #call_name<'a> {
            #call_name {
                client,
                #(#arg_values,)*
                #(#unset: None,)*
                call: rt::CallOptions::default(),
            }
        }

        #struct_docs
        #gate
        #clone
        #[must_use = "a call sends nothing until it is awaited"]
        pub struct #call_name<'a> {
            client: &'a rt::Client,
            #(#fields)*
            call: rt::CallOptions,
        }

        #gate
        impl<'a> #call_name<'a> {
            #(#setters)*

            /// Limits this call, retries included, to `timeout` (instead of the client's total
            /// timeout).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.call.set_timeout(timeout);
                self
            }

            /// Adds a header to this call's request: one the spec does not declare
            /// (`If-None-Match`, a credential it does not describe...). An invalid name or
            /// value fails the call before anything is sent.
            pub fn header(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.call.add_header(name, value);
                self
            }

            #sending

            #paging
        }

        #gate
        impl<'a> ::std::future::IntoFuture for #call_name<'a> {
            type Output = #result<#ok_type, rt::Error<#error_type>>;
            type IntoFuture = rt::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(rt::value_of(self.send_with_response()))
            }
        }
    }
}

/// What `sending` needs besides the operation.
struct Sending<'t> {
    send: TokenStream,
    decode: TokenStream,
    result: &'t TokenStream,
    ok_type: &'t TokenStream,
    error_type: &'t TokenStream,
    long_running: Option<&'t crate::model::LongRunning>,
}

/// `send_with_response`, and for a long-running operation or a binary body the split it needs:
/// `send_raw` and `decode`, then `.poller()` or `.stream()`.
fn sending(
    ctx: &Ctx,
    op: &Operation,
    all: &[&proc_macro2::Ident],
    code: Sending<'_>,
) -> TokenStream {
    let Sending {
        send,
        decode,
        result,
        ok_type,
        error_type,
        long_running,
    } = code;
    // A binary success body can be read as it arrives.
    let streamed = matches!(
        op.success.body,
        crate::model::SuccessBody::One {
            encoding: Encoding::Bytes,
            ..
        }
    );
    let events = op
        .success
        .events
        .as_ref()
        .map(|data| events(ctx, data, error_type));
    let code = if long_running.is_none() && !streamed && events.is_none() {
        quote! {
            /// Sends the call: its value, with the response's status and every header.
            pub async fn send_with_response(
                self,
            ) -> #result<rt::Response<#ok_type>, rt::Error<#error_type>> {
                let Self { client, #(#all,)* call } = self;
                #send
                #decode
            }
        }
    } else {
        let first = if long_running.is_some() {
            quote! {
                /// Sends the call and returns the service's first answer, with its status and
                /// every header; [`Self::poller`] follows the operation to its end.
            }
        } else {
            quote! {
                /// Sends the call: its value, with the response's status and every header.
            }
        };
        let polling = long_running.map(|lro| polling(lro.final_state_via, ok_type, error_type));
        let stream = streamed.then(|| {
            quote! {
                /// Sends the call and returns the body as it arrives: chunks of bytes, with no
                /// size cap (`.await` reads the body whole, up to 16 MiB), with the status and
                /// headers. The client's per-attempt and total timeouts do not bound the
                /// reading; the call's own `.timeout(..)` does.
                pub async fn stream(
                    mut self,
                ) -> #result<rt::Response<rt::ByteStream>, rt::Error<#error_type>> {
                    self.call.stream = true;
                    self.send_raw().await?.byte_stream()
                }
            }
        });
        quote! {
            #first
            pub async fn send_with_response(
                self,
            ) -> #result<rt::Response<#ok_type>, rt::Error<#error_type>> {
                Self::decode(self.send_raw().await?)
            }

            async fn send_raw(self) -> #result<rt::RawResponse, rt::Error<#error_type>> {
                let Self { client, #(#all,)* call } = self;
                #send
                Ok(response)
            }

            fn decode(response: rt::RawResponse) -> #result<rt::Response<#ok_type>, rt::Error<#error_type>> {
                #decode
            }

            #polling
            #stream
            #events
        }
    };
    code
}

/// `.events()` of an operation that answers `text/event-stream`.
fn events(ctx: &Ctx, data: &crate::model::TypeRef, error_type: &TokenStream) -> TokenStream {
    let (decode, data_doc) = match data {
        crate::model::TypeRef::String => (
            quote!(rt::text_event),
            "the event's id, type, `retry` and data, as sent. An event longer than
[`rt::MAX_EVENT_BYTES`] is an error in the stream, and the events after it are read.",
        ),
        _ => (
            quote!(rt::json_event),
            "the event's id, type, `retry` and data, decoded from JSON (a `[DONE]` ends the
stream, as OpenAI-style APIs send it last). An event whose data does not decode, or longer
than [`rt::MAX_EVENT_BYTES`], is an error in the stream, and the events after it are read.",
        ),
    };
    let doc = format!(
        "Sends the call and reads the answer as Server-Sent Events, each when the stream is
polled for it: {data_doc}
The client's per-attempt and total timeouts do not bound the reading; the call's own
`.timeout(..)` does. Nothing is retried once the answer has begun."
    );
    let docs = super::doc_attrs(Some(&doc));
    let data = super::types::rust_type(ctx, data);
    quote! {
        #docs
        pub async fn events(
            mut self,
        ) -> ::std::result::Result<rt::Response<rt::Events<#data, #error_type>>, rt::Error<#error_type>> {
            self.call.stream = true;
            self.call.add_header("accept", "text/event-stream");
            self.send_raw().await?.events(#decode)
        }
    }
}

/// The inputs in the function's order: the parameters, then the body.
fn inputs(ctx: &Ctx, op: &Operation) -> Vec<Input> {
    let std = |name| ctx.std_str(name);
    let mut inputs: Vec<Input> = op
        .params
        .iter()
        .map(|p| {
            let spelled = spelling::argument(&std, p);
            let doc = super::ops::param_doc(p);
            input(&p.name, &spelled, p.required, doc)
        })
        .collect();
    if let Some(body) = &op.body {
        let spelled = spelling::body_argument(&std, body);
        let doc = super::ops::body_doc(body);
        let mut body_input = input(&body.name, &spelled, body.required, doc);
        body_input.into = body.encoding == Encoding::Bytes;
        inputs.push(body_input);
    }
    inputs
}

fn input(name: &str, spelled: &spelling::Spelled, required: bool, doc: String) -> Input {
    Input {
        name: ident(name),
        ty: spelled.borrowed_for_a(),
        setter_ty: (!required).then(|| spelled.unwrap_optional().borrowed_for_a()),
        into: false,
        doc,
    }
}

/// An argument's type: `impl Into<T>` for an input converted when stored.
fn into_arg(into: bool, ty: &TokenStream) -> TokenStream {
    if into {
        quote!(impl ::std::convert::Into<#ty>)
    } else {
        ty.clone()
    }
}

/// Method names clippy expects to follow a convention (`as_*` borrows, `from_*` constructs...)
/// or to implement a trait (`add`, `next`...): a setter of that name says it is neither.
fn setter_allows(name: &str) -> TokenStream {
    const TRAIT_METHODS: &[&str] = &[
        "add",
        "sub",
        "mul",
        "div",
        "rem",
        "neg",
        "not",
        "shl",
        "shr",
        "bitand",
        "bitor",
        "bitxor",
        "next",
        "eq",
        "cmp",
        "hash",
        "index",
        "deref",
        "borrow",
        "default",
        "from_str",
        "from_iter",
        "into_iter",
        "as_ref",
        "as_mut",
        "drop",
        "clone",
    ];
    let name = crate::names::unraw(name);
    let mut lints = Vec::new();
    if TRAIT_METHODS.contains(&name) {
        lints.push(quote!(clippy::should_implement_trait));
    }
    if ["as_", "from_", "into_", "is_", "to_"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
    {
        lints.push(quote!(clippy::wrong_self_convention));
    }
    if lints.is_empty() {
        quote!()
    } else {
        quote!(#[allow(#(#lints),*)])
    }
}

fn setter(input: &Input) -> TokenStream {
    let name = &input.name;
    let ty = input.setter_ty.as_ref().map(|ty| into_arg(input.into, ty));
    let value = if input.into {
        quote!(#name.into())
    } else {
        quote!(#name)
    };
    let docs = super::doc_attrs(Some(&input.doc));
    let allows = setter_allows(&name.to_string());
    quote! {
        #docs
        #allows
        pub fn #name(mut self, #name: #ty) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

/// `.pages()` and `.items()` of a list answered in pages.
fn pages(ctx: &Ctx, op: &Operation, error_type: &TokenStream) -> TokenStream {
    let Some(p) = &op.pagination else {
        return quote!();
    };
    let page_type = match op.success.ty() {
        Some(ty) => super::types::rust_type(ctx, ty),
        None => return quote!(),
    };
    // The body of a page with declared headers is `WithHeaders`' `body`.
    let (page_type, body) = match &op.success.headers {
        Some(h) => {
            let h = ident(&h.name);
            (quote!(rt::WithHeaders<#page_type, #h>), quote!(page.body))
        }
        None => (page_type, quote!(page)),
    };
    let item_type = super::types::rust_type(ctx, &p.item);
    let next = match &p.next {
        NextLink::LinkHeader => quote!(rt::NextLink::Header),
        NextLink::Field(field) => {
            let read = field_text(&body, field);
            quote!(rt::NextLink::Body(|page| #read))
        }
        NextLink::Cursor { param, field } => {
            let read = field_text(&body, field);
            quote!(rt::NextLink::Cursor {
                param: #param,
                read: |page| #read,
            })
        }
        NextLink::Position(position) => position_link(position, &body, p.items.as_ref()),
    };
    let items = match &p.items {
        None => body.clone(),
        Some(PageField { name, optional }) => {
            let name = ident(name);
            if *optional {
                quote!(#body.#name.unwrap_or_default())
            } else {
                quote!(#body.#name)
            }
        }
    };
    quote! {
        /// The pages of the list, each fetched when the stream is polled for it, with this
        /// call's inputs, credentials, retries and options (dropping the stream sends nothing
        /// more). A next-page link to another origin ends the stream with an error.
        pub fn pages(self) -> rt::Pages<'a, #page_type, #error_type> {
            rt::pages(
                self,
                rt::Paging {
                    fetch: |call| ::std::boxed::Box::pin(call.send_with_response()),
                    options: |call| &mut call.call,
                    next: #next,
                },
            )
        }

        /// The items of every page, in order (`futures::TryStreamExt::try_next` reads them one
        /// by one).
        pub fn items(self) -> rt::Items<'a, #item_type, #error_type> {
            rt::items(self.pages(), |page| #items)
        }
    }
}

/// `rt::NextLink::Position`: where the next page starts, counted from the items of a page.
fn position_link(
    position: &Position,
    body: &TokenStream,
    items: Option<&PageField>,
) -> TokenStream {
    let Position {
        kind,
        param,
        first,
        limit,
    } = position;
    let kind = match kind {
        PositionKind::Offset => quote!(rt::PositionKind::Offset),
        PositionKind::Page => quote!(rt::PositionKind::Page),
    };
    let first = proc_macro2::Literal::i64_unsuffixed(*first);
    let limit = match limit {
        Some(limit) => quote!(::std::option::Option::Some(#limit)),
        None => quote!(::std::option::Option::None),
    };
    let count = match items {
        None => quote!(#body.len()),
        Some(PageField {
            name,
            optional: false,
        }) => {
            let name = ident(name);
            quote!(#body.#name.len())
        }
        Some(PageField {
            name,
            optional: true,
        }) => {
            let name = ident(name);
            quote!(#body.#name.as_ref().map_or(0, ::std::vec::Vec::len))
        }
    };
    quote!(rt::NextLink::Position {
        param: #param,
        kind: #kind,
        first: #first,
        limit: #limit,
        count: |page| #count,
    })
}

/// The next link's text of a page, as `Option<&str>`.
fn field_text(body: &TokenStream, field: &PageField) -> TokenStream {
    let name = ident(&field.name);
    if field.optional {
        quote!(#body.#name.as_deref())
    } else {
        quote!(::std::option::Option::Some(#body.#name.as_str()))
    }
}

/// `.poller()` and `.resume(state)` of a long-running operation.
fn polling(via: FinalStateVia, ok_type: &TokenStream, error_type: &TokenStream) -> TokenStream {
    let via = match via {
        FinalStateVia::Default => quote!(Default),
        FinalStateVia::AzureAsyncOperation => quote!(AzureAsyncOperation),
        FinalStateVia::Location => quote!(Location),
        FinalStateVia::OriginalUri => quote!(OriginalUri),
        FinalStateVia::OperationLocation => quote!(OperationLocation),
    };
    quote! {
        /// The operation runs on after its first answer: this poller sends the call, then
        /// polls where the service says (waiting as its `Retry-After` asks) until the
        /// operation ends. `.await` it for the final result, or `.poll()` it step by step; a
        /// failed or canceled operation is [`rt::Error::Operation`].
        pub fn poller(self) -> rt::Poller<'a, Self, #ok_type, #error_type> {
            rt::Poller::new(self, Self::polling())
        }

        /// A poller that goes on from `state` (saved from [`rt::Poller::state`]) without
        /// sending the call again.
        pub fn resume(
            self,
            state: rt::PollerState,
        ) -> ::std::result::Result<rt::Poller<'a, Self, #ok_type, #error_type>, rt::Error<#error_type>> {
            rt::Poller::resume(self, Self::polling(), state)
        }

        fn polling() -> rt::Polling<'a, Self, #ok_type, #error_type> {
            rt::Polling {
                send: |call| ::std::boxed::Box::pin(call.send_raw()),
                decode: Self::decode,
                options: |call| &mut call.call,
                final_state_via: rt::FinalStateVia::#via,
            }
        }
    }
}
