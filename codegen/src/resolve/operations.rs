//! Operations: each path item's operations selected, resolved and named, their path templates
//! read into parts.

use std::collections::{HashMap, HashSet};

use openapiv3::{Parameter, ReferenceOr};

use super::{azure, Resolver};
use crate::diag::join;
use crate::model::*;
use crate::names;
use crate::refs::Elsewhere;

impl<'a, 's> Resolver<'a, 's> {
    pub(super) fn operations(&mut self, selection: &Selection) -> Vec<Operation> {
        let mut out: Vec<Operation> = Vec::new();
        let mut names_seen: HashMap<String, String> = HashMap::new();
        let mut ids_seen: HashMap<String, String> = HashMap::new();
        for (path, item) in self.doc.paths.iter() {
            let item_pointer = join("/paths", path);
            // A path item borrowed from another path: its operations again, under this path
            // (their operationIds are the other path's, so their functions are numbered).
            let elsewhere: &'a Elsewhere = self.elsewhere;
            let (item, borrowed) = match item {
                ReferenceOr::Item(item) => (item, false),
                ReferenceOr::Reference { reference } => match elsewhere.path_items.get(reference) {
                    Some(item) => (item, true),
                    None => {
                        self.sink.error(
                            &item_pointer,
                            format!("path item `$ref: {reference}` points to no path item in this document"),
                        );
                        continue;
                    }
                },
            };
            for (method_name, op) in item.iter() {
                let pointer = join(&item_pointer, method_name);
                if !selected(selection, op, method_name, path) {
                    continue;
                }
                let errors_before = self.sink.errors.len();
                let derived_name = op.operation_id.is_none();
                let resolved = self.operation(path, method_name, op, &item.parameters, &pointer);
                if selection.skip_unsupported && self.sink.errors.len() > errors_before {
                    // Left out with the reasons as warnings; the rest of the spec goes on.
                    self.errors_as_warnings(
                        errors_before,
                        "operation left out (--skip-unsupported)",
                    );
                    continue;
                }
                let Some(mut op) = resolved else {
                    continue;
                };
                // A name derived from method and path (`/a/{id}` and `/a/{id}/`, say) takes the
                // first free numbered form; a name the spec chose is the spec's to fix.
                if derived_name && names_seen.contains_key(&op.name) {
                    let free = (2..)
                        .map(|n| format!("{}_{n}", op.name))
                        .find(|name| !names_seen.contains_key(name))
                        .unwrap_or_default();
                    self.sink.warn(
                        &pointer,
                        format!(
                            "the operation has no operationId and its derived name `{}` is taken (by #{}): it is `{free}`",
                            op.name, names_seen[&op.name]
                        ),
                    );
                    op.name = free;
                }
                // Two operationIds that differ only in case or punctuation (`getThing`,
                // `get_thing`) are both valid: the later function is numbered, and told. The
                // same operationId twice breaks OpenAPI's uniqueness rule: an error.
                let duplicate = ids_seen
                    .get(&op.operation_id)
                    .filter(|_| !derived_name && !borrowed);
                if duplicate.is_none() && names_seen.contains_key(&op.name) {
                    let free = (2..)
                        .map(|n| format!("{}_{n}", names::unraw(&op.name)))
                        .find(|name| !names_seen.contains_key(name))
                        .unwrap_or_default();
                    self.sink.warn(
                        &pointer,
                        format!(
                            "operation `{}` maps to the function `{}`, as does the operation at #{}: it is `{free}`",
                            op.operation_id, op.name, names_seen[&op.name]
                        ),
                    );
                    op.name = free;
                }
                if let Some(other) = duplicate.or_else(|| names_seen.get(&op.name)) {
                    let message = format!(
                        "operationId `{}` is used twice (OpenAPI requires it to be unique), here and at #{other}",
                        op.operation_id
                    );
                    if selection.skip_unsupported {
                        self.sink.warn(
                            &pointer,
                            format!("operation left out (--skip-unsupported): {message}"),
                        );
                    } else {
                        self.sink.error(&pointer, message);
                    }
                    continue;
                }
                if !derived_name && !borrowed {
                    ids_seen.insert(op.operation_id.clone(), pointer.clone());
                }
                names_seen.insert(op.name.clone(), pointer);
                out.push(op);
            }
        }
        out
    }

    pub(super) fn operation(
        &mut self,
        path: &str,
        method_name: &str,
        op: &'a openapiv3::Operation,
        path_params: &'a [ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Option<Operation> {
        let method = method_of(method_name);
        let operation_id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method_name} {path}"));
        let name = names::snake_name(&operation_id);
        let type_prefix = names::type_name(&operation_id);
        let errors_before = self.sink.errors.len();

        let declared = self.declared_parameters(path, op, path_params, pointer);
        let (mut params, mut constants) = self.parameters(&declared, &type_prefix);
        let mut declared_path_params: Vec<String> = declared
            .iter()
            .filter(|(p, _)| matches!(p, Parameter::Path { .. }))
            .map(|(p, _)| p.parameter_data_ref().name.clone())
            .collect();
        let (path, fixed_query) = self.split_path_query(
            path,
            &mut params,
            &mut declared_path_params,
            &constants,
            pointer,
        );
        constants.extend(fixed_query);
        let path_parts = self.path_parts(path, &params, &constants, &declared_path_params, pointer);
        let body = self.request_body(op, pointer, &type_prefix);
        let (success, error, accept) = self.responses(op, pointer, &type_prefix);
        // `Accept`: the media types the client decodes, unless the spec leaves it to the caller.
        let declares_accept = params
            .iter()
            .any(|p| p.location == Location::Header && p.wire.eq_ignore_ascii_case("accept"))
            || constants
                .iter()
                .any(|c| c.location == Location::Header && c.wire.eq_ignore_ascii_case("accept"));
        if !accept.is_empty() && !declares_accept {
            constants.push(ConstParam {
                wire: "Accept".to_owned(),
                location: Location::Header,
                value: accept.join(", "),
            });
        }
        let security = match &op.security {
            Some(requirements) => self.security(requirements, &join(pointer, "security")),
            None => self.root_security.clone(),
        };
        let pageable = azure::pageable(&op.extensions, pointer, self.sink);
        let long_running = azure::long_running(&op.extensions, pointer, self.sink);

