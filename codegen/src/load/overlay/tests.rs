//! Tests of applying overlays: merging, removal, copies, versions and every error's message and place.

use super::location::{normalized, pointer, Step};
use super::*;
use serde_json::json;

fn ok(doc: &mut Value, overlay: &str) -> Vec<String> {
    match apply(doc, Path::new("ov.yaml"), overlay) {
        Ok(warnings) => warnings.iter().map(ToString::to_string).collect(),
        Err(errors) => panic!("unexpected errors: {errors:#?}"),
    }
}

/// The errors, as displayed; asserts that `doc` was left unchanged.
fn errs(doc: &Value, overlay: &str) -> Vec<String> {
    let mut work = doc.clone();
    match apply(&mut work, Path::new("ov.yaml"), overlay) {
        Ok(warnings) => panic!("expected errors, got a result and {warnings:?}"),
        Err(errors) => {
            assert_eq!(&work, doc, "the document changed on error");
            errors.iter().map(ToString::to_string).collect()
        }
    }
}

fn spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/keys": {
                "get": {
                    "summary": "list",
                    "tags": ["keys", "dummy"],
                    "parameters": [
                        {"name": "api-version", "in": "query"},
                        {"name": "dummy", "in": "query"}
                    ]
                },
                "post": {
                    "parameters": [{"name": "api-version", "in": "query"}]
                }
            },
            "/items": {
                "get": {"summary": "items", "tags": ["items"]}
            }
        },
        "definitions": {
            "SharedKeys": {
                "properties": {
                    "primarySharedKey": {"type": "string"},
                    "secondarySharedKey": {"type": "string"}
                }
            }
        }
    })
}

const HEAD_10: &str = "overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n";
const HEAD_11: &str = "overlay: 1.1.0\ninfo:\n  title: t\n  version: '1'\nactions:\n";

fn v10(actions: &str) -> String {
    format!("{HEAD_10}{actions}")
}

fn v11(actions: &str) -> String {
    format!("{HEAD_11}{actions}")
}

#[test]
fn update_merges_into_every_selected_object() {
    let mut doc = spec();
    let warnings = ok(
        &mut doc,
        &v10("  - target: $.paths.*.get\n    update:\n      x-safe: true\n      summary: new\n"),
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let keys = &doc["paths"]["/keys"]["get"];
    assert_eq!(keys["x-safe"], json!(true));
    assert_eq!(keys["summary"], json!("new"));
    assert_eq!(keys["tags"], json!(["keys", "dummy"]), "untouched");
    assert_eq!(doc["paths"]["/items"]["get"]["x-safe"], json!(true));
    assert_eq!(doc["paths"]["/items"]["get"]["summary"], json!("new"));
    assert!(doc["paths"]["/keys"]["post"].get("x-safe").is_none());
}

#[test]
fn update_merges_recursively_and_concatenates_nested_arrays() {
    let mut doc = spec();
    ok(
        &mut doc,
        &v10(concat!(
            "  - target: $.paths['/keys']\n",
            "    update:\n",
            "      get:\n",
            "        tags: [extra]\n",
            "        responses: {'200': {description: ok}}\n",
        )),
    );
    let get = &doc["paths"]["/keys"]["get"];
    assert_eq!(get["tags"], json!(["keys", "dummy", "extra"]));
    assert_eq!(get["responses"]["200"]["description"], json!("ok"));
    assert_eq!(get["summary"], json!("list"));
}

#[test]
fn update_adds_a_property() {
    let mut doc = spec();
    ok(
        &mut doc,
        &v10("  - target: $.definitions.SharedKeys.properties.primarySharedKey\n    update:\n      x-ms-secret: true\n"),
    );
    assert_eq!(
        doc["definitions"]["SharedKeys"]["properties"]["primarySharedKey"],
        json!({"type": "string", "x-ms-secret": true})
    );
    assert!(
        doc["definitions"]["SharedKeys"]["properties"]["secondarySharedKey"]
            .get("x-ms-secret")
            .is_none()
    );
}

#[test]
fn filter_expressions_select_array_elements() {
    let mut doc = spec();
    ok(
        &mut doc,
        &v10("  - target: \"$.paths.*.*.parameters[?@.name=='api-version']\"\n    update:\n      required: true\n"),
    );
    assert_eq!(
        doc["paths"]["/keys"]["get"]["parameters"][0]["required"],
        json!(true)
    );
    assert_eq!(
        doc["paths"]["/keys"]["post"]["parameters"][0]["required"],
        json!(true)
    );
    assert!(doc["paths"]["/keys"]["get"]["parameters"][1]
        .get("required")
        .is_none());
}

#[test]
fn the_specifications_nested_filter_example_applies() {
    let mut doc = json!({"paths": {
        "/items": {"get": {"x-oai-traits": ["paged"], "responses": {}}},
        "/other": {"get": {"responses": {}}}
    }});
    ok(
        &mut doc,
        &v11("  - target: $.paths[?(@.get['x-oai-traits'][?(@ == 'paged')])].get\n    update:\n      parameters: [{name: top, in: query}]\n"),
    );
    assert_eq!(
        doc["paths"]["/items"]["get"]["parameters"],
        json!([{"name": "top", "in": "query"}])
    );
    assert!(doc["paths"]["/other"]["get"].get("parameters").is_none());
}

#[test]
fn remove_deletes_members_and_array_elements() {
    let mut doc = spec();
    ok(
        &mut doc,
        &v10(concat!(
            "  - target: $.paths['/items']\n",
            "    remove: true\n",
            "  - target: $.paths.*.get.parameters[?@.name == 'dummy']\n",
            "    remove: true\n",
        )),
    );
    assert!(doc["paths"].get("/items").is_none());
    assert_eq!(
        doc["paths"]["/keys"]["get"]["parameters"],
        json!([{"name": "api-version", "in": "query"}])
    );
}

#[test]
fn removal_keeps_indexes_valid_and_order_stable() {
    let mut doc = json!({"a": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "b": 1, "c": 2, "d": 3});
    ok(
        &mut doc,
        &v11("  - target: $.a[1,2,10,11]\n    remove: true\n  - target: $.c\n    remove: true\n"),
    );
    assert_eq!(doc["a"], json!([0, 3, 4, 5, 6, 7, 8, 9]));
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["a", "b", "d"], "member order kept");
}

