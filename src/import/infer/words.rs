//! Reading a decision's sentences: where they end, who took the decision, what
//! was decided, how members voted, and dates written in them.

use std::sync::LazyLock;

use regex::Regex;

use crate::import::header::{day_month_year, long_date};
use crate::model::{Date, Outcome, Votes};

/// The sentences of `text`, each with its byte offset: a sentence ends at `.`,
/// `!` or `?` before a capital, digit or bracket (so "v5.7" and "e.g. the" do
/// not end one), or at `;`.
pub fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(at, c)) in chars.iter().enumerate() {
        let next_word = chars[k + 1..]
            .iter()
            .find(|(_, c)| !c.is_whitespace())
            .map(|(_, c)| *c);
        let spaced = chars.get(k + 1).is_some_and(|(_, c)| c.is_whitespace());
        let ends = match c {
            ';' => spaced,
            '.' | '!' | '?' => {
                spaced
                    && next_word.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || n == '(')
            }
            _ => false,
        };
        if ends {
            push_sentence(&mut found, text, start, at + c.len_utf8());
            start = at + c.len_utf8();
        }
    }
    push_sentence(&mut found, text, start, text.len());
    found
}

fn push_sentence<'t>(found: &mut Vec<(usize, &'t str)>, text: &'t str, start: usize, end: usize) {
    let piece = &text[start..end];
    let trimmed = piece.trim_start();
    let trimmed = trimmed.trim_end();
    if !trimmed.is_empty() {
        found.push((start + piece.len() - piece.trim_start().len(), trimmed));
    }
}

/// The verbs that state a decision's outcome, each with the outcome.
static OUTCOME_VERBS: LazyLock<Vec<(Regex, Outcome)>> = LazyLock::new(|| {
    let verb = |words: &str, outcome| {
        (
            Regex::new(&format!(r"(?i)\b(?:{words})\b")).expect("valid"),
            outcome,
        )
    };
    vec![
        verb(
            "did not approve|not (?:be )?approved|rejected|rejects|declined|refused",
            Outcome::Rejected,
        ),
        // Before "agreed": "agreed to defer" defers, at the same word.
        verb(
            "deferred|defers|postponed|(?:agreed|decided) to (?:defer|postpone)",
            Outcome::Deferred,
        ),
        verb(
            "approved|approves|agreed|agrees|endorsed|endorses|ratified|accepted",
            Outcome::Approved,
        ),
        verb("noted|notes|requested|received", Outcome::Noted),
    ]
});

/// The outcome a sentence states: that of its first outcome verb ("did not
/// approve" counts as its own verb, so it is a rejection).
pub fn outcome(sentence: &str) -> Option<Outcome> {
    OUTCOME_VERBS
        .iter()
        .filter_map(|(verb, outcome)| verb.find(sentence).map(|m| (m.start(), *outcome)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, outcome)| outcome)
}

/// One to three capitalised words: a body or role ("SRO", "DAG Chair").
const NAME: &str = r"[A-Z][A-Za-z]*(?:\s+[A-Z][A-Za-z]*){0,2}";
const DECIDING: &str = r"did not approve|approved|agreed|rejected|noted|deferred|determined|decided|endorsed|ratified|requested";

static DELEGATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)delegated authority (?:from|of) (?:the )?([^,;)]+(?:\([A-Za-z]+\))?)")
        .expect("valid")
});
// The deciding verb in any case ("The DAG APPROVED"); the name capitalised.
static BY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?i:{DECIDING})\s+(?i:by)\s+(?:[Tt]he\s+)?({NAME})\b"
    ))
    .expect("valid")
});
static NAME_DECIDES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[\s,:;(])(?:[Tt]he\s+)?({NAME})\s+(?:(?:had|has|have)\s+)?(?i:{DECIDING})\b"
    ))
    .expect("valid")
});

/// Who took the decision, wherever the sentence names them: the one whose
/// authority was delegated ("the Chair, acting with delegated authority from the
/// MHHS SRO, approved" → SRO), the agent of a passive ("approved by the SRO"),
/// or the subject of a deciding verb ("Following a vote, the SRO rejected").
pub fn authority(sentence: &str) -> Option<String> {
    if let Some(from) = DELEGATED.captures(sentence) {
        return Some(role_of(&from[1]));
    }
    let passive = BY_NAME.captures(sentence).map(|c| c.get(1).expect("group"));
    let active = NAME_DECIDES
        .captures_iter(sentence)
        .map(|c| c.get(1).expect("group"))
        .find(|m| !matches!(m.as_str(), "It" | "This" | "They" | "Following"));
    [passive, active]
        .into_iter()
        .flatten()
        .min_by_key(|m| m.start())
        .map(|m| m.as_str().to_string())
}

/// "MHHS Senior Responsible Owner (SRO)" → SRO; "the MHHS SRO" → SRO: the
/// bracketed acronym, else the last word.
fn role_of(text: &str) -> String {
    let text = text.trim();
    if let Some(inner) = text
        .strip_suffix(')')
        .and_then(|t| t.rsplit_once('('))
        .map(|(_, inner)| inner)
    {
        return inner.to_string();
    }
    text.rsplit(char::is_whitespace)
        .next()
        .unwrap_or(text)
        .to_string()
}

const NUMBERS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({}|\d{{1,2}})\b[^,.;:()]*?\b(approve|reject|abstained|abstain|abstentions?|against|in favour|not in attendance|absent)\b",
        NUMBERS.join("|")
    ))
    .expect("valid")
});

