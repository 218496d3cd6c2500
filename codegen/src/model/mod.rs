//! The checked intermediate model: what the emitters consume. Every name here is already a valid,
//! collision-free Rust identifier, every `$ref` is resolved and every pattern compiles.

mod calls;
mod print;
mod types;

pub use calls::{
    FinalStateVia, LongRunning, NextLink, PageField, Pagination, Position, PositionKind,
};
pub use print::print;
pub use types::{
    Constraints, Engine, EnumDef, Field, Pattern, Remainder, StructDef, TypeDef, TypeRef, UnionDef,
    UnionTag, UnionVariant, Variant,
};

/// One spec, ready to emit as one module.
#[derive(Debug, Clone)]
pub struct Api {
    /// The module name (`snake_case`), from the spec file's stem.
    pub module: String,
    /// The spec file as given, for the header of the generated file.
    pub source: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`: the API's version.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first server URL; operations call it unless the client overrides it.
    pub server: String,
    /// The Rust name of the module's enum of its servers (`Server`, unless a model takes it).
    pub server_enum: String,
    /// Set when the spec is one API version of a service (`specs/<service>/<version>.yaml`).
    pub service: Option<ServiceVersion>,
    /// Every server the spec lists, named for selection.
    pub servers: Vec<Server>,
    /// The service's header conventions (the spec's `x-client` extension).
    pub conventions: Conventions,
    /// Every model the module defines.
    pub types: Vec<TypeDef>,
    /// Every operation the module generates (the selection's).
    pub operations: Vec<Operation>,
    /// The security schemes the spec declares that the client can apply, and their names.
    pub security: SecuritySchemes,
    /// The root-level security requirement (what operations without their own inherit).
    pub root_security: Security,
    /// Whether the emitted module is split by tag (the spec's layout choice, not the API's).
    pub tag_features: TagFeatures,
}

impl Api {
    /// Whether some model, parameter or body holds a `date` or `date-time` (the crate then
    /// depends on `chrono`).
    pub fn uses_dates(&self) -> bool {
        let types = self.types.iter().any(|t| match t {
            TypeDef::Struct(s) => {
                s.fields.iter().any(|f| f.ty.has_date())
                    || s.additional.as_ref().is_some_and(|r| r.ty.has_date())
            }
            TypeDef::Union(u) => u.variants.iter().any(|v| v.ty.has_date()),
            TypeDef::Enum(_) => false,
        });
        let operations = self.operations.iter().any(|op| {
            op.params.iter().any(|p| p.ty.has_date())
                || op.body.as_ref().is_some_and(|b| b.ty.has_date())
                || op.success.types().any(TypeRef::has_date)
                || op.error.has_date()
        });
        types || operations
    }

    /// Whether some operation answers `text/event-stream` (the runtime's event stream is then
    /// part of the crate).
    pub fn uses_events(&self) -> bool {
        self.operations.iter().any(|op| op.success.events.is_some())
    }

    /// Whether some Rust name of the API holds a non-ASCII character (a spec's `Größe` or `ˊ`):
    /// the crate then allows `uncommon_codepoints`, since the names are the spec's.
    pub fn has_non_ascii_names(&self) -> bool {
        let odd = |name: &str| !name.is_ascii();
        let types = self.types.iter().any(|t| {
            odd(t.name())
                || match t {
                    TypeDef::Struct(s) => s.fields.iter().any(|f| odd(&f.name)),
                    TypeDef::Enum(e) => e.variants.iter().any(|v| odd(&v.name)),
                    TypeDef::Union(u) => u.variants.iter().any(|v| odd(&v.name)),
                }
        });
        let operations = self.operations.iter().any(|op| {
            odd(&op.name)
                || op.params.iter().any(|p| odd(&p.name))
                || op
                    .success
                    .by_status()
                    .is_some_and(|e| odd(&e.name) || e.variants.iter().any(|v| odd(&v.name)))
                || op
                    .success
                    .headers
                    .as_ref()
                    .is_some_and(|h| odd(&h.name) || h.fields.iter().any(|f| odd(&f.name)))
        });
        types || operations
    }

    /// Every pattern a parameter or a body property of the API is checked against.
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        let params = self
            .operations
            .iter()
            .flat_map(|op| op.params.iter())
            .filter_map(|p| p.constraints.pattern.as_ref());
        let fields = self
            .types
            .iter()
            .filter_map(|t| match t {
                TypeDef::Struct(s) => Some(s.fields.iter()),
                TypeDef::Enum(_) | TypeDef::Union(_) => None,
            })
            .flatten()
            .filter_map(|f| f.constraints.pattern.as_ref());
        params.chain(fields)
    }
}

/// Whether a module is split by tag, a module and cargo feature per tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TagFeatures {
    /// As the spec's `x-client.tag-features` says, else when it has at least 100 operations
    /// (`AUTO_OPERATIONS`) and two tags.
    #[default]
    Auto,
    /// Always, when the spec has tags.
    Always,
    /// Never: one module.
    Never,
}

/// Which operations of a spec to generate, and what to do with the ones that cannot be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only operations with one of these tags (all when empty).
    pub tags: Vec<String>,
    /// Only these operations, by operationId or function name (all when empty).
    pub operations: Vec<String>,
    /// Leave out, with a warning, an operation the generator cannot type, instead of failing.
    pub skip_unsupported: bool,
}

impl Selection {
    /// Whether only some operations are kept.
    pub fn filters(&self) -> bool {
        !self.tags.is_empty() || !self.operations.is_empty()
    }
}

/// Which service and version a spec is, when a service has several versions side by side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceVersion {
    /// The service's module (`snake_case`).
    pub service: String,
    /// The version as the file names it (`2025-07-01`, `2024-03-01-preview`).
    pub version: String,
}

impl ServiceVersion {
    /// The cargo feature that compiles this version: `<service>-<version>`.
    pub fn feature(&self) -> String {
        format!("{}-{}", crate::names::unraw(&self.service), self.version)
    }

    /// Whether the version is a preview (not a stable release).
    pub fn is_preview(&self) -> bool {
        self.version.to_ascii_lowercase().contains("preview")
    }
}

/// A server of the spec's `servers` list.
#[derive(Debug, Clone)]
pub struct Server {
    /// The variant name, from the server's `x-name` or `description`.
    pub name: String,
    /// The URL (its variables filled with their defaults).
    pub url: String,
    /// The server's description.
    pub doc: Option<String>,
}

/// Header names a service uses for request ids, error codes and retry hints.
#[derive(Debug, Clone, Default)]
pub struct Conventions {
    /// Sent on every request with the caller's id or a fresh UUID.
    pub client_request_id_header: Option<String>,
    /// The service's own request id, kept in errors.
    pub request_id_header: Option<String>,
    /// The service's error code, preferred to the body's.
    pub error_code_header: Option<String>,
    /// Retry hints in milliseconds, read before `Retry-After`.
    pub retry_after_ms_headers: Vec<String>,
    /// Replaces the security requirement's scopes; `{origin}` stands for the origin called.
    pub token_scope: Option<String>,
    /// Whether to split the module by tag, one cargo feature each (by size when unset).
    pub tag_features: Option<bool>,
}

impl ParamType {
    /// Whether the parameter is, or holds, a `chrono` date.
    pub fn has_date(&self) -> bool {
        match self {
            ParamType::Date | ParamType::DateTime => true,
            ParamType::List { item, .. } => item.has_date(),
            ParamType::Structured { ty, .. } => ty.has_date(),
            _ => false,
        }
    }
}

/// One operation: an `async fn` of the module.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The function name.
    pub name: String,
    /// As the spec writes it (or made from method and path when it has none).
    pub operation_id: String,
    /// The HTTP method.
    pub method: Method,
    /// The path template, as the spec writes it.
    pub path: String,
    /// The path, split into literal text and parameters.
    pub path_parts: Vec<PathPart>,
    /// The operation's summary.
    pub summary: Option<String>,
    /// The operation's description.
    pub description: Option<String>,
    /// Marked `deprecated` (the function is too).
    pub deprecated: bool,
    /// The spec's tags, in its order: with tag features, the first one's module holds it.
    pub tags: Vec<String>,
    /// Parameters the caller supplies, in the spec's order (path, query, header).
    pub params: Vec<Param>,
    /// Required parameters whose schema admits one value: sent without the caller's help.
    pub constants: Vec<ConstParam>,
    /// The request body, if the operation takes one.
    pub body: Option<RequestBody>,
    /// The success response(s).
    pub success: Success,
    /// The error body type (from `default` and the 4xx/5xx responses).
    pub error: TypeRef,
    /// The security requirement: the operation's own, else the root's.
    pub security: Security,
    /// The Rust name of the call type the function returns: the optional inputs are set on it,
    /// then it is awaited (decided here, apart from every model's name).
    pub call: String,
    /// A list answered in pages (Azure's `x-ms-pageable`, or a `Link` header): the call can be
    /// read as a stream of pages or of items.
    pub pagination: Option<Pagination>,
    /// Azure's `x-ms-long-running-operation`: the service finishes the operation later.
    pub long_running: Option<LongRunning>,
}

/// The security schemes of `components.securitySchemes` the client can apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecuritySchemes {
    /// The Rust name of the module's type whose associated consts name the schemes
    /// (`SecuritySchemes`, unless a model takes it).
    pub holder: String,
    /// The schemes, in the spec's order.
    pub schemes: Vec<SecurityScheme>,
}

/// One security scheme, as the spec declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The key in `components.securitySchemes`: what the client builder's methods take.
    pub name: String,
    /// The associated const of the holder type that names it (`API_KEY`).
    pub rust: String,
    /// The scheme's description.
    pub doc: Option<String>,
    /// How it authenticates.
    pub kind: SchemeKind,
}

/// How a scheme authenticates a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `apiKey`: a key sent as header, query parameter or cookie `name`.
    ApiKey {
        /// The header, query parameter or cookie name.
        name: String,
        /// Where the key goes.
        location: ApiKeyLocation,
    },
    /// `http` `basic`: `Authorization: Basic base64(user:password)`.
    Basic,
    /// `http` `bearer`: `Authorization: Bearer <token>`.
    Bearer {
        /// `bearerFormat`, as documentation.
        format: Option<String>,
    },
    /// `oauth2`: a bearer token for the requirement's scopes.
    OAuth2,
    /// `openIdConnect`: a bearer token for the requirement's scopes.
    OpenIdConnect {
        /// `openIdConnectUrl`, as documentation.
        url: String,
    },
}

impl SchemeKind {
    /// Whether the scheme sends a bearer token from a token credential.
    pub fn is_token(&self) -> bool {
        matches!(
            self,
            SchemeKind::Bearer { .. } | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect { .. }
        )
    }
}

/// Where an `apiKey` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

impl ApiKeyLocation {
    /// As the spec's `in` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiKeyLocation::Header => "header",
            ApiKeyLocation::Query => "query",
            ApiKeyLocation::Cookie => "cookie",
        }
    }
}

/// An operation's security requirement: any one alternative suffices, and every scheme of the
/// alternative is applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Security {
    /// In the spec's order (the client applies the first one it has every credential for).
    pub alternatives: Vec<Vec<SchemeUse>>,
    /// The operation may be called without credentials: `security: []`, an empty requirement
    /// (`{}`) among the alternatives, no requirement at all, or none the client can apply.
    pub anonymous: bool,
}

/// One scheme of an alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeUse {
    /// Index into [`SecuritySchemes::schemes`].
    pub scheme: usize,
    /// The scopes a token is asked for (oauth2 and openIdConnect; `x-client.token-scope`
    /// replaces an oauth2 requirement's); `{origin}` stands for the origin called.
    pub scopes: Vec<String>,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl Method {
    /// The method's name, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text copied as written.
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
    /// A path parameter that admits one value.
    Const(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A path segment.
    Path,
    /// A query parameter.
    Query,
    /// A request header.
    Header,
}

impl Location {
    /// As the spec's `in` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

/// A parameter the caller passes.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Rust argument name.
    pub name: String,
    /// The parameter's name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: Location,
    /// Its description.
    pub doc: Option<String>,
    /// Whether it must be given (an `Option` argument otherwise).
    pub required: bool,
    /// How it is passed and turned into text.
    pub ty: ParamType,
    /// What it is checked against before sending.
    pub constraints: Constraints,
}

/// How a parameter is passed and turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamType {
    /// `&str`.
    Str,
    /// A string enum of this module, by value (`Copy`-free, passed as `&T`).
    Enum(String),
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `format: date`, by value.
    Date,
    /// `format: date-time`, by value; sent as RFC 3339.
    DateTime,
    /// An array of scalars (`&[T]`): in the query, one `name=value` pair per item when
    /// `explode` (the default of `style: form`), else comma-separated; elsewhere comma-separated.
    List {
        /// The items' type.
        item: Box<ParamType>,
        /// One pair per item (in the query).
        explode: bool,
        /// Between the items when not exploded: `,` (`form`, `simple`), `|` (`pipeDelimited`),
        /// ` ` (`spaceDelimited`).
        delimiter: char,
    },
    /// An object, a free-form value or an array of objects in the query (`&T`): flattened into
    /// pairs at run time by `style`.
    Structured {
        /// The value's type.
        ty: TypeRef,
        /// How it is flattened.
        style: QueryStyle,
    },
}

/// How a structured query parameter is flattened (the runtime's `QueryStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `style: form`, `explode: true`.
    FormExplode,
    /// `style: form`, `explode: false`.
    Form,
    /// `style: deepObject`.
    DeepObject,
    /// `content: {application/json: ...}`: one pair, the value as JSON text.
    Json,
}

