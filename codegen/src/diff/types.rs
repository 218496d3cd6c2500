//! The types of two models compared: structs field by field, enums value by value, unions
//! member by member.

use std::collections::BTreeMap;

use super::{
    field_rust, item, kind_word, required_word, role, type_str, Breaks, ChangeKind, Differ,
};
use crate::model::{Api, EnumDef, Field, StructDef, TypeDef};
use crate::names::unraw;

impl Differ<'_> {
    pub(super) fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        let old_types: BTreeMap<&str, &TypeDef> = old.types.iter().map(|t| (t.name(), t)).collect();
        let new_types: BTreeMap<&str, &TypeDef> = new.types.iter().map(|t| (t.name(), t)).collect();
        for (name, t) in &old_types {
            if !new_types.contains_key(name) {
                self.push(
                    ChangeKind::Removed,
                    Breaks::both(true, true),
                    &format!("schema {name}"),
                    kind_word(t).to_owned(),
                    Some(item(old, kind_word(t), name)),
                );
            }
        }
        for (name, n) in &new_types {
            let loc = format!("schema {name}");
            match (old_types.get(name), n) {
                (None, _) => self.push(
                    ChangeKind::Added,
                    Breaks::NONE,
                    &loc,
                    kind_word(n).to_owned(),
                    Some(item(new, kind_word(n), name)),
                ),
                (Some(TypeDef::Struct(o)), TypeDef::Struct(n)) => self.structure(&loc, o, n),
                (Some(TypeDef::Enum(o)), TypeDef::Enum(n)) => self.enumeration(&loc, o, n),
                (Some(TypeDef::Union(o)), TypeDef::Union(n)) => {
                    let shape = |u: &crate::model::UnionDef| -> Vec<String> {
                        u.variants
                            .iter()
                            .map(|v| format!("{}({})", v.name, type_str(&v.ty)))
                            .collect()
                    };
                    let (old_shape, new_shape) = (shape(o), shape(n));
                    if old_shape != new_shape {
                        // A member removed or changed no longer decodes as it did; any change
                        // breaks a `match` that names every member.
                        let breaking = old_shape.iter().any(|v| !new_shape.contains(v));
                        self.push(
                            ChangeKind::Changed,
                            Breaks::both(breaking, true),
                            &loc,
                            format!(
                                "members [{}] -> [{}]",
                                old_shape.join(", "),
                                new_shape.join(", ")
                            ),
                            Some(item(new, "enum", name)),
                        );
                    }
                }
                (Some(o), n) => self.push(
                    ChangeKind::Changed,
                    Breaks::both(true, true),
                    &loc,
                    format!("{} -> {}", kind_word(o), kind_word(n)),
                    Some(item(new, kind_word(n), name)),
                ),
            }
        }
    }

    fn structure(&mut self, loc: &str, o: &StructDef, n: &StructDef) {
        let sent = self.usage.sent.contains(&n.name);
        let received = self.usage.responses.contains(&n.name);
        let role = role(&self.usage, &n.name);
        let field_item = |api: &Api, f: &Field| {
            format!(
                "{} (field {})",
                item(api, "struct", &n.name),
                unraw(&f.name)
            )
        };
        let find = |fs: &'_ [Field], f: &Field| fs.iter().position(|g| g.wire == f.wire);
        for of in &o.fields {
            if find(&n.fields, of).is_none() {
                self.push(
                    ChangeKind::Removed,
                    Breaks::both(true, true),
                    &format!("{loc} / property {}", of.wire),
                    format!(
                        "{} property (field `{}: {}`)",
                        required_word(of.required),
                        of.name,
                        field_rust(of)
                    ),
                    Some(field_item(self.old, of)),
                );
            }
        }
        for nf in &n.fields {
            let floc = format!("{loc} / property {}", nf.wire);
            let Some(i) = find(&o.fields, nf) else {
                let description = if nf.required {
                    format!(
                        "required property: new field `{}: {}` ({role})",
                        nf.name,
                        field_rust(nf)
                    )
                } else if sent {
                    format!(
                        "optional property: new field `{}: {}` (a struct literal of the sent type must name it)",
                        nf.name,
                        field_rust(nf)
                    )
                } else {
                    format!(
                        "optional property: new field `{}: {}`",
                        nf.name,
                        field_rust(nf)
                    )
                };
                // Code that builds a sent type writes every field.
                self.push(
                    ChangeKind::Added,
                    Breaks::both(nf.required && sent, sent),
                    &floc,
                    description,
                    Some(field_item(self.new, nf)),
                );
                continue;
            };
            let of = &o.fields[i];
            // The field's Rust type changes when it turns into (or out of) an `Option`.
            let shape = (field_rust(of) != field_rust(nf)).then(|| field_item(self.new, nf));
            if of.required != nf.required {
                let (what, breaking, why) = if nf.required {
                    (
                        "became required",
                        sent,
                        if sent {
                            "the type is sent in requests"
                        } else {
                            role
                        },
                    )
                } else {
                    (
                        "became optional",
                        received,
                        if received {
                            "the type is received in responses"
                        } else {
                            role
                        },
                    )
                };
                self.push(
                    ChangeKind::Changed,
                    Breaks::both(breaking, shape.is_some()),
                    &floc,
                    format!(
                        "{what} (field `{}`: {} -> {}; {why})",
                        nf.name,
                        field_rust(of),
                        field_rust(nf)
                    ),
                    shape.clone(),
                );
            }
            if of.nullable != nf.nullable {
                // A required field may now be `null` in responses, or must no longer be `null`
                // in requests.
                let (what, breaking, why) = if nf.nullable {
                    ("became nullable", nf.required && received, "received")
                } else {
                    ("no longer nullable", nf.required && sent, "sent")
                };
                let why = if breaking {
                    format!("; the type is {why}")
                } else {
                    String::new()
                };
                self.push(
                    ChangeKind::Changed,
                    Breaks::both(breaking, shape.is_some()),
                    &floc,
                    format!(
                        "{what} (field `{}`: {} -> {}{why})",
                        nf.name,
                        field_rust(of),
                        field_rust(nf)
                    ),
                    shape.clone(),
                );
            }
            if of.ty != nf.ty {
                self.push(
                    ChangeKind::Changed,
                    Breaks::both(true, field_rust(of) != field_rust(nf)),
                    &floc,
                    format!("type {} -> {}", type_str(&of.ty), type_str(&nf.ty)),
                    Some(field_item(self.new, nf)),
                );
            }
            let unchecked = (!sent).then_some(role);
            self.constraints(&floc, &of.constraints, &nf.constraints, unchecked);
        }
        self.additional(loc, o, n, sent);
    }

    /// The free-form remainder (`additionalProperties`): a field of its own in the struct.
    fn additional(&mut self, loc: &str, o: &StructDef, n: &StructDef, sent: bool) {
        let aloc = format!("{loc} / additionalProperties");
        let extra = || {
            format!(
                "{} (additional properties)",
                item(self.new, "struct", &n.name)
            )
        };
        match (
            o.additional.as_ref().map(|r| &r.ty),
            n.additional.as_ref().map(|r| &r.ty),
        ) {
            (None, Some(t)) => self.push(
                ChangeKind::Added,
                Breaks::code(sent),
                &aloc,
                format!("values of type {}", type_str(t)),
                Some(extra()),
            ),
            (Some(t), None) => self.push(
                ChangeKind::Removed,
                Breaks::both(true, true),
                &aloc,
                format!("values of type {}", type_str(t)),
                Some(extra()),
            ),
            (Some(a), Some(b)) if a != b => self.push(
                ChangeKind::Changed,
                Breaks::both(true, true),
                &aloc,
                format!("type {} -> {}", type_str(a), type_str(b)),
                Some(extra()),
            ),
            _ => {}
        }
    }

    fn enumeration(&mut self, loc: &str, o: &EnumDef, n: &EnumDef) {
        let variant_item =
            |api: &Api, name: &str| format!("{} (variant {name})", item(api, "enum", &n.name));
        for ov in &o.variants {
            if !n.variants.iter().any(|v| v.wire == ov.wire) {
                self.push(
                    ChangeKind::Removed,
                    Breaks::both(true, true),
                    &format!("{loc} / value {}", ov.wire),
                    format!("variant `{}` (narrowed)", ov.name),
                    Some(variant_item(self.old, &ov.name)),
                );
            }
        }
        for nv in &n.variants {
            let vloc = format!("{loc} / value {}", nv.wire);
            match o.variants.iter().find(|v| v.wire == nv.wire) {
                // A `match` that names every variant stops compiling.
                None => self.push(
                    ChangeKind::Added,
                    Breaks::code(true),
                    &vloc,
                    format!(
                        "variant `{}` (widened; old clients decode the value as `{}`; a `match` naming every variant must name it)",
                        nv.name, o.fallback
                    ),
                    Some(variant_item(self.new, &nv.name)),
                ),
                Some(ov) if ov.name != nv.name => self.push(
                    ChangeKind::Changed,
                    Breaks::code(true),
                    &vloc,
                    format!("variant `{}` -> `{}`", ov.name, nv.name),
                    Some(variant_item(self.new, &nv.name)),
                ),
                Some(_) => {}
            }
        }
        if o.fallback != n.fallback {
            self.push(
                ChangeKind::Changed,
                Breaks::code(true),
                loc,
                format!(
                    "the variant for unknown values `{}` -> `{}`",
                    o.fallback, n.fallback
                ),
                Some(variant_item(self.new, &n.fallback)),
            );
        }
    }
}
