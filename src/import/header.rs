//! The report's heading: which body met, when, where, and the report's issue date.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::{Line, join};
use super::{MeetingInfo, Patterns};
use crate::error::{Error, Result};
use crate::model::Date;

/// The heading's labels; each value runs to the next label.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(Issue date|Meeting Number|Venue|Meeting Date(?: and Time)?|Classification)\b:?",
    )
    .expect("valid")
});
static DATE_AND_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+ \d{4})(?:\s+(\d{1,2}[:.]\d{2}\s*[-–]\s*\d{1,2}[:.]\d{2}))?")
        .expect("valid")
});

/// The heading as label → value, read from its lines joined (a value may wrap).
fn fields(text: &str) -> Vec<(String, String)> {
    let labels: Vec<regex::Match<'_>> = LABEL.find_iter(text).collect();
    labels
        .iter()
        .enumerate()
        .map(|(n, label)| {
            let end = labels.get(n + 1).map_or(text.len(), |next| next.start());
            let name = label.as_str().trim_end_matches(':').to_ascii_lowercase();
            (name, text[label.end()..end].trim().to_string())
        })
        .collect()
}

/// Reads the meeting from the lines before the first section.
pub fn parse(lines: &[Line], patterns: &Patterns) -> Result<MeetingInfo> {
    let text = join(lines.iter().map(|l| l.text.as_str()));
    let line = lines.first().map_or(1, |l| l.number);
    let fields = fields(&text);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(label, value)| label.starts_with(name) && !value.is_empty())
            .map(|(_, value)| value.clone())
    };
    let id = field("meeting number")
        .and_then(|v| v.split_whitespace().next().map(str::to_string))
        .ok_or_else(|| {
            Error::refused(
                "this is not a headline report: its heading has no \"Meeting Number\"",
                "give the text of a meeting's headline report, e.g. from `pdftotext report.pdf report.txt`",
            )
        })?;
    if !Patterns::is_whole(&patterns.meeting, &id) {
        return Err(Error::refused(
            format!(
                "line {line}: the meeting number \"{id}\" does not match the [import] meeting pattern `{}`",
                patterns.sources.meeting
            ),
            "set [import] meeting in baseline.toml to the body's meeting numbers",
        ));
    }
    let when = field("meeting date").unwrap_or_default();
    let found = DATE_AND_TIME.captures(&when).ok_or_else(|| {
        Error::refused(
            format!("line {line}: the report's heading has no \"Meeting Date\" with a date such as 12 July 2023"),
            "the decisions take the meeting's date: give the report as pdftotext writes it",
        )
    })?;
    let date = long_date(&found[1]).ok_or_else(|| {
        Error::refused(
            format!("line {line}: \"{}\" is not a date", &found[1]),
            "the meeting date is read as day, month name and year, e.g. 12 July 2023",
        )
    })?;
    Ok(MeetingInfo {
        id,
        body: text
            .split_once("Headline Report")
            .map(|(body, _)| body.trim().to_string())
            .filter(|b| !b.is_empty()),
        date,
        time: found.get(2).map(|t| t.as_str().to_string()),
        venue: field("venue"),
        classification: field("classification"),
        issued: field("issue date").and_then(|d| day_month_year(d.split_whitespace().next()?)),
        next_meeting: None,
    })
}

/// `12 July 2023` (or `12th July 2023`).
pub fn long_date(text: &str) -> Option<Date> {
    let cleaned: String = text
        .split_whitespace()
        .enumerate()
        .map(|(n, word)| {
            if n == 0 {
                word.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                    .to_string()
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    Date::strptime("%d %B %Y", &cleaned)
        .or_else(|_| Date::strptime("%d %b %Y", &cleaned))
        .ok()
        .filter(|d| crate::model::date::in_range(*d))
}

/// `09/08/2023`: day, month, year, as the programme writes dates.
pub fn day_month_year(text: &str) -> Option<Date> {
    Date::strptime("%d/%m/%Y", text.trim())
        .ok()
        .filter(|d| crate::model::date::in_range(*d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_day_first() {
        assert_eq!(day_month_year("09/08/2023"), "2023-08-09".parse().ok());
        assert_eq!(day_month_year("9/8/2023"), "2023-08-09".parse().ok());
        assert_eq!(long_date("12 July 2023"), "2023-07-12".parse().ok());
        assert_eq!(long_date("9th August 2023"), "2023-08-09".parse().ok());
        assert_eq!(day_month_year("31/02/2023"), None);
    }
}