        if self.sink.errors.len() > errors_before {
            return None;
        }
        let success = success?;
        let pagination = self.pagination(&success, pageable, &op.extensions, &params, pointer);
        let call = self.names.reserve(&format!("{type_prefix}Call"), pointer);
        Some(Operation {
            name,
            operation_id,
            method,
            path: path.to_owned(),
            path_parts: path_parts?,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            tags: op.tags.clone(),
            params,
            constants,
            body,
            success,
            error,
            security,
            call,
            pagination,
            long_running,
        })
    }

    /// A path key with a query (`/search?type=a`) or a fragment (`/#Action=Delete`, which some
    /// specs use to tell operations on one path apart): the path before it, and its fixed
    /// `name=value` pairs as query constants (a `{param}` value is the declared query parameter,
    /// sent already; a pair named like a declared header is that header's). A warning names the
    /// key.
    ///
    /// A `name={x}` pair whose `x` is declared `in: path` but is not in the path is that
    /// parameter, sent in the query as `name` (what the key says, though the spec says path).
    fn split_path_query<'p>(
        &mut self,
        path: &'p str,
        params: &mut [Param],
        declared_path_params: &mut Vec<String>,
        constants: &[ConstParam],
        pointer: &str,
    ) -> (&'p str, Vec<ConstParam>) {
        let Some(at) = path.find(['?', '#']) else {
            return (path, Vec::new());
        };
        let (head, tail) = (&path[..at], &path[at + 1..]);
        let mut fixed = Vec::new();
        for pair in tail.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            // Sent already: a query parameter or constant of that name, or a header the spec
            // declares (AWS's JSON protocol: `/#X-Amz-Target=Svc.Op` beside the header).
            let header = |location: Location, wire: &str| {
                location == Location::Header && wire.eq_ignore_ascii_case(name)
            };
            let taken = params.iter().any(|p| {
                p.location == Location::Query && p.wire == name || header(p.location, &p.wire)
            }) || constants.iter().chain(&fixed).any(|c| {
                c.location == Location::Query && c.wire == name || header(c.location, &c.wire)
            });
            if taken {
                continue;
            }
            if let Some(var) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                let in_query = !head.contains(value);
                if let Some(p) = params
                    .iter_mut()
                    .find(|p| in_query && p.location == Location::Path && p.wire == var)
                {
                    self.sink.warn(
                        pointer,
                        format!("path parameter `{var}` appears only in the key's query (`{pair}`): it is sent as the query parameter `{name}`"),
                    );
                    p.location = Location::Query;
                    p.wire = name.to_owned();
                    declared_path_params.retain(|d| d != var);
                }
                continue;
            }
            fixed.push(ConstParam {
                wire: name.to_owned(),
                location: Location::Query,
                value: value.to_owned(),
            });
        }
        self.sink.warn(
            pointer,
            format!(
                "the path {path:?} carries a query or fragment: the path is {head:?}, and its fixed pairs are sent as query parameters"
            ),
        );
        (head, fixed)
    }

    fn path_parts(
        &mut self,
        path: &str,
        params: &[Param],
        constants: &[ConstParam],
        declared_path_params: &[String],
        pointer: &str,
    ) -> Option<Vec<PathPart>> {
        let mut parts = Vec::new();
        let mut rest = path;
        let mut used = HashSet::new();
        let mut ok = true;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.sink.error(
                    pointer,
                    format!("path template {path:?} has an unclosed `{{`"),
                );
                return None;
            };
            let name = &rest[open + 1..open + close];
            if let Some(i) = params
                .iter()
                .position(|p| p.location == Location::Path && p.wire == name)
            {
                parts.push(PathPart::Param(i));
                used.insert(name.to_owned());
            } else if let Some(c) = constants
                .iter()
                .find(|c| c.location == Location::Path && c.wire == name)
            {
                parts.push(PathPart::Const(c.value.clone()));
                used.insert(name.to_owned());
            } else {
                // A declared parameter that failed to resolve was reported already.
                let declared = declared_path_params.iter().any(|d| d == name);
                if !declared {
                    self.sink.error(pointer, format!("path template {path:?} uses `{{{name}}}`, which no path parameter declares"));
                }
                ok = false;
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for p in params.iter().filter(|p| p.location == Location::Path) {
            if !used.contains(&p.wire) {
                self.sink.error(
                    pointer,
                    format!(
                        "path parameter `{}` does not appear in the path {path:?}",
                        p.wire
                    ),
                );
                ok = false;
            }
        }
        ok.then_some(parts)
    }
}

fn method_of(method_name: &str) -> Method {
    match method_name {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}

/// Whether an operation passes the selection's tag and name filters.
fn selected(selection: &Selection, op: &openapiv3::Operation, method: &str, path: &str) -> bool {
    let tag_ok = selection.tags.is_empty() || op.tags.iter().any(|t| selection.tags.contains(t));
    let id = op
        .operation_id
        .clone()
        .unwrap_or_else(|| format!("{method} {path}"));
    let name = names::snake_name(&id);
    let name_ok = selection.operations.is_empty()
        || selection
            .operations
            .iter()
            .any(|o| *o == id || names::snake_name(o) == name);
    tag_ok && name_ok
}