/// The votes a text counts ("six DAG members voted to reject, four voted to
/// approve, two abstained, and one was not in attendance"; "(eight to approve,
/// three to reject, one abstention)"): at least two kinds of vote counted.
pub fn votes(text: &str) -> Option<Votes> {
    let mut votes = Votes {
        approve: 0,
        reject: 0,
        abstain: 0,
        absent: 0,
    };
    let mut kinds = 0;
    for count in COUNT.captures_iter(text) {
        let word = count[1].to_lowercase();
        let n = NUMBERS
            .iter()
            .position(|w| *w == word)
            .map_or_else(|| word.parse().unwrap_or(0), |n| n as u32);
        let slot = match count[2].to_lowercase().as_str() {
            "approve" | "in favour" => &mut votes.approve,
            "reject" | "against" => &mut votes.reject,
            "not in attendance" | "absent" => &mut votes.absent,
            _ => &mut votes.abstain,
        };
        if *slot == 0 {
            kinds += 1;
        }
        *slot += n;
    }
    (kinds >= 2).then_some(votes)
}

static CORRESPONDENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:by correspondence|ex-committee|by e-?mail)\b").expect("valid")
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2}/\d{1,2}/\d{4}|\d{1,2}(?:st|nd|rd|th)? (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})\b")
        .expect("valid")
});

/// A day and month written without a year ("on 3 March").
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})(?:st|nd|rd|th)? (January|February|March|April|May|June|July|August|September|October|November|December)\b")
        .expect("valid")
});

/// Whether a text says the decision was taken outside the meeting.
pub fn by_correspondence(text: &str) -> bool {
    CORRESPONDENCE.is_match(text)
}

/// The first date written in `text` (9/8/2023 or 9 August 2023).
pub fn date_in(text: &str) -> Option<Date> {
    DATE.find_iter(text)
        .find_map(|m| day_month_year(m.as_str()).or_else(|| long_date(m.as_str())))
}

/// The date of a decision taken by correspondence, which a report issued on
/// `latest` reports: the first date written in `text`, or a day and month
/// written without a year ("by email on 3 March"), in the last year that puts
/// it on or before `latest`.
pub fn date_before(text: &str, latest: Date) -> Option<Date> {
    date_in(text).or_else(|| {
        let found = DAY_MONTH.captures(text)?;
        let on = |year: i16| long_date(&format!("{} {} {year}", &found[1], &found[2]));
        on(latest.year())
            .filter(|date| *date <= latest)
            .or_else(|| on(latest.year() - 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_full_stops_before_capitals() {
        let text = "The SRO approved DES138 v5.7. The Programme will publish it; CR033 is rejected";
        let found: Vec<&str> = sentences(text).into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            found,
            [
                "The SRO approved DES138 v5.7.",
                "The Programme will publish it;",
                "CR033 is rejected"
            ]
        );
    }

    #[test]
    fn the_authority_is_found_anywhere_in_the_sentence() {
        let of = |s: &str| authority(s);
        assert_eq!(of("The SRO approved CR025").as_deref(), Some("SRO"));
        assert_eq!(
            of("CR029 was approved by the SRO, subject to review").as_deref(),
            Some("SRO")
        );
        assert_eq!(
            of("Following a vote of DAG members, the SRO rejected CR028").as_deref(),
            Some("SRO")
        );
        assert_eq!(
            of("The Chair, acting with delegated authority from the MHHS SRO, approved it")
                .as_deref(),
            Some("SRO")
        );
        assert_eq!(
            of("Decided by correspondence on 21 July 2023: the SRO approved CR024").as_deref(),
            Some("SRO")
        );
        assert_eq!(
            of("Minutes of DAG meeting held 14 June 2023 approved with no amendments"),
            None
        );
        assert_eq!(
            of("The DAG APPROVED CR041, subject to review").as_deref(),
            Some("DAG")
        );
        assert_eq!(of("CR044 was REJECTED by the SRO").as_deref(), Some("SRO"));
        assert_eq!(
            of("The Chair confirmed the DAG had approved by email the baselining of DES220")
                .as_deref(),
            Some("DAG")
        );
    }

    #[test]
    fn a_date_without_its_year_takes_the_meetings_or_the_year_before() {
        let meeting: Date = "2025-04-09".parse().unwrap();
        let on = |text: &str| date_before(text, meeting).map(|d| d.to_string());
        assert_eq!(
            on("approved by email on 3 March").as_deref(),
            Some("2025-03-03")
        );
        assert_eq!(
            on("approved by email on 3 December").as_deref(),
            Some("2024-12-03")
        );
        assert_eq!(
            on("approved on 3 March 2023").as_deref(),
            Some("2023-03-03")
        );
        assert_eq!(on("approved by email"), None);
    }

    #[test]
    fn outcomes_and_votes_are_read_from_the_words() {
        assert_eq!(
            outcome("The DAG did not approve CR030"),
            Some(Outcome::Rejected)
        );
        assert_eq!(
            outcome("The DAG noted that UKPN withdrew CR030"),
            Some(Outcome::Noted)
        );
        assert_eq!(
            outcome("The DAG deferred its decision"),
            Some(Outcome::Deferred)
        );
        assert_eq!(outcome("The SRO endorsed DES196"), Some(Outcome::Approved));
        assert_eq!(
            outcome("The DAG agreed to defer CR046 to the July DAG"),
            Some(Outcome::Deferred)
        );
        assert_eq!(outcome("The Programme will publish it"), None);
        assert_eq!(
            votes(
                "six DAG members voted to reject, four voted to approve, two abstained, and one was not in attendance"
            ),
            Some(Votes {
                approve: 4,
                reject: 6,
                abstain: 2,
                absent: 1
            })
        );
        assert_eq!(
            votes("(eight to approve, three to reject, one abstention)"),
            Some(Votes {
                approve: 8,
                reject: 3,
                abstain: 1,
                absent: 0
            })
        );
        assert_eq!(votes("One DAG member asked to approve it"), None);
    }
}