/// A parameter with one possible value: sent as is, never an argument.
#[derive(Debug, Clone)]
pub struct ConstParam {
    /// Its name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: Location,
    /// The value.
    pub value: String,
}

/// An operation's request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// The argument's name.
    pub name: String,
    /// Its description.
    pub doc: Option<String>,
    /// Whether it must be given (an `Option` argument otherwise).
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// The media type sent as `Content-Type`.
    pub content_type: String,
    /// How it is put on the wire.
    pub encoding: Encoding,
    /// `multipart/form-data`: one entry per property of the body's object, in its order (none
    /// for `RawMultipart`).
    pub parts: Vec<FormPart>,
}

/// One property of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct FormPart {
    /// The struct field.
    pub field: String,
    /// The part's name on the wire.
    pub wire: String,
    /// A value, a file or an array of files.
    pub kind: PartKind,
    /// The field is an `Option`.
    pub optional: bool,
}

/// What a `multipart/form-data` part holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// Any value but a file: text parts, or a JSON part for an object.
    Value,
    /// `format: binary`: a file part (`rt::FilePart`).
    File,
    /// An array of `format: binary` items: a file part per item, under one name.
    Files,
}

/// How a body is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/json` and `+json` types.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/*` (`text/event-stream` read whole, as text; `.events()` reads it as events).
    Text,
    /// `multipart/form-data`: an object, a part per property.
    Multipart,
    /// `multipart/form-data` whose schema is not an object with properties (`{}`, a string):
    /// the caller writes the parts (`rt::Multipart`); the body's `ty` is `Json`, nothing typed.
    RawMultipart,
    /// Any other type, as raw bytes.
    Bytes,
}

