//! Record ids: safe as file names everywhere, and matching the programme's patterns.

use std::fmt;

use crate::error::{Error, Result};

/// Which kind of record an id names; decides the pattern it must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Artefact,
    Decision,
    Change,
    Meeting,
    Action,
    Release,
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdKind::Artefact => "artefact",
            IdKind::Decision => "decision",
            IdKind::Change => "change",
            IdKind::Meeting => "meeting",
            IdKind::Action => "action",
            IdKind::Release => "release",
        })
    }
}

const MAX_ID_LEN: usize = 64;

/// Checks what no pattern may relax: an id becomes a file name and a git ref part,
/// so it must never escape its folder or confuse git.
pub fn check_safe(kind: IdKind, id: &str) -> Result<()> {
    let shown = id.escape_debug();
    let refuse = |why: &str| {
        Error::refused(
            format!("{kind} id \"{shown}\" is not allowed: {why}"),
            "use letters, digits, '-', '_' and '.', such as DES196, DAG-DEC57 or CR027",
        )
    };
    if id.is_empty() {
        return Err(refuse("it is empty"));
    }
    if id.len() > MAX_ID_LEN {
        return Err(refuse("it is longer than 64 characters"));
    }
    if id.chars().any(|c| c.is_control()) {
        return Err(refuse("it contains a control character"));
    }
    if id.contains(['/', '\\']) {
        return Err(refuse("it contains a path separator"));
    }
    if id.contains("..") || id.starts_with('.') || id.ends_with('.') {
        return Err(refuse("it starts or ends with '.' or contains '..'"));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(refuse(
            "it contains a character other than a letter, digit, '-', '_' or '.'",
        ));
    }
    if id.ends_with(".lock") {
        return Err(refuse("git reserves names ending in .lock"));
    }
    Ok(())
}

/// A compiled id pattern from baseline.toml.
#[derive(Debug, Clone)]
pub struct IdPattern {
    kind: IdKind,
    source: String,
    regex: regex::Regex,
}

impl IdPattern {
    pub fn new(kind: IdKind, source: &str) -> Result<Self> {
        let anchored = format!("^(?:{source})$");
        let regex = regex::Regex::new(&anchored).map_err(|err| {
            Error::refused(
                format!("baseline.toml: the {kind} id pattern `{source}` is not a valid regular expression: {err}"),
                "fix the pattern under [ids] in baseline.toml",
            )
        })?;
        Ok(Self {
            kind,
            source: source.to_string(),
            regex,
        })
    }

    /// Checks an id new to the repository: safe, and matching the pattern.
    pub fn check(&self, id: &str) -> Result<()> {
        check_safe(self.kind, id)?;
        if !self.regex.is_match(id) {
            return Err(Error::refused(
                format!(
                    "{} id \"{id}\" does not match the programme's pattern `{}`",
                    self.kind, self.source
                ),
                format!(
                    "use an id that matches it, or change `{}` under [ids] in baseline.toml",
                    self.kind
                ),
            ));
        }
        Ok(())
    }
}

/// The bidirectional controls (U+202A–U+202E, U+2066–U+2069) that make text
/// read in another order than it is stored, as in "Trojan Source" attacks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_are_refused() {
        for id in [
            "", "../x", "a/b", "a\\b", "..", ".hidden", "x\n", "x\u{7}", "a b", "x.lock", "a@b",
        ] {
            assert!(check_safe(IdKind::Artefact, id).is_err(), "{id:?}");
        }
        assert!(check_safe(IdKind::Artefact, &"x".repeat(65)).is_err());
    }

    #[test]
    fn ordinary_ids_pass() {
        for id in [
            "DES196",
            "DAG-DEC57",
            "CR027",
            "DIP-PKI-POL",
            "DAG20.1-12",
            "a_b",
        ] {
            assert!(check_safe(IdKind::Artefact, id).is_ok(), "{id}");
        }
    }

    #[test]
    fn patterns_are_anchored() {
        let pattern = IdPattern::new(IdKind::Change, "(CR|DIN)[0-9]{3}").unwrap();
        assert!(pattern.check("CR027").is_ok());
        assert!(pattern.check("XCR027").is_err());
        assert!(pattern.check("CR0271").is_err());
    }
}