#[test]
fn removal_of_a_node_and_its_descendants_together() {
    let mut doc = json!({"a": {"a": {"a": {}}}, "b": [{"a": 1}]});
    ok(&mut doc, &v11("  - target: $..a\n    remove: true\n"));
    assert_eq!(doc, json!({"b": [{}]}));
}

#[test]
fn actions_apply_in_order_each_on_the_previous_result() {
    let mut doc = spec();
    ok(
        &mut doc,
        &v10(concat!(
            "  - target: $.paths['/items'].get\n",
            "    remove: true\n",
            "  - target: $.paths['/items']\n",
            "    update: {get: {summary: again}}\n",
        )),
    );
    assert_eq!(doc["paths"]["/items"], json!({"get": {"summary": "again"}}));
}

#[test]
fn copy_merges_the_single_selected_node_into_the_targets() {
    // The specification's Move example: ensure, copy, remove.
    let mut doc = json!({"paths": {
        "/items": {"get": {"responses": {"200": {"description": "OK"}}}},
        "/some-items": {"delete": {"responses": {"200": {"description": "OK"}}}}
    }});
    ok(
        &mut doc,
        &v11(concat!(
            "  - target: '$.paths'\n",
            "    update: { \"/new-items\": {} }\n",
            "  - target: '$.paths[\"/new-items\"]'\n",
            "    copy: '$.paths[\"/items\"]'\n",
            "  - target: '$.paths[\"/items\"]'\n",
            "    remove: true\n",
        )),
    );
    assert_eq!(
        doc,
        json!({"paths": {
            "/some-items": {"delete": {"responses": {"200": {"description": "OK"}}}},
            "/new-items": {"get": {"responses": {"200": {"description": "OK"}}}}
        }})
    );
}

#[test]
fn copy_into_arrays_and_primitives() {
    let mut doc = json!({"a": [1], "b": [2, 3], "s": "x", "t": "y", "o": {"k": 1}});
    ok(
        &mut doc,
        &v11("  - target: $.a\n    copy: $.b\n  - target: $.s\n    copy: $.t\n  - target: $.b\n    copy: $.o\n"),
    );
    assert_eq!(doc["a"], json!([1, 2, 3]));
    assert_eq!(doc["s"], json!("y"));
    assert_eq!(doc["b"], json!([2, 3, {"k": 1}]));
}

