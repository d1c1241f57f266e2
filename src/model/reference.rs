//! REFs: `DES196@1.0`, `DES196@baseline`, `DES196@latest`, `DES196@working`.

use std::fmt;

use super::id::{IdKind, check_safe};
use super::version::VersionNumber;
use crate::error::{Error, Result};

/// Which version of an artefact a reference means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSelector {
    Exact(VersionNumber),
    /// The latest baselined version.
    Baseline,
    /// The latest recorded version, draft or baseline.
    Latest,
    /// The working file as it is now, recorded or not.
    Working,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub artefact: String,
    pub selector: VersionSelector,
}

impl Reference {
    /// Parses `ID@SELECTOR`; a bare `ID` means `default`.
    pub fn parse(text: &str, default: VersionSelector) -> Result<Reference> {
        let (artefact, selector) = match text.split_once('@') {
            None => (text, default),
            Some((artefact, selector)) => (artefact, parse_selector(text, selector)?),
        };
        check_safe(IdKind::Artefact, artefact)?;
        Ok(Reference {
            artefact: artefact.to_string(),
            selector,
        })
    }
}

fn parse_selector(whole: &str, selector: &str) -> Result<VersionSelector> {
    Ok(match selector {
        "baseline" => VersionSelector::Baseline,
        "latest" => VersionSelector::Latest,
        "working" => VersionSelector::Working,
        version => VersionSelector::Exact(version.parse().map_err(|_| {
            Error::usage(
                format!("`{whole}` is not a reference: `{version}` is neither a version number nor baseline, latest or working"),
                "write ID@1.0, ID@baseline, ID@latest or ID@working",
            )
        })?),
    })
}

impl fmt::Display for VersionSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionSelector::Exact(v) => write!(f, "{v}"),
            VersionSelector::Baseline => f.write_str("baseline"),
            VersionSelector::Latest => f.write_str("latest"),
            VersionSelector::Working => f.write_str("working"),
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.artefact, self.selector)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let r = Reference::parse("DES196@1.0", VersionSelector::Latest).unwrap();
        assert_eq!(r.selector, VersionSelector::Exact("1.0".parse().unwrap()));
        for (text, sel) in [
            ("X@baseline", VersionSelector::Baseline),
            ("X@latest", VersionSelector::Latest),
            ("X@working", VersionSelector::Working),
            ("X", VersionSelector::Latest),
        ] {
            assert_eq!(
                Reference::parse(text, VersionSelector::Latest)
                    .unwrap()
                    .selector,
                sel
            );
        }
        assert!(Reference::parse("X@newest", VersionSelector::Latest).is_err());
        assert!(Reference::parse("../X@1.0", VersionSelector::Latest).is_err());
    }
}
