//! Resolve and check: `openapiv3::OpenAPI` -> [`model::Api`]. Follows every `$ref`, names every
//! type, compiles every pattern and reports each problem with its JSON pointer.
//!
//! One file per OpenAPI object: `schemas` (the type of a schema at its place), `types`
//! (nominal types: structs, enums, unions), `references` (`$ref`s of every kind),
//! `operations`, `parameters`, `bodies`, `responses`, `servers` (and the `x-client`
//! conventions), `security`, `patterns` (ECMA-262 and Java patterns for the Rust engines);
//! `azure` and `multipart` read what those extensions and bodies add. This file holds the
//! entry point and the resolver's state.
//!
//! [`model::Api`]: crate::model::Api

mod azure;
mod bodies;
mod multipart;
mod operations;
mod paging;
mod parameters;
mod patterns;
mod references;
mod responses;
mod schemas;
mod security;
mod servers;
mod types;

use std::collections::{HashMap, HashSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::diag::Sink;
use crate::model::*;
use crate::names;
use crate::refs::Elsewhere;

pub use patterns::{compile_pattern, rust_pattern};
use security::Declared;

/// A schema seen through `ReferenceOr<Schema>` or `ReferenceOr<Box<Schema>>`.
#[derive(Clone, Copy)]
enum Node<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for Node<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(s) => Node::Inline(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for Node<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(s) => Node::Inline(s),
        }
    }
}

impl Node<'_> {
    fn same_as(&self, other: &Node<'_>) -> bool {
        match (self, other) {
            (Node::Ref(a), Node::Ref(b)) => a == b,
            (Node::Inline(a), Node::Inline(b)) => a == b,
            _ => false,
        }
    }
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Resolves one loaded spec into the model of module `module`.
pub fn resolve(
    doc: &OpenAPI,
    raw: &serde_json::Value,
    target: &Target<'_>,
    sink: &mut Sink<'_>,
) -> Option<Api> {
    let Target {
        module,
        source,
        selection,
        service,
        tag_features,
    } = target;
    let conventions = servers::conventions(raw, sink);
    let errors_before = sink.errors.len();
    let elsewhere = Elsewhere::collect(raw);
    let schemes = Declared::collect(raw, sink);
    let mut r = Resolver {
        doc,
        raw,
        elsewhere: &elsewhere,
        sink,
        conventions,
        names: Names::default(),
        table: TypeTable::default(),
        guards: Guards::default(),
        skip_unsupported: selection.skip_unsupported,
        binary_as_bytes: false,
        schemes,
        root_security: Security::default(),
    };
    r.declare_components();
    r.define_components();
    // Before the operations, so that no operation names them. After the schemas: a schema's
    // own enum keeps its name, and a parameter of the same values shares it.
    r.define_shared_parameters();
    r.root_security = match &doc.security {
        Some(requirements) => r.security(requirements, "/security"),
        None => Security {
            alternatives: Vec::new(),
            anonymous: true,
        },
    };
    if selection.skip_unsupported {
        // What a model cannot hold (a pattern no engine compiles, a `$ref` out of reach) was
        // replaced where it was found (no check, a JSON value): say so, and go on.
        r.errors_as_warnings(errors_before, "--skip-unsupported: generated without it");
    }
    let operations = r.operations(selection);
    let mut types = std::mem::take(&mut r.table.types);
    if selection.filters() {
        types::prune(&mut types, &operations);
    }
    types::mark_boxed(&mut types);
    let servers = r.servers();
    let server = servers
        .first()
        .map(|s| s.url.clone())
        .unwrap_or_else(|| "/".to_owned());
    if r.sink.errors.len() > errors_before {
        return None;
    }
    let holder = security::holder_name(|name| r.names.used.contains_key(name));
    let server_enum = servers::enum_name(|name| r.names.used.contains_key(name));
    let security = std::mem::take(&mut r.schemes).into_model(holder);
    Some(Api {
        module: (*module).to_owned(),
        source: (*source).to_owned(),
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        server,
        server_enum,
        service: service.clone(),
        servers,
        conventions: r.conventions.clone(),
        types,
        operations,
        security,
        root_security: r.root_security.clone(),
        tag_features: *tag_features,
    })
}

/// What a spec becomes besides its document: the module's name, its source for messages, the
/// operations kept, and the layout choices (a version of a service, split by tag).
pub struct Target<'a> {
    /// The module's Rust name.
    pub module: &'a str,
    /// The spec's path, as the generated code's header names it.
    pub source: &'a str,
    /// Which operations to generate.
    pub selection: &'a Selection,
    /// Set when the spec is one API version of a service.
    pub service: Option<ServiceVersion>,
    /// Whether the module is split by tag.
    pub tag_features: TagFeatures,
}

