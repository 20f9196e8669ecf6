//! TypeScript declarations for the slug enums (feature `ts`). Each is a
//! string-literal union built from [`Slug::ALL`], so the app's types can
//! never drift from the Rust vocabulary. The records themselves derive
//! `ts_rs::TS`; the app crate exports everything into `ui/src/generated/`.

use std::path::PathBuf;

use ts_rs::{Config, TS};

use crate::i18n::Language;
use crate::model::*;

/// `"a" | "b" | …` in the order of `Slug::ALL`.
pub fn union<T: Slug>() -> String {
    T::ALL.iter().map(|v| format!("\"{}\"", v.slug())).collect::<Vec<_>>().join(" | ")
}

macro_rules! slug_ts {
    ($($t:ident),+ $(,)?) => {$(
        impl TS for $t {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &Config) -> String {
                stringify!($t).to_string()
            }
            fn inline(_: &Config) -> String {
                union::<$t>()
            }
            fn decl(_: &Config) -> String {
                format!("type {} = {};", stringify!($t), union::<$t>())
            }
            fn decl_concrete(cfg: &Config) -> String {
                Self::decl(cfg)
            }
            fn output_path() -> Option<PathBuf> {
                Some(PathBuf::from(concat!(stringify!($t), ".ts")))
            }
        }
    )+};
}

slug_ts!(
    Perspective,
    CounterpartKind,
    PartnerKind,
    Level,
    Initiative,
    Role,
    ActivityStatus,
    Outcome,
    Degree,
    ConsentBasis,
    RecordKind,
    Language,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_unions_follow_all() {
        let cfg = Config::new();
        assert_eq!(Level::decl(&cfg), r#"type Level = "network" | "collaboration" | "partnership";"#);
        assert_eq!(Perspective::inline(&cfg).matches('|').count(), Perspective::ALL.len() - 1);
    }
}