#[test]
fn version_1_1_replaces_primitives_and_concatenates_arrays() {
    let mut doc = spec();
    let warnings = ok(
        &mut doc,
        &v11(concat!(
            "  - target: $.paths['/keys'].get.summary\n",
            "    update: renamed\n",
            "  - target: $.paths.*.get.tags\n",
            "    update: [more]\n",
            "  - target: $.paths.*.get.tags[?@ == 'dummy']\n",
            "    remove: true\n",
        )),
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(doc["paths"]["/keys"]["get"]["summary"], json!("renamed"));
    assert_eq!(
        doc["paths"]["/keys"]["get"]["tags"],
        json!(["keys", "more"])
    );
    assert_eq!(
        doc["paths"]["/items"]["get"]["tags"],
        json!(["items", "more"])
    );
}

#[test]
fn version_1_0_appends_an_array_update_as_one_entry_with_a_warning() {
    let mut doc = spec();
    let warnings = ok(
        &mut doc,
        &v10("  - target: $.paths['/items'].get.tags\n    update: [more]\n"),
    );
    assert_eq!(
        doc["paths"]["/items"]["get"]["tags"],
        json!(["items", ["more"]])
    );
    assert_eq!(
        warnings,
        [
            "ov.yaml:7: at #/actions/0/update: `update` is an array, appended as one item to \
          each selected array: Overlay 1.0 appends an `update` as an entry (declare \
          `overlay: 1.1.0` to concatenate the arrays instead)"
        ]
    );
    // An object is appended as one entry in both versions.
    let mut doc = spec();
    ok(
        &mut doc,
        &v10("  - target: $.paths.*.get.parameters\n    update: {name: newParam, in: query}\n"),
    );
    assert_eq!(
        doc["paths"]["/keys"]["get"]["parameters"][2],
        json!({"name": "newParam", "in": "query"})
    );
}

#[test]
fn patch_versions_and_json_overlays_are_accepted() {
    let mut doc = spec();
    let overlay = r#"{"overlay": "1.1.7", "info": {"title": "t", "version": "1"},
            "actions": [{"target": "$.info", "update": {"x-a": 1}}]}"#;
    assert!(apply(&mut doc, Path::new("ov.json"), overlay).is_ok());
    assert_eq!(doc["info"]["x-a"], json!(1));
}

#[test]
fn warnings_for_unknown_fields_and_ignored_changes() {
    let mut doc = spec();
    let warnings = ok(
        &mut doc,
        concat!(
            "overlay: 1.1.0\n",
            "info:\n",
            "  title: t\n",
            "  version: '1'\n",
            "  x-ok: 1\n",
            "  author: me\n",
            "x-tool: fine\n",
            "action: typo\n",
            "actions:\n",
            "  - target: $.paths['/items']\n",
            "    remove: true\n",
            "    update: {a: 1}\n",
            "    updat: {a: 1}\n",
        ),
    );
    assert_eq!(
        warnings,
        [
            "ov.yaml:8: at #/action: unknown field `action` ignored: an overlay has \
             `overlay`, `info`, `extends`, `actions` and `x-` extensions",
            "ov.yaml:6: at #/info/author: unknown field `author` in `info` ignored: \
             Overlay 1.1 `info` has `title`, `version`, `description` and `x-` extensions",
            "ov.yaml:13: at #/actions/0/updat: unknown field `updat` in an action ignored: \
             an action has `target`, `description`, `update`, `copy` or `remove: true` and \
             `x-` extensions",
            "ov.yaml:12: at #/actions/0/update: `update` is ignored: this action has \
             `remove: true`, which removes the target nodes",
        ]
    );
    assert!(doc["paths"].get("/items").is_none());
}

// ---- errors: each located in the overlay, the document unchanged

#[test]
fn not_yaml_or_json() {
    assert_eq!(
        errs(&spec(), "overlay: 1.1.0\nactions: [\n  - a\n"),
        [
            "ov.yaml:3: at #/: not valid YAML or JSON: did not find expected node content at \
          line 3 column 3, while parsing a flow node"
        ]
    );
}

#[test]
fn json_overlays_are_located_too() {
    let overlay = "{\"overlay\": \"1.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \
                   \"actions\": [\n  {\"target\": \"$.nope\",\n   \"remove\": true}]}\n";
    let mut doc = spec();
    let errors = apply(&mut doc, Path::new("ov.json"), overlay).unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "ov.json:3: at #/actions/0/target: `target` `$.nope` selects nothing in the \
         document: a stale overlay must not silently stop applying (was it renamed or \
         removed upstream?); fix the target or drop the action"
    );
    assert_eq!(doc, spec());
}