struct Resolver<'a, 's> {
    doc: &'a OpenAPI,
    raw: &'a serde_json::Value,
    /// Targets of `$ref`s that name no component directly.
    elsewhere: &'a Elsewhere,
    sink: &'a mut Sink<'s>,
    conventions: Conventions,
    /// The Rust type names taken, and what took them.
    names: Names,
    /// The nominal types defined so far.
    table: TypeTable,
    /// What is being resolved, so that no cycle or depth of input can exhaust the stack.
    guards: Guards,
    /// `--skip-unsupported`: a check the client cannot make (a pattern no engine compiles) is
    /// left out with a warning.
    skip_unsupported: bool,
    /// Set while resolving a `multipart/form-data` body: `format: binary` strings are bytes
    /// (file parts) there, and text everywhere else (JSON cannot carry raw bytes).
    binary_as_bytes: bool,
    /// `components.securitySchemes`, read once.
    schemes: Declared,
    /// The root-level requirement, which operations without their own inherit.
    root_security: Security,
}

/// The Rust type names of the module: every one is decided here, once.
#[derive(Default)]
struct Names {
    /// Component schema name -> its Rust type (nominal types get a name, aliases resolve).
    components: HashMap<String, String>,
    /// Rust type name -> pointer of the schema that took it.
    used: HashMap<String, String>,
    /// Inline nominal types by the pointer of their schema: a `$ref` to that place and the
    /// place itself share one type, whichever is resolved first.
    defined_at: HashMap<String, String>,
    /// Inline string enums already defined: their values -> the type's name.
    inline_enums: HashMap<String, String>,
    /// The types of parameters written once for several operations (a component, a path
    /// item's parameter), by the parameter's address in the document: named from where they
    /// are written, before any operation uses them.
    shared_parameters: HashMap<*const openapiv3::Parameter, TypeRef>,
}

impl Names {
    /// A type name not taken yet: `hint`, else `hint2`, `hint3`...; `pointer` is what it names.
    fn reserve(&mut self, hint: &str, pointer: &str) -> String {
        let mut name = hint.to_owned();
        let mut n = 2;
        while self.used.contains_key(&name) {
            name = format!("{hint}{n}");
            n += 1;
        }
        self.used.insert(name.clone(), pointer.to_owned());
        name
    }
}

/// The nominal types defined so far, in definition order, and the types of `$ref` targets
/// outside the components.
#[derive(Default)]
struct TypeTable {
    types: Vec<TypeDef>,
    index: HashMap<String, usize>,
    /// The types of `$ref` targets that name no component, by reference text, once resolved.
    elsewhere: HashMap<String, TypeRef>,
}

impl TypeTable {
    fn push(&mut self, def: TypeDef) {
        self.index.insert(def.name().to_owned(), self.types.len());
        self.types.push(def);
    }

    fn get(&self, name: &str) -> Option<&TypeDef> {
        self.index.get(name).and_then(|i| self.types.get(*i))
    }

    fn is_union(&self, name: &str) -> bool {
        matches!(self.get(name), Some(TypeDef::Union(_)))
    }

    fn is_enum(&self, name: &str) -> bool {
        matches!(self.get(name), Some(TypeDef::Enum(_)))
    }
}

/// What is being resolved: `$ref` cycles are caught and nesting is bounded.
#[derive(Default)]
struct Guards {
    /// Component aliases being resolved, to catch `$ref` cycles that never reach a type.
    aliases: Vec<(String, usize)>,
    /// Inline nominal schemas being defined, by address: reaching one again (through an
    /// `allOf` that includes its container) refers to the type in progress.
    inline: Vec<(*const Schema, String)>,
    /// How deep `schema_type` is nested, bounded so no input can exhaust the stack.
    depth: usize,
}

impl<'a> Resolver<'a, '_> {
    fn components(&self) -> Option<&'a openapiv3::Components> {
        self.doc.components.as_ref()
    }

    /// The errors reported since the sink held `since`, as warnings that say `why` they do not
    /// stop the run (`--skip-unsupported`).
    fn errors_as_warnings(&mut self, since: usize, why: &str) {
        let reasons: Vec<_> = self.sink.errors.drain(since..).collect();
        for reason in reasons {
            self.sink
                .warn(&reason.pointer, format!("{why}: {}", reason.message));
        }
    }
}

/// `name`, or `name2`, `name3`... whichever is free first.
fn unique(name: String, taken: &mut HashSet<String>) -> String {
    numbered(name, "", taken)
}

/// `name`, or `name{separator}2`, `name{separator}3`... whichever is free first (taken now).
fn numbered(name: String, separator: &str, taken: &mut HashSet<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{name}{separator}{n}");
        n += 1;
    }
    candidate
}

/// Like [`unique`] for snake names: `name_`, `name__`... keeps raw identifiers valid.
fn unique_snake(name: String, taken: &mut HashSet<String>) -> String {
    let mut candidate = name.clone();
    while !taken.insert(candidate.clone()) {
        candidate = format!("{}_", names::unraw(&candidate));
    }
    candidate
}