/// The success response.
#[derive(Debug, Clone)]
pub struct Success {
    /// The 2xx statuses that share this body, in the spec's order.
    pub statuses: Vec<u16>,
    /// The response's description.
    pub doc: Option<String>,
    /// What the success carries: nothing, one body, or an enum by status.
    pub body: SuccessBody,
    /// The headers the 2xx responses declare, as a struct returned beside the body.
    pub headers: Option<HeaderSet>,
    /// A success answers `text/event-stream` (Server-Sent Events): the type of one event's
    /// data (`String`: the text as sent), read by `.events()`.
    pub events: Option<TypeRef>,
}

/// The response headers of an operation's successes, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderSet {
    /// The struct's Rust name.
    pub name: String,
    /// One per header.
    pub fields: Vec<HeaderField>,
}

/// One typed response header.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderField {
    /// The field name.
    pub name: String,
    /// The header's name, as the spec writes it.
    pub wire: String,
    /// Its description.
    pub doc: Option<String>,
    /// A scalar: `String`, a number, `Bool`, `Date` or `DateTime`.
    pub ty: TypeRef,
}

/// What a success carries: one of three shapes, never two at once.
#[derive(Debug, Clone)]
pub enum SuccessBody {
    /// No body.
    Empty,
    /// One body, whichever success status carries it.
    One {
        /// Its type.
        ty: TypeRef,
        /// How it is read.
        encoding: Encoding,
    },
    /// Several 2xx responses: the call returns this enum, a variant per status (with that
    /// status's body), picked by the status.
    ByStatus(StatusEnum),
}

