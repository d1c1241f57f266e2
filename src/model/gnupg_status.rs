//! The status lines gpg and gpgsm write about a signature they check
//! (`[GNUPG:] KEYWORD args…`, GnuPG's doc/DETAILS), read alike for both.

/// The keywords of a signature that holds. An expired or revoked key's
/// counts: the approvers file, not the key, says when it may sign.
const GOOD: [&str; 4] = ["GOODSIG", "EXPSIG", "EXPKEYSIG", "REVKEYSIG"];

/// A check's status lines, each split into its words, the keyword first.
pub struct StatusLines<'s>(Vec<Vec<&'s str>>);

impl<'s> StatusLines<'s> {
    /// The status lines in `status`; anything else gpg wrote is left out.
    pub fn read(status: &'s str) -> Self {
        let lines = status
            .lines()
            .filter_map(|l| l.strip_prefix("[GNUPG:] "))
            .map(|l| l.split_whitespace().collect())
            .collect();
        StatusLines(lines)
    }

    /// The lines whose keyword is `keyword`.
    pub fn with(&self, keyword: &str) -> Vec<&[&'s str]> {
        (self.0.iter())
            .filter(|l| l.first() == Some(&keyword))
            .map(Vec::as_slice)
            .collect()
    }

    /// The lines saying a signature holds.
    pub fn good(&self) -> Vec<&[&'s str]> {
        GOOD.iter().flat_map(|keyword| self.with(keyword)).collect()
    }

    /// Whether the data holds more than one signature.
    pub fn several_signatures(&self) -> bool {
        self.with("NEWSIG").len() > 1
    }
}

/// Word `i` of a status line, or `?` where it has none.
pub fn word(line: &[&str], i: usize) -> String {
    line.get(i).copied().unwrap_or("?").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_are_read_by_keyword_and_other_output_left_out() {
        let status = "gpg: a note\n[GNUPG:] NEWSIG\n[GNUPG:] EXPKEYSIG ABCD Alice\n\
                      [GNUPG:] VALIDSIG F1 2023-06-01\n[GNUPG:] NEWSIG\n";
        let lines = StatusLines::read(status);
        assert!(lines.several_signatures());
        assert_eq!(lines.good(), [&["EXPKEYSIG", "ABCD", "Alice"][..]]);
        let valid = lines.with("VALIDSIG");
        assert_eq!(
            (word(valid[0], 1), word(valid[0], 5)),
            ("F1".into(), "?".into())
        );
        assert!(lines.with("BADSIG").is_empty());
    }
}
