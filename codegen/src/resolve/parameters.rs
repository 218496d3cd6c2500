//! Parameters: path-level and operation parameters merged and ordered, each typed as an
//! argument or made a constant.

use std::collections::HashSet;

use openapiv3::{
    Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type,
};

use super::bodies::is_json;
use super::schemas::{enum_values, field_constraints, is_nominal};
use super::{unique_snake, Node, Resolver};
use crate::diag::join;
use crate::model::*;
use crate::names;

/// A declared parameter, dereferenced, with its JSON pointer.
pub(super) type Declared<'a> = (&'a Parameter, String);

/// What a declared parameter becomes.
enum Argument {
    /// An argument of the function.
    Param(Param),
    /// A value the client sends itself.
    Const(ConstParam),
}

/// How a structured value in parameter `p` is flattened: query parameters of style `form` or
/// `deepObject` only.
pub(super) fn structured_style(p: &Parameter) -> Option<QueryStyle> {
    let Parameter::Query {
        style,
        parameter_data,
        ..
    } = p
    else {
        return None;
    };
    match style {
        openapiv3::QueryStyle::DeepObject => Some(QueryStyle::DeepObject),
        openapiv3::QueryStyle::Form if parameter_data.explode == Some(false) => {
            Some(QueryStyle::Form)
        }
        openapiv3::QueryStyle::Form => Some(QueryStyle::FormExplode),
        _ => None,
    }
}

/// Names a parameter cannot take: the call's client, its per-call options, the body's default
/// name and the methods of every call type (a setter per optional parameter sits beside them).
const RESERVED: &[&str] = &[
    "client",
    "body",
    "call",
    "send",
    "send_with_response",
    "into_future",
    "timeout",
    "header",
    "pages",
    "items",
    "poller",
    "resume",
    "stream",
];