#[test]
fn not_an_object() {
    assert_eq!(
        errs(&spec(), "- overlay: 1.1.0\n"),
        [
            "ov.yaml:1: at #/: an overlay is an object with `overlay`, `info` and `actions`, \
          not an array"
        ]
    );
}

#[test]
fn wrong_or_missing_version_is_one_error() {
    assert_eq!(
        errs(&spec(), "overlay: 2.0.0\nactions: 3\n"),
        [
            "ov.yaml:1: at #/overlay: Overlay 2.0.0 is not supported: only Overlay 1.0.x \
          and 1.1.x documents are"
        ]
    );
    assert_eq!(
        errs(&spec(), "info: {title: t, version: '1'}\nactions: []\n"),
        [
            "ov.yaml:1: at #/overlay: missing `overlay` version field: not an Overlay \
          document (only Overlay 1.0.x and 1.1.x documents are supported, e.g. \
          `overlay: 1.1.0`)"
        ]
    );
    assert_eq!(
        errs(&spec(), "info: {}\noverlay: 1.1\n"),
        [
            "ov.yaml:2: at #/overlay: `overlay` must be a version string such as \"1.1.0\", \
          not the number 1.1 (quote it in YAML)"
        ]
    );
    assert_eq!(
        errs(&spec(), "overlay: '1.1'\n")[0],
        "ov.yaml:1: at #/overlay: Overlay 1.1 is not supported: only Overlay 1.0.x and \
         1.1.x documents are"
    );
}

#[test]
fn missing_info_and_actions() {
    assert_eq!(
        errs(&spec(), "overlay: 1.0.0\n"),
        [
            "ov.yaml:1: at #/info: missing `info`: an overlay needs `info` with its \
             `title` and `version`",
            "ov.yaml:1: at #/actions: missing `actions`: an overlay lists the actions to \
             apply, at least one",
        ]
    );
    assert_eq!(
        errs(
            &spec(),
            "overlay: 1.0.0\ninfo:\n  version: 1.0\nactions: []\n"
        ),
        [
            "ov.yaml:2: at #/info/title: missing `info.title`: `info` needs a `title` and \
             a `version`",
            "ov.yaml:3: at #/info/version: `info.version` must be a string, not the number \
             1.0 (quote it in YAML)",
            "ov.yaml:4: at #/actions: `actions` is empty: an overlay lists at least one \
             action",
        ]
    );
}

#[test]
fn malformed_actions() {
    let e = errs(
        &spec(),
        &v11(concat!(
            "  - description: no target\n",
            "    update: {a: 1}\n",
            "  - target: $.paths[\n",
            "    update: {a: 1}\n",
            "  - target: $.info\n",
            "  - target: $.info\n",
            "    update: {a: 1}\n",
            "    copy: $.paths\n",
            "  - target: $.info\n",
            "    remove: 'yes'\n",
            "  - target: 7\n",
            "    copy: $.x[\n",
            "  - just a string\n",
        )),
    );
    assert_eq!(
        e,
        [
            "ov.yaml:6: at #/actions/0/target: missing `target`: every action selects the \
             nodes it changes with a JSONPath `target` (e.g. `$.paths.*.get`)",
            "ov.yaml:8: at #/actions/1/target: `target` `$.paths[` is not an RFC 9535 \
             JSONPath query: parser error at `[` (character 8)",
            "ov.yaml:10: at #/actions/2: this action changes nothing: give it `update`, \
             `copy` or `remove: true`",
            "ov.yaml:11: at #/actions/3: an action has `update` or `copy`, not both: the \
             specification gives neither precedence over the other",
            "ov.yaml:15: at #/actions/4/remove: `remove` must be true or false, not the \
             string \"yes\"",
            "ov.yaml:16: at #/actions/5/target: `target` must be a JSONPath query string \
             (e.g. `$.paths.*.get`), not the number 7",
            "ov.yaml:17: at #/actions/5/copy: `copy` `$.x[` is not an RFC 9535 JSONPath \
             query: parser error at `[` (character 4)",
            "ov.yaml:18: at #/actions/6: an action must be an object with a `target` and \
             `update`, `copy` or `remove: true`, not the string \"just a string\"",
        ]
    );
}

