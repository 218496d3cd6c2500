//! Several API versions of one service side by side: one module per version under the
//! service's module, each behind a cargo feature, types defined identically in an older version
//! re-exported from it rather than generated again, and the newest stable version re-exported
//! at the service's root.

use std::collections::{BTreeMap, HashMap};

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, validate, Ctx};
use crate::model::{Api, TypeDef};
use crate::names;
use crate::usage::{named_in, Usage};

/// What the crate's root holds: a module per spec, or a module per service with its versions.
pub enum Unit<'a> {
    /// A spec of its own: one module.
    Single(&'a Api),
    /// A service with API versions side by side: a module with a module per version.
    Service {
        /// The service's module name.
        name: String,
        /// Oldest first.
        versions: Vec<&'a Api>,
    },
}

impl<'a> Unit<'a> {
    /// The module name at the crate's root.
    pub fn name(&self) -> &str {
        match self {
            Unit::Single(api) => &api.module,
            Unit::Service { name, .. } => name,
        }
    }

    /// The unit's specs: one, or every version.
    pub fn apis(&self) -> Vec<&'a Api> {
        match self {
            Unit::Single(api) => vec![*api],
            Unit::Service { versions, .. } => versions.clone(),
        }
    }
}

/// Groups the specs into units, in the order they come (services where their first version is).
pub fn units(apis: &[Api]) -> Vec<Unit<'_>> {
    let mut out: Vec<Unit<'_>> = Vec::new();
    for api in apis {
        match &api.service {
            None => out.push(Unit::Single(api)),
            Some(sv) => {
                let existing = out.iter_mut().find_map(|u| match u {
                    Unit::Service { name, versions } if *name == sv.service => Some(versions),
                    _ => None,
                });
                match existing {
                    Some(versions) => versions.push(api),
                    None => out.push(Unit::Service {
                        name: sv.service.clone(),
                        versions: vec![api],
                    }),
                }
            }
        }
    }
    for unit in &mut out {
        if let Unit::Service { versions, .. } = unit {
            versions.sort_by(|a, b| version_of(a).cmp(version_of(b)));
        }
    }
    out
}

fn version_of(api: &Api) -> &str {
    api.service.as_ref().map_or("", |sv| sv.version.as_str())
}

fn feature_of(api: &Api) -> String {
    api.service
        .as_ref()
        .map(|sv| sv.feature())
        .unwrap_or_default()
}

/// The version re-exported at the service's root: the newest stable one, else the newest.
pub fn alias<'a>(versions: &[&'a Api]) -> Option<&'a Api> {
    versions
        .iter()
        .rev()
        .find(|a| a.service.as_ref().is_some_and(|sv| !sv.is_preview()))
        .or(versions.last())
        .copied()
}

/// Named types a type refers to.
fn deps(t: &TypeDef) -> Vec<String> {
    let mut out = Vec::new();
    match t {
        TypeDef::Struct(s) => {
            for f in &s.fields {
                named_in(&f.ty, &mut out);
            }
            if let Some(a) = &s.additional {
                named_in(&a.ty, &mut out);
            }
        }
        TypeDef::Union(u) => {
            for v in &u.variants {
                named_in(&v.ty, &mut out);
            }
        }
        TypeDef::Enum(_) => {}
    }
    out
}

