//! The models' `Serialize` and `Deserialize` impls, written by two macros from a field list
//! instead of serde's derives: an object is one `match` on the key (borrowed from the input when
//! it can be), with no per-model field enum and no sequence form, which is most of what a big
//! crate costs rustc to check.
//!
//! The input reads like the struct after the name of the runtime in scope:
//! `rt::serialize_object!(rt, Name { field: kind("wire"), ... })`, where kind is `required`
//! (present, not null), `nullable` (present, may be null) or `optional` (may be absent or null;
//! left out when `None`); a kind's argument may end with a comma, as a formatter leaves a call
//! too long for its line (`optional(\n    "aVeryLongWireName",\n)`). The runtime is named by the caller because the same macros serve the
//! runtime crate and its vendored copy (`crate::runtime` of a generated crate), and a generated
//! module included in another crate (`build.rs`) reaches it by a relative path.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, Error, Visitor};
use serde::ser::{Serialize, SerializeMap};

/// `impl Serialize` for a model: its fields as a JSON object.
#[doc(hidden)]
#[macro_export]
macro_rules! serialize_object {
    ($rt:ident, $name:ident { $($field:ident: $kind:ident($wire:literal $(,)?)),* $(,)? } $(,)?) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                #[allow(unused_mut)]
                let mut map = ::serde::Serializer::serialize_map(serializer, None)?;
                $( $rt::object::ser::$kind(&mut map, $wire, &self.$field)?; )*
                ::serde::ser::SerializeMap::end(map)
            }
        }
    };
}

/// `impl Deserialize` for a model: from a JSON object; unknown keys are skipped, a missing
/// required field is an error that names it.
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_object {
    ($rt:ident, $name:ident { $($field:ident: $kind:ident($wire:literal $(,)?)),* $(,)? } $(,)?) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                struct ObjectVisitor;

                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($name), ")"))
                    }

                    // `__A`, `__D` and `__S`: a model may be named `A`, `D` or `S`.
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> ::core::result::Result<$name, __A::Error> {
                        $( let mut $field = ::core::option::Option::None; )*
                        while let ::core::option::Option::Some(key) =
                            ::serde::de::MapAccess::next_key::<$rt::object::Key<'de>>(&mut map)?
                        {
                            match key.as_str() {
                                $( $wire => {
                                    $field = ::core::option::Option::Some(
                                        ::serde::de::MapAccess::next_value(&mut map)?,
                                    );
                                } )*
                                _ => {
                                    ::serde::de::MapAccess::next_value::<::serde::de::IgnoredAny>(&mut map)?;
                                }
                            }
                        }
                        // Every check first, then the struct from what was read with no way
                        // out: an early return between two fields of the literal would drop
                        // the fields read so far and the slots not yet moved, a drop path per
                        // field (quadratic code: 74,000 LLVM lines for a model of 106 fields).
                        $( $rt::object::de::$kind::check(&$field, $wire)?; )*
                        ::core::result::Result::Ok($name {
                            $( $field: $rt::object::de::$kind::take($field), )*
                        })
                    }
                }

                ::serde::Deserializer::deserialize_map(deserializer, ObjectVisitor)
            }
        }
    };
}

/// An object key, borrowed from the input when the input allows it.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E: Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Writing a field, by kind.
pub mod ser {
    use super::{Serialize, SerializeMap};

    /// Always written.
    pub fn required<M: SerializeMap, T: Serialize + ?Sized>(
        map: &mut M,
        wire: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        map.serialize_entry(wire, value)
    }

    /// Always written, `null` when `None`.
    pub fn nullable<M: SerializeMap, T: Serialize>(
        map: &mut M,
        wire: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        map.serialize_entry(wire, value)
    }

    /// Left out when `None`.
    pub fn optional<M: SerializeMap, T: Serialize>(
        map: &mut M,
        wire: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => map.serialize_entry(wire, value),
            None => Ok(()),
        }
    }
}

/// Reading a field from what the object held (`None`: the key was absent), by kind: `check`
/// says whether the object can be made (it runs for every field before any is taken), `take`
/// gives the field's value.
pub mod de {
    /// Absent is an error that names the field.
    pub mod required {
        use serde::de::Error;

        /// Fails when the key was absent.
        pub fn check<T, E: Error>(slot: &Option<T>, wire: &'static str) -> Result<(), E> {
            match slot {
                Some(_) => Ok(()),
                None => Err(E::missing_field(wire)),
            }
        }

        /// The value read; `check` has made sure there is one.
        pub fn take<T>(slot: Option<T>) -> T {
            match slot {
                Some(value) => value,
                None => unreachable!("`check` runs for every required field before `take`"),
            }
        }
    }

    /// Absent or `null` is `None`.
    pub mod nullable {
        pub use super::optional::{check, take};
    }

    /// Absent or `null` is `None`.
    pub mod optional {
        use serde::de::Error;

        /// Never fails.
        pub fn check<T, E: Error>(_slot: &Option<Option<T>>, _wire: &'static str) -> Result<(), E> {
            Ok(())
        }

        /// The value, `None` when absent or `null`.
        pub fn take<T>(slot: Option<Option<T>>) -> Option<T> {
            slot.flatten()
        }
    }
}