#[test]
fn a_target_that_selects_nothing() {
    assert_eq!(
        errs(
            &spec(),
            &v10(concat!(
                "  - target: $.info\n",
                "    update: {x-a: 1}\n",
                "  - target: $.paths['/gone'].get\n",
                "    update: {x-a: 1}\n",
            )),
        ),
        [
            "ov.yaml:8: at #/actions/1/target: `target` `$.paths['/gone'].get` selects \
          nothing in the document: a stale overlay must not silently stop applying (was \
          it renamed or removed upstream?); fix the target or drop the action"
        ]
    );
    // A node removed by an earlier action is gone for the later ones.
    assert_eq!(
        errs(
            &spec(),
            &v11("  - target: $.info\n    remove: true\n  - target: $.info.title\n    remove: true\n"),
        ),
        ["ov.yaml:8: at #/actions/1/target: `target` `$.info.title` selects nothing in \
          the document: a stale overlay must not silently stop applying (was it renamed \
          or removed upstream?); fix the target or drop the action"]
    );
}

#[test]
fn copy_must_select_exactly_one_node() {
    assert_eq!(
        errs(
            &spec(),
            &v11(concat!(
                "  - target: $.info\n",
                "    copy: $.paths.*.get\n",
                "  - target: $.info\n",
                "    copy: $.nothing\n",
            )),
        ),
        [
            "ov.yaml:7: at #/actions/0/copy: `copy` `$.paths.*.get` selects 2 nodes \
             ($['paths']['/keys']['get'], $['paths']['/items']['get']): it must select \
             exactly one node to copy",
            "ov.yaml:9: at #/actions/1/copy: `copy` `$.nothing` selects nothing in the \
             document: it must select exactly one node to copy",
        ]
    );
}

#[test]
fn version_1_0_refuses_copy() {
    assert_eq!(
        errs(&spec(), &v10("  - target: $.info\n    copy: $.paths\n")),
        [
            "ov.yaml:7: at #/actions/0/copy: `copy` is an Overlay 1.1 action, and this \
          overlay declares Overlay 1.0 (declare `overlay: 1.1.0` to use it)"
        ]
    );
}

#[test]
fn version_1_0_targets_objects_and_arrays_only() {
    assert_eq!(
        errs(
            &spec(),
            &v10("  - target: $.paths.*.get.summary\n    update: new\n"),
        ),
        [
            "ov.yaml:6: at #/actions/0/target: `target` `$.paths.*.get.summary` selects the \
          string \"list\" at $['paths']['/keys']['get']['summary'] (and 1 more such \
          node): Overlay 1.0 actions apply to objects and arrays only (select the \
          containing object and update the property, or declare `overlay: 1.1.0`)"
        ]
    );
    assert_eq!(
        errs(
            &spec(),
            &v10("  - target: $.paths.*.get.tags[?@ == 'dummy']\n    remove: true\n"),
        ),
        [
            "ov.yaml:6: at #/actions/0/target: `target` `$.paths.*.get.tags[?@ == 'dummy']` \
          selects the string \"dummy\" at $['paths']['/keys']['get']['tags'][1]: Overlay \
          1.0 actions apply to objects and arrays only (declare `overlay: 1.1.0` to remove \
          primitives)"
        ]
    );
}

#[test]
fn update_of_the_wrong_kind() {
    assert_eq!(
        errs(&spec(), &v11("  - target: $.info\n    update: new title\n")),
        [
            "ov.yaml:7: at #/actions/0/update: `update` is the string \"new title\" but \
          `target` `$.info` selects an object at $['info']: an object is updated with an \
          object of the properties to merge"
        ]
    );
    assert_eq!(
        errs(
            &spec(),
            &v11("  - target: $.info.title\n    update: {a: 1}\n")
        ),
        [
            "ov.yaml:7: at #/actions/0/update: `update` is an object but `target` \
          `$.info.title` selects the string \"t\" at $['info']['title']: a primitive is \
          replaced by a primitive"
        ]
    );
    assert_eq!(
        errs(&spec(), &v11("  - target: $.info.*\n    copy: $.paths\n")),
        [
            "ov.yaml:7: at #/actions/0/copy: the copied node at $['paths'] is an object but \
          `target` `$.info.*` selects the string \"t\" at $['info']['title']: a primitive \
          is replaced by a primitive"
        ]
    );
}

