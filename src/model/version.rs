//! Dotted numeric version numbers (0.1, 1.0, 5.8.5), compared numerically.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A version number such as `1.0` or `5.8.5`. Components compare numerically and a
/// missing component counts as zero, so `1.0` and `1.0.0` are the same version.
#[derive(Debug, Clone, Eq)]
pub struct VersionNumber {
    parts: Vec<u32>,
}

impl VersionNumber {
    pub fn new(parts: Vec<u32>) -> Self {
        debug_assert!(parts.len() >= 2);
        Self::canonical(parts)
    }

    /// Equal versions are written one way (`1.0.0` is `1.0`), so they share a
    /// record file and a tag, and two branches recording the same version conflict.
    fn canonical(mut parts: Vec<u32>) -> Self {
        while parts.len() > 2 && parts.last() == Some(&0) {
            parts.pop();
        }
        Self { parts }
    }

    pub fn major(&self) -> u32 {
        self.parts[0]
    }

    /// The default for a draft: the next minor after `latest` (0.1 when there is none).
    pub fn next_minor(latest: Option<&VersionNumber>) -> VersionNumber {
        match latest {
            None => VersionNumber::new(vec![0, 1]),
            Some(v) => VersionNumber::new(vec![v.parts[0], v.parts[1].saturating_add(1)]),
        }
    }

    /// The default for a baseline: the next major after `latest` (1.0 when there is none).
    pub fn next_major(latest: Option<&VersionNumber>) -> VersionNumber {
        match latest {
            None => VersionNumber::new(vec![1, 0]),
            Some(v) => VersionNumber::new(vec![v.parts[0].saturating_add(1), 0]),
        }
    }

    fn padded(&self, len: usize) -> impl Iterator<Item = u32> + '_ {
        self.parts
            .iter()
            .copied()
            .chain(std::iter::repeat(0))
            .take(len)
    }
}

impl PartialEq for VersionNumber {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Ord for VersionNumber {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.parts.len().max(other.parts.len());
        self.padded(len).cmp(other.padded(len))
    }
}

impl PartialOrd for VersionNumber {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for VersionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}

impl FromStr for VersionNumber {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let bad = |why: &str| {
            Error::usage(
                format!("`{text}` is not a version number: {why}"),
                "write a dotted number such as 0.3, 1.0 or 5.8.5",
            )
        };
        let parts = text
            .split('.')
            .map(|part| {
                if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad("each part must be digits"));
                }
                if part.len() > 1 && part.starts_with('0') {
                    return Err(bad("parts must not have leading zeros"));
                }
                part.parse::<u32>().map_err(|_| bad("a part is too large"))
            })
            .collect::<Result<Vec<u32>, Error>>()?;
        if !(2..=4).contains(&parts.len()) {
            return Err(bad("it must have two to four parts"));
        }
        Ok(Self::canonical(parts))
    }
}

impl serde::Serialize for VersionNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for VersionNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse()
            .map_err(|e: Error| serde::de::Error::custom(e.message))
    }
}

impl schemars::JsonSchema for VersionNumber {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "VersionNumber".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A dotted numeric version number such as 0.3, 1.0 or 5.8.5.",
            "pattern": "^(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*)){1,3}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(text: &str) -> VersionNumber {
        text.parse().unwrap()
    }

    #[test]
    fn compares_numerically() {
        assert!(v("0.10") > v("0.9"));
        assert!(v("5.8.5") > v("5.8"));
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("1.0.0").to_string(), "1.0");
        assert_eq!(v("5.8.0").to_string(), "5.8");
        assert!(v("10.0") > v("9.99"));
    }

    #[test]
    fn defaults_follow_the_design() {
        assert_eq!(VersionNumber::next_minor(None), v("0.1"));
        assert_eq!(VersionNumber::next_minor(Some(&v("0.2"))), v("0.3"));
        assert_eq!(VersionNumber::next_minor(Some(&v("5.8.5"))), v("5.9"));
        assert_eq!(VersionNumber::next_major(None), v("1.0"));
        assert_eq!(VersionNumber::next_major(Some(&v("1.3"))), v("2.0"));
    }

    #[test]
    fn rejects_what_is_not_a_version() {
        for bad in [
            "",
            "1",
            "1.",
            ".1",
            "a.b",
            "01.0",
            "1.0.0.0.0",
            "1.-1",
            "1.0 ",
        ] {
            assert!(bad.parse::<VersionNumber>().is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn print_then_parse_round_trips(parts in proptest::collection::vec(0u32..100_000, 2..=4)) {
            let version = VersionNumber::new(parts);
            let again: VersionNumber = version.to_string().parse().unwrap();
            prop_assert_eq!(again.to_string(), version.to_string());
        }

        #[test]
        fn defaults_are_always_higher(parts in proptest::collection::vec(0u32..100_000, 2..=4)) {
            let latest = VersionNumber::new(parts);
            prop_assert!(VersionNumber::next_minor(Some(&latest)) > latest);
            prop_assert!(VersionNumber::next_major(Some(&latest)) > latest);
        }

        #[test]
        fn ordering_matches_numeric_tuples(a in proptest::collection::vec(0u32..20, 2..=4),
                                           b in proptest::collection::vec(0u32..20, 2..=4)) {
            let pad = |p: &Vec<u32>| { let mut p = p.clone(); p.resize(4, 0); p };
            prop_assert_eq!(VersionNumber::new(a.clone()).cmp(&VersionNumber::new(b.clone())), pad(&a).cmp(&pad(&b)));
        }
    }
}
