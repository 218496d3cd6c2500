//! Splits a big module by tag: one file per tag, and every operation and model behind the cargo
//! features of the tags that reach it, so a user who calls one tag compiles only what it needs
//! (and rustc gets many small modules instead of one huge one).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, validate, Ctx, Item, PART_ITEMS};
use crate::model::{Api, Operation};
use crate::names;
use crate::usage::{feature_gates, Usage};

/// The choice is the model's (a spec's layout choice travels with its model); named here too,
/// where the split reads it.
pub use crate::model::TagFeatures;

/// The number of operations from which `Auto` splits a module.
pub const AUTO_OPERATIONS: usize = 100;

/// One tag (or several tags with the same Rust name): a cargo feature and a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The cargo feature that compiles it.
    pub feature: String,
    /// The module (and file stem) holding its operations and the models it reaches first.
    pub module: String,
    /// The spec's tags it stands for.
    pub tags: Vec<String>,
}

/// How one module is split.
#[derive(Debug, Clone)]
pub struct Split {
    /// Sorted by feature.
    pub groups: Vec<Group>,
    /// Spec tag -> index into `groups`.
    by_tag: BTreeMap<String, usize>,
    /// The feature of the models no operation reaches, when there are some.
    extra: Option<String>,
}

/// The feature (and, with `_`, the module) of the models no operation reaches.
pub const EXTRA_MODELS: &str = "extra-models";

/// Module names the split module already uses for something else.
const TAKEN_MODULES: &[&str] = &["rt"];

impl Split {
    /// The split of `api`, if `mode` asks for one. `prefix` goes before every feature name
    /// (the module's name, when the crate holds several modules).
    pub fn of(api: &Api, mode: TagFeatures, prefix: Option<&str>) -> Option<Split> {
        let tags: BTreeSet<&str> = api
            .operations
            .iter()
            .flat_map(|op| op.tags.iter().map(String::as_str))
            .collect();
        let wanted = match mode {
            TagFeatures::Never => false,
            TagFeatures::Always => !tags.is_empty(),
            TagFeatures::Auto => match api.conventions.tag_features {
                Some(split) => split && !tags.is_empty(),
                None => api.operations.len() >= AUTO_OPERATIONS && tags.len() >= 2,
            },
        };
        if !wanted {
            return None;
        }
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for (i, tag) in tags.iter().enumerate() {
            let mut module = names::snake_name(tag);
            let stem = names::unraw(&module).trim_matches('_');
            let mut feature = stem.replace('_', "-");
            if !feature.starts_with(|c: char| c.is_ascii_alphabetic()) || !feature.is_ascii() {
                feature = format!("tag-{}", if feature.is_ascii() { &feature } else { "" });
                feature = feature.trim_end_matches('-').to_owned();
                if feature == "tag" {
                    feature = format!("tag-{i}");
                }
                module = feature.replace('-', "_");
            }
            if TAKEN_MODULES.contains(&module.as_str()) {
                module.push('_');
            }
            if let Some(prefix) = prefix {
                feature = format!("{}-{feature}", names::unraw(prefix).replace('_', "-"));
            }
            if ["default", super::FULL_SERDE, super::HTTP2].contains(&feature.as_str()) {
                feature.push_str("-tag");
            }
            groups
                .entry(feature.clone())
                .or_insert_with(|| Group {
                    feature,
                    module,
                    tags: Vec::new(),
                })
                .tags
                .push((*tag).to_owned());
        }
        // The models no operation reaches (webhook payloads, say) get a feature of their own.
        let mut roots = Vec::new();
        for op in &api.operations {
            crate::usage::roots(op, &mut roots);
        }
        let reached = crate::usage::reachable(&api.types, roots);
        let extra = api
            .types
            .iter()
            .any(|t| !reached.contains(t.name()))
            .then(|| {
                let feature = match prefix {
                    Some(prefix) => {
                        format!("{}-{EXTRA_MODELS}", names::unraw(prefix).replace('_', "-"))
                    }
                    None => EXTRA_MODELS.to_owned(),
                };
                // A tag of that name gives way.
                if let Some(mut clash) = groups.remove(&feature) {
                    clash.feature.push_str("-tag");
                    groups.insert(clash.feature.clone(), clash);
                }
                feature
            });
        if let Some(feature) = &extra {
            groups.insert(
                feature.clone(),
                Group {
                    feature: feature.clone(),
                    module: EXTRA_MODELS.replace('-', "_"),
                    tags: Vec::new(),
                },
            );
        }
        let mut groups: Vec<Group> = groups.into_values().collect();
        // Distinct features may still want one module name: number the later ones.
        let mut modules: HashSet<String> = HashSet::new();
        for g in &mut groups {
            let base = g.module.clone();
            let mut n = 2;
            while !modules.insert(g.module.clone()) {
                g.module = format!("{}_{n}", names::unraw(&base));
                n += 1;
            }
        }
        let by_tag = groups
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.tags.iter().map(move |t| (t.clone(), i)))
            .collect();
        Some(Split {
            groups,
            by_tag,
            extra,
        })
    }

    /// The features that compile `op` (none: it has no tag and is always compiled).
    fn features_of(&self, op: &Operation) -> Option<BTreeSet<String>> {
        let features: BTreeSet<String> = op
            .tags
            .iter()
            .filter_map(|t| self.by_tag.get(t))
            .map(|&i| self.groups[i].feature.clone())
            .collect();
        (!features.is_empty()).then_some(features)
    }

    /// The group whose module holds `op`: its first tag's.
    fn home_of(&self, op: &Operation) -> Option<usize> {
        op.tags.first().and_then(|t| self.by_tag.get(t)).copied()
    }

    /// Every group's feature.
    pub fn features(&self) -> Vec<String> {
        self.groups.iter().map(|g| g.feature.clone()).collect()
    }

    /// The features on by default: every tag's. The models no operation reaches (webhook
    /// payloads, say) are asked for: on GitHub's description they are a third of the crate.
    pub fn default_features(&self) -> Vec<String> {
        self.groups
            .iter()
            .filter(|g| Some(&g.feature) != self.extra.as_ref())
            .map(|g| g.feature.clone())
            .collect()
    }
}