impl Success {
    /// Whether some success status carries a body.
    pub fn has_body(&self) -> bool {
        !matches!(self.body, SuccessBody::Empty)
    }

    /// The one body's type, when the success has one body.
    pub fn ty(&self) -> Option<&TypeRef> {
        match &self.body {
            SuccessBody::One { ty, .. } => Some(ty),
            _ => None,
        }
    }

    /// How the one body is read (JSON when there is none).
    pub fn encoding(&self) -> Encoding {
        match &self.body {
            SuccessBody::One { encoding, .. } => *encoding,
            _ => Encoding::Json,
        }
    }

    /// The enum by status, when the success has several statuses.
    pub fn by_status(&self) -> Option<&StatusEnum> {
        match &self.body {
            SuccessBody::ByStatus(e) => Some(e),
            _ => None,
        }
    }

    /// Every body type a success can carry.
    pub fn types(&self) -> impl Iterator<Item = &TypeRef> {
        let variants = self
            .by_status()
            .into_iter()
            .flat_map(|e| e.variants.iter().filter_map(|v| v.ty.as_ref()));
        let headers = self
            .headers
            .iter()
            .flat_map(|h| h.fields.iter().map(|f| &f.ty));
        self.ty()
            .into_iter()
            .chain(variants)
            .chain(headers)
            .chain(&self.events)
    }
}

/// The enum of an operation's success responses, one variant per status.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusEnum {
    /// The enum's Rust name.
    pub name: String,
    /// One per status.
    pub variants: Vec<StatusVariant>,
}

/// One success status and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The variant's Rust name.
    pub name: String,
    /// The status; `None` for a `2XX` range (any other 2xx).
    pub status: Option<u16>,
    /// The response's description.
    pub doc: Option<String>,
    /// `None` when that response has no body.
    pub ty: Option<TypeRef>,
    /// How the body is read.
    pub encoding: Encoding,
}