impl<'a> Resolver<'a, '_> {
    /// Types the inline nominal schemas (enums, objects, unions) of parameters written once for
    /// several operations, before any operation is resolved, so that they are named from where
    /// they are written rather than from the first operation that uses them: a component
    /// parameter some operation refers to from its key (`#/components/parameters/direction` ->
    /// `Direction`, numbered when taken), a parameter of a path item with several operations
    /// from its name. Every use then shares the one type (see `parameter`); an operation's own
    /// enum of the same values shares it too.
    pub(super) fn define_shared_parameters(&mut self) {
        let doc: &'a openapiv3::OpenAPI = self.doc;
        let mut used: HashSet<&'a str> = HashSet::new();
        let mut path_level: Vec<(&'a Parameter, String)> = Vec::new();
        for (path, item) in doc.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            let ops: Vec<&'a openapiv3::Operation> = item.iter().map(|(_, op)| op).collect();
            let all = item
                .parameters
                .iter()
                .chain(ops.iter().flat_map(|op| op.parameters.iter()));
            used.extend(all.filter_map(|p| self.parameter_component(p)));
            if ops.len() > 1 {
                let at = join(&join("/paths", path), "parameters");
                for (i, p) in item.parameters.iter().enumerate() {
                    if let ReferenceOr::Item(p) = p {
                        path_level.push((p, join(&at, i)));
                    }
                }
            }
        }
        if let Some(components) = self.components() {
            for (key, p) in &components.parameters {
                if let (ReferenceOr::Item(p), true) = (p, used.contains(key.as_str())) {
                    let at = join("/components/parameters", key);
                    self.shared_parameter(p, &at, &component_hint(key));
                }
            }
        }
        for (p, at) in path_level {
            let hint = names::type_name(&p.parameter_data_ref().name);
            self.shared_parameter(p, &at, &hint);
        }
    }

    /// The key of the component parameter that holds what `start` refers to, through a chain
    /// of `$ref`s; `None` when `start` is written in place or refers elsewhere.
    fn parameter_component(&self, start: &'a ReferenceOr<Parameter>) -> Option<&'a str> {
        let components = self.components()?;
        let mut current = start;
        let mut key = None;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(_) => return key,
                ReferenceOr::Reference { reference } => {
                    let name = reference
                        .strip_prefix("#/components/parameters/")
                        .filter(|n| !n.contains('/'))?;
                    let (k, next) = components.parameters.get_key_value(name)?;
                    key = Some(k.as_str());
                    current = next;
                }
            }
        }
        None
    }

    /// The type of shared parameter `p` at `pointer`, named `hint`, when its schema is an
    /// inline nominal type (not a constant: a required enum of one value is sent by the client).
    fn shared_parameter(&mut self, p: &'a Parameter, pointer: &str, hint: &str) {
        let data = p.parameter_data_ref();
        let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format else {
            return;
        };
        if location_of(p).is_none() || !is_nominal(schema) {
            return;
        }
        let required = data.required || matches!(p, Parameter::Path { .. });
        if let SchemaKind::Type(Type::String(s)) = &schema.schema_kind {
            if required && enum_values(s).len() == 1 {
                return;
            }
        }
        let ty = self.schema_type(Node::Inline(schema), &join(pointer, "schema"), hint);
        self.names.shared_parameters.insert(p, ty);
    }

    pub(super) fn deref_parameter(
        &mut self,
        p: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<&'a Parameter> {
        self.follow(p, "parameters", |c| &c.parameters, "parameter", pointer)
    }

    /// The parameters of operation `op` at `pointer`: the path item's first, an operation
    /// parameter with the same name and location replacing one; then ordered as arguments.
    pub(super) fn declared_parameters(
        &mut self,
        path: &str,
        op: &'a openapiv3::Operation,
        path_params: &'a [ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Vec<Declared<'a>> {
        let mut declared: Vec<Declared<'a>> = Vec::new();
        for (i, p) in path_params.iter().enumerate() {
            let ptr = join(
                &join(&pointer[..pointer.rfind('/').unwrap_or(0)], "parameters"),
                i,
            );
            if let Some(p) = self.deref_parameter(p, &ptr) {
                declared.push((p, ptr));
            }
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let ptr = join(&join(pointer, "parameters"), i);
            if let Some(p) = self.deref_parameter(p, &ptr) {
                let key = (p.parameter_data_ref().name.clone(), location_of(p));
                declared
                    .retain(|(q, _)| (q.parameter_data_ref().name.clone(), location_of(q)) != key);
                declared.push((p, ptr));
            }
        }

        // Path parameters first, in the order the path names them, then the others in the
        // spec's order: arguments keep their places when a spec lists its parameters in another
        // order (Azure's files often put `subscriptionId` last, or reorder it between versions).
        declared.sort_by_key(|(p, _)| match p {
            Parameter::Path { parameter_data, .. } => path
                .find(&format!("{{{}}}", parameter_data.name))
                .unwrap_or(usize::MAX - 1),
            _ => usize::MAX,
        });
        declared
    }

    /// The function's arguments and the constants of the declared parameters, in order; each
    /// parameter that cannot be sent is reported.
    pub(super) fn parameters(
        &mut self,
        declared: &[Declared<'a>],
        type_prefix: &str,
    ) -> (Vec<Param>, Vec<ConstParam>) {
        let mut params = Vec::new();
        let mut constants = Vec::new();
        // The call type's own fields and methods are not parameter names.
        let mut arg_names: HashSet<String> = RESERVED.iter().map(|n| (*n).to_owned()).collect();
        for (p, ptr) in declared {
            match self.parameter(p, ptr, type_prefix, &mut arg_names) {
                Some(Argument::Param(param)) => params.push(param),
                Some(Argument::Const(constant)) => constants.push(constant),
                None => {}
            }
        }
        (params, constants)
    }

    /// One parameter: an argument named apart from `arg_names`, a constant, or `None` (not
    /// sent, reported).
    fn parameter(
        &mut self,
        p: &'a Parameter,
        ptr: &str,
        type_prefix: &str,
        arg_names: &mut HashSet<String>,
    ) -> Option<Argument> {
        let data = p.parameter_data_ref();
        let Some(location) = location_of(p) else {
            self.sink.warn(
                ptr,
                format!(
                    "cookie parameter `{}` is not supported; it is never sent",
                    data.name
                ),
            );
            return None;
        };
        let required = data.required || location == Location::Path;
        if location == Location::Path && !data.required {
            self.sink.error(
                ptr,
                format!("path parameter `{}` must be `required: true`", data.name),
            );
        }
        let (schema, schema_ptr, as_json) = self.parameter_schema(data, ptr)?;
        let node = Node::from(schema);
        let Some(target) = self.deref_schema(node) else {
            self.schema_type(node, &schema_ptr, "Unused");
            return None;
        };
        // A required parameter whose schema admits exactly one value is a constant.
        if let SchemaKind::Type(Type::String(s)) = &target.schema_kind {
            let values = enum_values(s);
            if required && values.len() == 1 && !as_json {
                return Some(Argument::Const(ConstParam {
                    wire: data.name.clone(),
                    location,
                    value: values[0].to_owned(),
                }));
            }
        }
        let ty = match self.names.shared_parameters.get(&std::ptr::from_ref(p)) {
            Some(ty) => ty.clone(),
            None => {
                let hint = format!("{type_prefix}{}", names::type_name(&data.name));
                self.schema_type(node, &schema_ptr, &hint)
            }
        };
        let ty = self.param_type(p, location, ty, as_json, &schema_ptr)?;
        let constraints = self.constraints(target, &schema_ptr);
        let client_name = data
            .extensions
            .get("x-ms-client-name")
            .and_then(serde_json::Value::as_str);
        let arg = unique_snake(
            names::snake_name(client_name.unwrap_or(&data.name)),
            arg_names,
        );
        Some(Argument::Param(Param {
            name: arg,
            wire: data.name.clone(),
            location,
            doc: param_doc(data, target, required),
            required,
            ty,
            constraints,
        }))
    }

    /// A parameter's schema, its pointer, and whether the value goes as JSON text (`content:
    /// {application/json: ...}`, in the query, the path or a header).
    fn parameter_schema(
        &mut self,
        data: &'a ParameterData,
        ptr: &str,
    ) -> Option<(&'a ReferenceOr<Schema>, String, bool)> {
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) => Some((schema, join(ptr, "schema"), false)),
            ParameterSchemaOrContent::Content(content) => match content.first() {
                Some((
                    media_type,
                    openapiv3::MediaType {
                        schema: Some(schema),
                        ..
                    },
                )) if content.len() == 1 && is_json(media_type) => {
                    let at = join(&join(&join(ptr, "content"), media_type.as_str()), "schema");
                    Some((schema, at, true))
                }
                _ => {
                    self.sink.error(
                        ptr,
                        format!(
                            "parameter `{}` uses `content`, which is supported only as one JSON media type",
                            data.name
                        ),
                    );
                    None
                }
            },
        }
    }

    /// How a parameter of type `ty` is passed; `None` (reported) when it cannot be sent where
    /// it is.
    fn param_type(
        &mut self,
        p: &Parameter,
        location: Location,
        ty: TypeRef,
        as_json: bool,
        schema_ptr: &str,
    ) -> Option<ParamType> {
        let name = &p.parameter_data_ref().name;
        Some(match ty {
            ty if as_json => ParamType::Structured {
                ty,
                style: QueryStyle::Json,
            },
            TypeRef::String | TypeRef::Secret => ParamType::Str,
            TypeRef::Named(n) if self.table.is_enum(&n) => ParamType::Enum(n),
            // A `oneOf` parameter (`integer` or `string`, say) is passed as its text.
            TypeRef::Named(n) if self.table.is_union(&n) => {
                self.sink.warn(
                    schema_ptr,
                    format!(
                        "parameter `{name}` is one of several types: it is taken as text (`&str`)"
                    ),
                );
                ParamType::Str
            }
            TypeRef::I32 => ParamType::I32,
            TypeRef::I64 => ParamType::I64,
            TypeRef::F32 | TypeRef::F64 => ParamType::F64,
            TypeRef::Bool => ParamType::Bool,
            TypeRef::Date => ParamType::Date,
            TypeRef::DateTime => ParamType::DateTime,
            TypeRef::Array(inner) => return self.list_type(p, inner, schema_ptr),
            other => match structured_style(p) {
                Some(style) => ParamType::Structured { ty: other, style },
                None => {
                    self.sink.error(
                        schema_ptr,
                        format!("parameter `{name}` is an object or a free-form value, which can only be sent in the query (style form or deepObject), not the {}", location.as_str()),
                    );
                    return None;
                }
            },
        })
    }

    /// An array parameter: a list of scalars in the parameter's style, else (in the query)
    /// items as JSON text.
    fn list_type(
        &mut self,
        p: &Parameter,
        inner: Box<TypeRef>,
        schema_ptr: &str,
    ) -> Option<ParamType> {
        let data = p.parameter_data_ref();
        // A query list has no null item: `nullable` items are sent as their type.
        let item = match inner.non_null() {
            TypeRef::String | TypeRef::Secret => Some(ParamType::Str),
            TypeRef::Named(n) if self.table.is_enum(n) => Some(ParamType::Enum(n.clone())),
            TypeRef::I32 => Some(ParamType::I32),
            TypeRef::I64 => Some(ParamType::I64),
            TypeRef::F32 | TypeRef::F64 => Some(ParamType::F64),
            TypeRef::Bool => Some(ParamType::Bool),
            TypeRef::Date => Some(ParamType::Date),
            TypeRef::DateTime => Some(ParamType::DateTime),
            _ => None,
        };
        if let Some(item) = item {
            // `style: form` (the query default) explodes unless told otherwise.
            let explode = data.explode.unwrap_or(matches!(
                p,
                Parameter::Query {
                    style: openapiv3::QueryStyle::Form,
                    ..
                }
            ));
            // `pipeDelimited` and `spaceDelimited` (Swagger 2.0's `pipes` and `ssv`) join the
            // items with their own character.
            let delimiter = match p {
                Parameter::Query {
                    style: openapiv3::QueryStyle::PipeDelimited,
                    ..
                } => '|',
                Parameter::Query {
                    style: openapiv3::QueryStyle::SpaceDelimited,
                    ..
                } => ' ',
                _ => ',',
            };
            return Some(ParamType::List {
                item: Box::new(item),
                explode,
                delimiter,
            });
        }
        let ty = TypeRef::Array(inner);
        match structured_style(p) {
            Some(style) => {
                // OpenAPI defines no query form for an object in an array.
                self.sink.warn(
                    schema_ptr,
                    format!(
                        "parameter `{}` is an array of objects or arrays: each item is sent as JSON text",
                        data.name
                    ),
                );
                Some(ParamType::Structured { ty, style })
            }
            None => {
                self.sink.error(
                    schema_ptr,
                    format!("parameter `{}` is an array of objects or arrays, which can only be sent in the query (style form or deepObject)", data.name),
                );
                None
            }
        }
    }

    /// A parameter's constraints (its pattern was reported, if bad, with its type).
    pub(super) fn constraints(&mut self, schema: &Schema, pointer: &str) -> Constraints {
        let c = field_constraints(schema);
        if let (Some(min), Some(max)) = (c.min_length, c.max_length) {
            if min > max {
                self.sink.error(
                    pointer,
                    format!("minLength {min} is greater than maxLength {max}: no value is valid"),
                );
            }
        }
        c
    }
}

/// A parameter's description, with its `default` on the same line: parameters are listed as
/// items of the operation's docs.
fn param_doc(data: &ParameterData, target: &Schema, required: bool) -> Option<String> {
    let doc = data.description.clone();
    let Some(default) = &target.schema_data.default else {
        return doc;
    };
    let note = if required {
        format!("Default: `{default}`.")
    } else {
        format!("Default: `{default}` (the service's, when `None`).")
    };
    Some(match doc {
        Some(d) if !d.trim().is_empty() => format!("{} {note}", d.trim_end()),
        _ => note,
    })
}

/// The type name of component parameter `key`: its words, without a trailing `Parameter`
/// (Azure's `SkuNameParameter` names the parameter, its type is `SkuName`).
fn component_hint(key: &str) -> String {
    let name = names::type_name(key);
    match name.strip_suffix("Parameter") {
        Some(stem) if !stem.is_empty() => names::type_name(stem),
        _ => name,
    }
}

pub(super) fn location_of(p: &Parameter) -> Option<Location> {
    match p {
        Parameter::Path { .. } => Some(Location::Path),
        Parameter::Query { .. } => Some(Location::Query),
        Parameter::Header { .. } => Some(Location::Header),
        Parameter::Cookie { .. } => None,
    }
}