/// For each version (oldest first), the types it takes from an older version: name -> the
/// module that defines it. A type is taken when an older version emits exactly the same tokens
/// for it and every type it refers to resolves to the same definition there.
pub fn borrowings(versions: &[&Api], usage: &Usage) -> Vec<BTreeMap<String, String>> {
    // Per version: type name -> emitted tokens.
    let tokens: Vec<HashMap<&str, String>> = versions
        .iter()
        .map(|api| {
            let ctx = Ctx::new(api, usage.clone());
            let needs = validate::needs_validation(api, &ctx.usage.sent);
            api.types
                .iter()
                .map(|t| {
                    (
                        t.name(),
                        super::type_tokens(&ctx, t, &needs, &quote!()).to_string(),
                    )
                })
                .collect()
        })
        .collect();
    // Per version: type name -> index of the version that defines it.
    let mut origins: Vec<HashMap<&str, usize>> = Vec::new();
    for (j, api) in versions.iter().enumerate() {
        // Optimistic start: the oldest version with the same tokens.
        let mut origin: HashMap<&str, usize> = api
            .types
            .iter()
            .map(|t| {
                let name = t.name();
                let first = (0..j)
                    .find(|&i| tokens[i].get(name) == tokens[j].get(name))
                    .map_or(j, |i| origins[i].get(name).copied().unwrap_or(i));
                (name, first)
            })
            .collect();
        // Demote a type whose dependencies resolve elsewhere in its origin, until stable.
        loop {
            let mut changed = false;
            for t in &api.types {
                let name = t.name();
                let o = origin[name];
                if o == j {
                    continue;
                }
                let consistent = deps(t).iter().all(|d| {
                    let here = origin.get(d.as_str()).copied();
                    let there = origins[o].get(d.as_str()).copied();
                    here.is_some() && here == there
                });
                if !consistent {
                    origin.insert(name, j);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        origins.push(origin);
    }
    origins
        .iter()
        .enumerate()
        .map(|(j, origin)| {
            origin
                .iter()
                .filter(|(_, o)| **o != j)
                .map(|(name, o)| ((*name).to_owned(), versions[*o].module.clone()))
                .collect()
        })
        .collect()
}

/// `src/<service>/mod.rs`: the version modules, each behind its feature (an older version also
/// compiles for the newer versions that take types from it), and the root alias.
pub fn service_mod(
    name: &str,
    versions: &[&Api],
    borrowings: &[BTreeMap<String, String>],
) -> TokenStream {
    let alias = alias(versions);
    let title = alias.map_or("", |a| a.title.as_str());
    let mut doc =
        format!("{title}: every API version side by side, each behind its cargo feature.\n");
    for api in versions {
        let marker = if alias.is_some_and(|a| std::ptr::eq(a, *api)) {
            ", re-exported here"
        } else {
            ""
        };
        doc.push_str(&format!(
            "\n- [`{}`]: version {} (feature `{}`{marker})",
            names::unraw(&api.module),
            version_of(api),
            feature_of(api)
        ));
    }
    if let Some(a) = alias {
        doc.push_str(&format!(
            "\n\nThe newest stable version, {}, is re-exported at this module's root: write \
             `{}::...` to follow it, `{}::{}::...` to pin a version.",
            version_of(a),
            names::unraw(name),
            names::unraw(name),
            names::unraw(&a.module)
        ));
    }
    let docs = super::inner_docs(&doc);
    let modules = versions.iter().enumerate().map(|(i, api)| {
        let module = &api.module;
        // The features that need this module: its own, and those of the versions borrowing from it.
        let mut features: Vec<String> = vec![feature_of(api)];
        for (j, b) in borrowings.iter().enumerate() {
            if j != i && b.values().any(|origin| origin == module) {
                features.push(feature_of(versions[j]));
            }
        }
        let m = ident(module);
        let doc = format!(" {} version {}.", api.title, version_of(api));
        let cfg = if features.len() == 1 {
            let f = &features[0];
            quote!(#[cfg(feature = #f)])
        } else {
            quote!(#[cfg(any(#(feature = #features),*))])
        };
        quote! {
            #[doc = #doc]
            #cfg
            pub mod #m;
        }
    });
    let alias_tokens = match alias {
        Some(a) => {
            let m = ident(&a.module);
            let f = feature_of(a);
            quote! {
                #[cfg(feature = #f)]
                pub use self::#m::*;
            }
        }
        None => quote!(),
    };
    quote! {
        #docs

        #(#modules)*

        #alias_tokens
    }
}

/// The cargo features: one per version, the newest stable version of each service by default.
pub fn features(units: &[Unit<'_>]) -> (Vec<String>, Vec<String>) {
    let mut all = Vec::new();
    let mut default = Vec::new();
    for unit in units {
        if let Unit::Service { versions, .. } = unit {
            all.extend(versions.iter().map(|a| feature_of(a)));
            if let Some(a) = alias(versions) {
                default.push(feature_of(a));
            }
        }
    }
    (all, default)
}
