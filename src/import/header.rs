//! The report's heading: which body met, when, where, and the report's issue date.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::Line;
use super::{MeetingInfo, Patterns};
use crate::error::{Error, Result};
use crate::model::Date;

static ISSUED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)Issue date:?\s*(\d{1,2}/\d{1,2}/\d{4})").expect("valid"));
static MEETING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)Meeting Number:?\s+(\S+)").expect("valid"));
static VENUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bVenue:?\s+(.+?)\s*$").expect("valid"));
static DATE_AND_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)Meeting Date(?: and Time)?:?\s+(\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+ \d{4})(?:\s+(\d{1,2}[:.]\d{2}\s*[-–]\s*\d{1,2}[:.]\d{2}))?")
        .expect("valid")
});
static CLASSIFICATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bClassification:?\s+(.+?)\s*$").expect("valid"));

/// Reads the meeting from the lines before the first section.
pub fn parse(lines: &[Line], patterns: &Patterns) -> Result<MeetingInfo> {
    let find = |regex: &Regex| {
        lines.iter().find_map(|line| {
            regex
                .captures(&line.text)
                .map(|c| (line.number, c.get(1).map_or("", |m| m.as_str()).to_string()))
        })
    };
    let (line, id) = find(&MEETING_NUMBER).ok_or_else(|| {
        Error::refused(
            "this is not a headline report: its heading has no \"Meeting Number\"",
            "give the text of a meeting's headline report, e.g. from `pdftotext report.pdf report.txt`",
        )
    })?;
    if !Patterns::is_whole(&patterns.meeting, &id) {
        return Err(Error::refused(
            format!(
                "line {line}: the meeting number \"{id}\" does not match the [import] meeting pattern `{}`",
                patterns
                    .meeting
                    .as_str()
                    .trim_start_matches(r"\b(?:")
                    .trim_end_matches(r")\b")
            ),
            "set [import] meeting in baseline.toml to the body's meeting numbers",
        ));
    }
    let when = lines
        .iter()
        .find_map(|line| DATE_AND_TIME.captures(&line.text).map(|c| (line.number, c)))
        .ok_or_else(|| {
            Error::refused(
                "the report's heading has no \"Meeting Date\"",
                "the decisions take the meeting's date: give the report as pdftotext writes it",
            )
        })?;
    let date = long_date(&when.1[1]).ok_or_else(|| {
        Error::refused(
            format!("line {}: \"{}\" is not a date", when.0, &when.1[1]),
            "the meeting date is read as day, month name and year, e.g. 12 July 2023",
        )
    })?;
    let venue = find(&VENUE).map(|(_, v)| before_label(&v, "Meeting Date"));
    Ok(MeetingInfo {
        id,
        body: lines.iter().find_map(|l| {
            l.text
                .split_once("Headline Report")
                .map(|(body, _)| body.trim().to_string())
                .filter(|b| !b.is_empty())
        }),
        date,
        time: when.1.get(2).map(|t| t.as_str().to_string()),
        venue,
        classification: find(&CLASSIFICATION).map(|(_, c)| c),
        issued: find(&ISSUED).and_then(|(_, d)| day_month_year(&d)),
        next_meeting: None,
    })
}

/// A value that runs on into the next label on the same line ends before it.
fn before_label(value: &str, label: &str) -> String {
    value
        .split_once(label)
        .map_or(value, |(before, _)| before)
        .trim()
        .to_string()
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
}

/// `09/08/2023`: day, month, year, as the programme writes dates.
pub fn day_month_year(text: &str) -> Option<Date> {
    Date::strptime("%d/%m/%Y", text.trim()).ok()
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
