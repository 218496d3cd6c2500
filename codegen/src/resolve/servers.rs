//! Servers and the service's conventions (`x-client`).

use std::collections::HashSet;

use super::{unique, Resolver};
use crate::diag::{join, Sink};
use crate::model::*;
use crate::names;

impl<'a, 's> Resolver<'a, 's> {
    /// A server URL with its variables replaced by their defaults (a client picks another
    /// server with `ClientBuilder::base_url`).
    fn server_url(&mut self, server: &openapiv3::Server, pointer: &str) -> Option<String> {
        let mut url = String::new();
        let mut rest = server.url.as_str();
        while let Some(open) = rest.find('{') {
            url.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                self.sink
                    .error(&join(pointer, "url"), "unclosed `{` in the server URL");
                return None;
            };
            let name = &rest[open + 1..open + close];
            let default = server
                .variables
                .as_ref()
                .and_then(|v| v.get(name))
                .map(|v| v.default.clone());
            match default {
                Some(d) => url.push_str(&d),
                None => {
                    self.sink.error(
                        &join(pointer, "url"),
                        format!("server URL variable `{{{name}}}` has no entry in `variables`"),
                    );
                    return None;
                }
            }
            rest = &rest[open + close + 1..];
        }
        url.push_str(rest);
        Some(url)
    }

    /// The spec's servers, each named from its `x-name`, else its `description`, else its place.
    pub(super) fn servers(&mut self) -> Vec<Server> {
        let mut taken = HashSet::new();
        let mut out = Vec::new();
        for (i, server) in self.doc.servers.iter().enumerate() {
            let pointer = join("/servers", i);
            let Some(url) = self.server_url(server, &pointer) else {
                continue;
            };
            let named = server
                .extensions
                .get("x-name")
                .and_then(serde_json::Value::as_str)
                .or(server.description.as_deref());
            let name = match named {
                Some(n) => names::type_name(n),
                None => format!("Server{}", i + 1),
            };
            out.push(Server {
                name: unique(name, &mut taken),
                url,
                doc: server.description.clone(),
            });
        }
        out
    }
}

/// Reads the spec's `x-client` extension: the header conventions of the service.
pub(super) fn conventions(raw: &serde_json::Value, sink: &mut Sink<'_>) -> Conventions {
    let Some(ext) = raw.get("x-client") else {
        return Conventions::default();
    };
    let Some(ext) = ext.as_object() else {
        sink.error("/x-client", "`x-client` must be an object");
        return Conventions::default();
    };
    let mut c = Conventions::default();
    for (key, value) in ext {
        let pointer = join("/x-client", key);
        let text = value.as_str().map(str::to_owned);
        match key.as_str() {
            "client-request-id-header" => c.client_request_id_header = text,
            "request-id-header" => c.request_id_header = text,
            "error-code-header" => c.error_code_header = text,
            "token-scope" => c.token_scope = text,
            "tag-features" => {
                match value.as_bool() {
                    Some(split) => c.tag_features = Some(split),
                    None => sink.error(&pointer, "`x-client.tag-features` must be true or false"),
                }
                continue;
            }
            "retry-after-ms-headers" => {
                c.retry_after_ms_headers = value
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                continue;
            }
            _ => {
                sink.warn(&pointer, format!("unknown `x-client` key `{key}`: ignored"));
                continue;
            }
        }
        if value.as_str().is_none() {
            sink.error(&pointer, format!("`x-client.{key}` must be a string"));
        }
    }
    c
}

/// The name of the servers' enum: `Server`, unless a type of the spec has that name (the
/// corpus found four such specs), then `ApiServer`, `ApiServer2`, ...
pub(super) fn enum_name(taken: impl Fn(&str) -> bool) -> String {
    if !taken("Server") {
        return "Server".to_owned();
    }
    (1..)
        .map(|n| match n {
            1 => "ApiServer".to_owned(),
            n => format!("ApiServer{n}"),
        })
        .find(|name| !taken(name))
        .unwrap_or_default()
}
