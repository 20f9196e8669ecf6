//! Enums that travel as kebab-case slugs: on the command line, in JSON, in
//! the Automerge documents and (as small integers) in the SQLite index.

/// Implemented by every slug enum via [`slug_enum!`].
pub trait Slug: Sized + Copy + 'static {
    /// What the value is called in error messages ("perspective").
    const WHAT: &'static str;
    const ALL: &'static [Self];
    fn slug(self) -> &'static str;
    /// Stable small integer used in the SQLite index.
    fn code(self) -> i64;
    fn from_code(code: i64) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
    fn from_slug(s: &str) -> Option<Self> {
        let wanted = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Self::ALL.iter().copied().find(|v| v.slug() == wanted)
    }
    fn valid_list() -> String {
        Self::ALL.iter().map(|v| v.slug()).collect::<Vec<_>>().join(", ")
    }
}

/// Defines an enum whose variants map one-to-one to slugs and index codes.
/// Codes are explicit so that reordering variants never changes the index.
#[macro_export]
macro_rules! slug_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $slug:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::model::Slug for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn slug(self) -> &'static str { match self { $(Self::$variant => $slug),+ } }
            fn code(self) -> i64 { match self { $(Self::$variant => $code),+ } }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::model::Slug::slug(*self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::model::Slug>::from_slug(s).ok_or_else(|| $crate::model::ValidationError::UnknownValue {
                    what: $what,
                    given: s.to_string(),
                    valid: <Self as $crate::model::Slug>::valid_list(),
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::model::Slug::slug(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
