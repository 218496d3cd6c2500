//! Azure's operation extensions, as AutoRest documents them: `x-ms-pageable` (a list answered
//! one page at a time) and `x-ms-long-running-operation` with its options (an operation the
//! service finishes later). Both are carried into the model; until the client pages and polls,
//! each is also a warning, so nobody mistakes the first page or the first answer for the whole.

use serde_json::Value;

use crate::diag::{join, Sink};
use crate::model::{FinalStateVia, LongRunning};

/// `x-ms-pageable` as written.
pub(super) struct XmsPageable {
    /// The response property holding the next page's URL; `None`: one page only.
    pub next_link_name: Option<String>,
    /// The response property holding the items (`value` by default).
    pub item_name: String,
}

/// `x-ms-pageable: {nextLinkName, itemName, operationName}`.
pub(super) fn pageable(
    extensions: &indexmap::IndexMap<String, Value>,
    pointer: &str,
    sink: &mut Sink<'_>,
) -> Option<XmsPageable> {
    let ext = extensions.get("x-ms-pageable")?;
    let at = join(pointer, "x-ms-pageable");
    let Some(ext) = ext.as_object() else {
        sink.error(&at, "`x-ms-pageable` must be an object");
        return None;
    };
    let text = |key: &str| ext.get(key).and_then(Value::as_str).map(str::to_owned);
    if let Some(operation) = text("operationName") {
        // AutoRest's own generators page with a plain `GET` of the link too.
        sink.warn(
            &at,
            format!("`x-ms-pageable`: `operationName` `{operation}` is not used: next pages are fetched with a `GET` of the link"),
        );
    }
    Some(XmsPageable {
        // `nextLinkName: null` (or absent) is a list answered in one page.
        next_link_name: text("nextLinkName"),
        item_name: text("itemName").unwrap_or_else(|| "value".to_owned()),
    })
}

/// `x-ms-long-running-operation: true` with `x-ms-long-running-operation-options:
/// {final-state-via}`.
pub(super) fn long_running(
    extensions: &indexmap::IndexMap<String, Value>,
    pointer: &str,
    sink: &mut Sink<'_>,
) -> Option<LongRunning> {
    let at = join(pointer, "x-ms-long-running-operation");
    match extensions.get("x-ms-long-running-operation") {
        None | Some(Value::Bool(false)) => return None,
        Some(Value::Bool(true)) => {}
        Some(_) => {
            sink.error(&at, "`x-ms-long-running-operation` must be true or false");
            return None;
        }
    }
    let options_at = join(pointer, "x-ms-long-running-operation-options");
    let via = extensions
        .get("x-ms-long-running-operation-options")
        .and_then(|o| o.get("final-state-via"));
    let final_state_via = match via.map(|v| v.as_str()) {
        None => FinalStateVia::Default,
        Some(Some("azure-async-operation")) => FinalStateVia::AzureAsyncOperation,
        Some(Some("location")) => FinalStateVia::Location,
        Some(Some("original-uri")) => FinalStateVia::OriginalUri,
        Some(Some("operation-location")) => FinalStateVia::OperationLocation,
        Some(_) => {
            let other = via.map(Value::to_string).unwrap_or_default();
            sink.error(
                &join(&options_at, "final-state-via"),
                format!("unknown `final-state-via` {other}: expected azure-async-operation, location, original-uri or operation-location"),
            );
            return None;
        }
    };
    Some(LongRunning { final_state_via })
}