#[test]
fn update_of_mixed_kinds_in_1_1() {
    assert_eq!(
        errs(
            &spec(),
            &v11("  - target: $.paths['/keys'].get.*\n    update: x\n"),
        ),
        [
            "ov.yaml:6: at #/actions/0/target: `target` `$.paths['/keys'].get.*` selects \
          nodes of different kinds (a primitive at $['paths']['/keys']['get']['summary'], \
          an array at $['paths']['/keys']['get']['tags']): an `update` applies to all \
          objects, all arrays or all primitives"
        ]
    );
}

#[test]
fn incompatible_properties_are_located_inside_the_update() {
    assert_eq!(
        errs(
            &spec(),
            &v10(concat!(
                "  - target: $.paths.*.get\n",
                "    update:\n",
                "      x-fine: 1\n",
                "      summary:\n",
                "        text: x\n",
                "      tags: none\n",
            )),
        ),
        [
            "ov.yaml:9: at #/actions/0/update/summary: cannot merge an object into the \
             string \"list\" at $['paths']['/keys']['get']['summary'] (and 1 more such \
             node): a primitive replaces a primitive, an array is concatenated with an \
             array and an object merges into an object; other combinations are \
             incompatible",
            "ov.yaml:11: at #/actions/0/update/tags: cannot merge the string \"none\" into \
             an array at $['paths']['/keys']['get']['tags'] (and 1 more such node): a \
             primitive replaces a primitive, an array is concatenated with an array and an \
             object merges into an object; other combinations are incompatible",
        ]
    );
}

#[test]
fn incompatible_copied_properties_name_their_source() {
    let doc = json!({"a": {"x": {"k": 1}}, "b": {"x": "s"}});
    assert_eq!(
        errs(&doc, &v11("  - target: $.b\n    copy: $.a\n")),
        [
            "ov.yaml:7: at #/actions/0/copy: cannot merge an object from $['a']['x'] into the \
          string \"s\" at $['b']['x']: a primitive replaces a primitive, an array is \
          concatenated with an array and an object merges into an object; other \
          combinations are incompatible"
        ]
    );
}

#[test]
fn removing_the_root_is_an_error() {
    assert_eq!(
        errs(&spec(), &v11("  - target: $\n    remove: true\n")),
        [
            "ov.yaml:6: at #/actions/0/target: `target` `$` selects the document root, which \
          cannot be removed"
        ]
    );
}

#[test]
fn errors_in_several_actions_are_all_reported() {
    let e = errs(
        &spec(),
        &v11(concat!(
            "  - target: $.info\n",
            "    update: {x-a: 1}\n",
            "  - target: $.nope\n",
            "    remove: true\n",
            "  - target: $.paths[\n",
            "    remove: true\n",
        )),
    );
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e[0].starts_with("ov.yaml:10: at #/actions/2/target: "),
        "{e:?}"
    );
    assert!(
        e[1].starts_with("ov.yaml:8: at #/actions/1/target: "),
        "{e:?}"
    );
}

#[test]
fn normalized_paths_escape_like_rfc_9535() {
    let loc = vec![
        Step::Key("it's\\\n\u{1}".to_owned()),
        Step::Index(3),
        Step::Key("/a~b".to_owned()),
    ];
    assert_eq!(normalized(&loc), "$['it\\'s\\\\\\n\\u0001'][3]['/a~b']");
    assert_eq!(pointer(&loc), "/it's\\\n\u{1}/3/~1a~0b");
}

#[test]
fn odd_inputs_never_panic() {
    let docs = [json!(null), json!([1, [2]]), json!("s"), spec()];
    let overlays = [
        "",
        "~",
        "[]",
        "42",
        "overlay: 1.1.0",
        "overlay: 1.1.0\ninfo: 3\nactions: {a: 1}\n",
        "overlay: 1.1.0\ninfo: {title: [], version: {}}\nextends: 1\nactions: [null, [], {}]\n",
        "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$..*', remove: true}\n",
        "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$..*', update: 1}\n",
        "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$..*', copy: '$'}\n",
        "overlay: 1.0.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$..*', update: {}}\n",
        "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$[-1:0:-1]', update: []}\n",
        "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: '$[?length(@) > 1]', remove: true}\n",
        "overlay: 1.1.0\ninfo: {title: t, version: v}\nactions:\n  - {target: \"$[?match(@, '[')]\", remove: true}\n",
        "{\"overlay\": \"1.1.0\", \"actions\": [{\"target\": \"$['\\u0000']\"}]",
    ];
    for doc in &docs {
        for overlay in overlays {
            let mut work = doc.clone();
            let _ = apply(&mut work, Path::new("ov.yaml"), overlay);
        }
    }
}