/// `#[cfg(feature = ...)]` for a set of features (`any` of them).
fn gate(features: &BTreeSet<String>) -> TokenStream {
    match cfg(features) {
        Some(cfg) => quote!(#[cfg(#cfg)]),
        None => quote!(),
    }
}

/// The `cfg` predicate of a set of features (`any` of them); `None` for no feature.
fn cfg(features: &BTreeSet<String>) -> Option<TokenStream> {
    match features.len() {
        0 => None,
        1 => {
            let f = features.iter();
            Some(quote!(feature = #(#f)*))
        }
        _ => {
            let f = features.iter();
            Some(quote!(any(#(feature = #f),*)))
        }
    }
}

/// What goes where in a split module, decided once; each file is then rendered on its own
/// (so files can be emitted and formatted on several threads).
pub struct SplitPlan<'a> {
    api: &'a Api,
    split: &'a Split,
    ctx: Ctx,
    needs: HashSet<String>,
    /// Per group: its operations and types (indices into the api) with their features.
    items: Vec<Vec<(Item, BTreeSet<String>)>>,
    /// Ungated operations and types, in `mod.rs`.
    shared: Vec<Item>,
    /// Per group: the features of everything its module holds (the module's own gate).
    reach: Vec<BTreeSet<String>>,
}

impl<'a> SplitPlan<'a> {
    /// Decides which file holds each operation and model of `api`, split as `split` says.
    pub fn new(api: &'a Api, split: &'a Split) -> Self {
        let usage = Usage::of(&api.types, &api.operations);
        let ctx = Ctx::new(api, usage);
        let needs = validate::needs_validation(api, &ctx.usage.sent);
        let gates = feature_gates(
            &api.types,
            &api.operations,
            |op| split.features_of(op),
            split.extra.as_deref(),
        );
        let mut items: Vec<Vec<(Item, BTreeSet<String>)>> = vec![Vec::new(); split.groups.len()];
        let mut reach: Vec<BTreeSet<String>> = vec![BTreeSet::new(); split.groups.len()];
        let mut shared = Vec::new();
        for (i, op) in api.operations.iter().enumerate() {
            match (split.home_of(op), split.features_of(op)) {
                (Some(home), Some(features)) => {
                    reach[home].extend(features.iter().cloned());
                    items[home].push((Item::Op(i), features));
                }
                _ => shared.push(Item::Op(i)),
            }
        }
        let home_of_feature: BTreeMap<&str, usize> = split
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.feature.as_str(), i))
            .collect();
        // Operations first in each file, then types, as before the plan existed.
        let mut type_items: Vec<Vec<(Item, BTreeSet<String>)>> =
            vec![Vec::new(); split.groups.len()];
        let mut shared_types = Vec::new();
        for (i, t) in api.types.iter().enumerate() {
            match gates.get(t.name()) {
                Some(features) => {
                    // A tag's module before the extra models' one.
                    let homes: Vec<usize> = features
                        .iter()
                        .filter_map(|f| home_of_feature.get(f.as_str()).copied())
                        .collect();
                    let home = homes
                        .iter()
                        .find(|&&i| !split.groups[i].tags.is_empty())
                        .or(homes.first())
                        .copied()
                        .unwrap_or(0);
                    reach[home].extend(features.iter().cloned());
                    type_items[home].push((Item::Type(i), features.clone()));
                }
                None => shared_types.push(Item::Type(i)),
            }
        }
        for (group, types) in items.iter_mut().zip(type_items) {
            group.extend(types);
        }
        shared.extend(shared_types);
        Self {
            api,
            split,
            ctx,
            needs,
            items,
            shared,
            reach,
        }
    }

    /// The file stems, `mod` first, then one per group that holds anything.
    pub fn files(&self) -> Vec<String> {
        let mut out = vec!["mod".to_owned()];
        for (group, items) in self.split.groups.iter().zip(&self.items) {
            if !items.is_empty() {
                out.push(names::unraw(&group.module).to_owned());
            }
        }
        out
    }

    fn item(&self, item: Item, gate: &TokenStream) -> TokenStream {
        item.tokens(&self.ctx, &self.needs, self.api, gate, gate)
    }

    /// The doc of group `i`'s module.
    fn group_doc(&self, i: usize) -> String {
        let group = &self.split.groups[i];
        let tag_list = group
            .tags
            .iter()
            .map(|t| format!("`{}`", t.replace('`', "'")))
            .collect::<Vec<_>>()
            .join(", ");
        if group.tags.is_empty() {
            format!(
                " Models the spec defines that no operation reaches (cargo feature `{}`).",
                group.feature
            )
        } else {
            format!(
                " Operations tagged {tag_list} (cargo feature `{}`), and the models they reach first.",
                group.feature
            )
        }
    }

    /// The tokens of the file with stem `stem` (one of [`SplitPlan::files`]).
    pub fn render(&self, stem: &str) -> TokenStream {
        (0..self.parts(stem))
            .map(|part| self.render_part(stem, part))
            .collect()
    }

    /// The group of file stem `stem`.
    fn group_of(&self, stem: &str) -> Option<usize> {
        self.split
            .groups
            .iter()
            .position(|g| names::unraw(&g.module) == stem)
    }

    /// In how many parts the file with stem `stem` is emitted and formatted: a part per
    /// [`PART_ITEMS`] (60) items, so that one big file (GitHub's models that no operation reaches:
    /// 46 % of its crate) does not keep one core busy while the others wait. The formatted parts,
    /// joined by a blank line, are the file.
    pub fn parts(&self, stem: &str) -> usize {
        self.group_of(stem)
            .map_or(1, |i| self.items[i].len().div_ceil(PART_ITEMS).max(1))
    }

    /// Part `part` of the file with stem `stem`: the first has the file's inner doc and `use`.
    pub fn render_part(&self, stem: &str, part: usize) -> TokenStream {
        if stem == "mod" {
            return if part == 0 {
                self.render_mod()
            } else {
                quote!()
            };
        }
        let Some(i) = self.group_of(stem) else {
            return quote!();
        };
        let body = self.items[i]
            .chunks(PART_ITEMS)
            .nth(part)
            .unwrap_or_default()
            .iter()
            .map(|(item, features)| self.item(*item, &gate(features)));
        if part > 0 {
            return quote!(#(#body)*);
        }
        let inner_doc = self.group_doc(i);
        quote! {
            #![doc = #inner_doc]

            // Every item here is behind a feature; with none of them on, nothing is used.
            #[allow(unused_imports)]
            use super::*;

            #(#body)*
        }
    }

    fn render_mod(&self) -> TokenStream {
        let api = self.api;
        let split = self.split;
        let mut decls = Vec::new();
        for (i, (group, reach)) in split.groups.iter().zip(&self.reach).enumerate() {
            if self.items[i].is_empty() {
                continue;
            }
            let module_gate = gate(reach);
            let module = ident(&group.module);
            let doc = self.group_doc(i);
            decls.push(quote! {
                #[doc = #doc]
                #module_gate
                pub mod #module;
                #module_gate
                pub use self::#module::*;
            });
        }
        let shared = self.shared.iter().map(|item| self.item(*item, &quote!()));
        let features = split
            .groups
            .iter()
            .map(|g| format!("`{}`", g.feature))
            .collect::<Vec<_>>()
            .join(", ");
        let mut note = format!(
            "Operations are grouped by tag, one module and one cargo feature each (on by \
             default): {features}. A model is compiled when a feature whose operations reach it is on."
        );
        if let Some(extra) = &split.extra {
            note.push_str(&format!(
                " The models no operation reaches are under `{extra}`, which is off by default."
            ));
        }
        let docs = super::module_docs(api, Some(&note));
        // What operations use is compiled when some operation is: always, unless every one is
        // tagged.
        let any_shared_op = self.shared.iter().any(|item| matches!(item, Item::Op(_)));
        let ops_cfg = if any_shared_op {
            None
        } else {
            let all: BTreeSet<String> = api
                .operations
                .iter()
                .filter_map(|op| split.features_of(op))
                .flatten()
                .collect();
            cfg(&all)
        };
        let head = super::module_head(api, ops_cfg.as_ref(), true, &quote!(super::runtime));
        quote! {
            #docs

            #head

            #(#decls)*

            #(#shared)*
        }
    }
}

/// The files of a split module: `mod.rs` (what every tag shares) and one file per group, as
/// (file stem, tokens) with `mod` for `mod.rs`.
pub fn split_module(api: &Api, split: &Split) -> Vec<(String, TokenStream)> {
    let plan = SplitPlan::new(api, split);
    plan.files()
        .into_iter()
        .map(|stem| {
            let tokens = plan.render(&stem);
            (stem, tokens)
        })
        .collect()
}
