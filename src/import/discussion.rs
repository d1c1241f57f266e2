//! The key discussion items: read for what the tables do not say — post-meeting
//! updates that settle a decision, notes on actions, the next meeting — and
//! checked for references to decisions and actions the tables do not list.

use std::sync::LazyLock;

use regex::Regex;

use super::header::day_month_year;
use super::header::long_date;
use super::infer::words;
use super::lines::{Line, join, join_numbered, line_at};
use super::{
    ActionUpdate, MeetingInfo, Patterns, PostMeeting, ReportedAction, ReportedDecision, Warning,
};
use crate::model::Due;

static REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\((DECISIONS?|ACTIONS?)\b\s*").expect("valid"));
static POST_MEETING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^POST[- ]MEETING UPDATE:?\s*").expect("valid"));
static NEXT_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)Date of (?:the )?next [A-Za-z ]+?:\s*(\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+ \d{4})",
    )
    .expect("valid")
});
static VOTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(Constituency\s+Approve|.*\bvoted as follows)").expect("valid")
});
static SETTLED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:The\s+)?([A-Z][\w]*(?:\s+[A-Z][\w]*){0,2})\s+(?:determined|decided|approved|agreed|confirmed)\b")
        .expect("valid")
});

/// What the discussion adds to, or checks against, the rest of the report.
pub struct Found<'a> {
    pub meeting: &'a mut MeetingInfo,
    pub decisions: &'a mut [ReportedDecision],
    pub actions: &'a mut [ReportedAction],
    pub action_updates: &'a mut Vec<ActionUpdate>,
    pub warnings: &'a mut Vec<Warning>,
}

/// An action note that closes it: "Action closed", "Actions complete".
static CLOSED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:closed|complete|completed|done)\b").expect("valid"));
static STILL_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:not|remains?|retained|kept)\s+(?:be\s+|yet\s+|as\s+)?(?:closed|complete|completed|open|ongoing)\b").expect("valid")
});
/// An action note that re-dates it: "Due date moved to 04/10/2023".
static MOVED_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:moved|extended|revised|changed|deferred|put back|re-?dated)\s+(?:to|until)\s+(\d{1,2}/\d{1,2}/\d{4}|ASAP|TBC)|\bnew due date(?: of| is|:)?\s+(\d{1,2}/\d{1,2}/\d{4})").expect("valid")
});

pub fn read(lines: &[Line], patterns: &Patterns, found: &mut Found<'_>) {
    votes_counted(lines, patterns, found);
    correspondence_dates(lines, patterns, found);
    let mut votes_seen = false;
    for (n, line) in lines.iter().enumerate() {
        if let Some(date) = NEXT_MEETING.captures(&line.text) {
            found.meeting.next_meeting = long_date(&date[1]);
        }
        if VOTES.is_match(&line.text) && !votes_seen {
            votes_seen = true;
            found.warnings.push(Warning::at(
                line.number,
                "a vote table: its marks do not survive text extraction, so the votes are taken from the Chair's summary where the report gives one",
            ));
        }
        if POST_MEETING.is_match(&line.text) {
            post_meeting(&lines[n..], patterns, found);
        }
        action_note(&lines[n..], patterns, found);
        check_references(line, lines.get(n + 1), patterns, found);
    }
}

/// "POST MEETING UPDATE: The DAG Chair determined CR018 should be approved, …
/// (DECISION DAG-DEC60)." — the update runs to the decision it names.
fn post_meeting(lines: &[Line], patterns: &Patterns, found: &mut Found<'_>) {
    let start = lines[0].number;
    let mut parts = Vec::new();
    for line in lines.iter().take(8) {
        parts.push(line.text.as_str());
        let text = join(parts.iter().copied());
        let Some(reference) = REFERENCE.find_iter(&text).last() else {
            continue;
        };
        let Some(id) = patterns
            .decision
            .find(&text[reference.end()..])
            .map(|m| m.as_str().to_string())
        else {
            continue;
        };
        let body = POST_MEETING.replace(&text[..reference.start()], "");
        let body = format!("{}.", body.trim().trim_end_matches('.'));
        let Some(decision) = found.decisions.iter_mut().find(|d| d.id == id) else {
            found.warnings.push(Warning::at(
                start,
                format!("a post-meeting update settles decision {id}, which the decisions table does not list"),
            ));
            return;
        };
        // An update runs to the decision it names; one that names no decision of
        // its own would borrow the next paragraph's: it must speak of the same
        // changes as the decision it settles.
        let own = patterns.changes_in(&format!(
            "{} {}",
            decision.area.as_deref().unwrap_or(""),
            decision.text
        ));
        let spoken = patterns.changes_in(&body);
        if !spoken.is_empty() && !spoken.iter().any(|c| own.contains(c)) {
            found.warnings.push(Warning::at(
                start,
                format!(
                    "a post-meeting update speaks of {}, which decision {id} (named after it) does not: not placed",
                    spoken.join(", ")
                ),
            ));
            return;
        }
        decision.post_meeting = Some(PostMeeting {
            line: start,
            by: SETTLED_BY.captures(&body).map(|c| c[1].to_string()),
            text: body,
        });
        return;
    }
    found.warnings.push(Warning::at(
        start,
        "a post-meeting update that names no decision is not placed",
    ));
}

/// "DAG17-02 & DAG20-03: Actions retained as ongoing …" — a note on those
/// actions, running on over the following lines to the end of its sentence.
fn action_note(lines: &[Line], patterns: &Patterns, found: &mut Found<'_>) {
    let line = &lines[0];
    let Some((ids, first)) = line.text.split_once(':') else {
        return;
    };
    let mut note = first.trim().to_string();
    for next in lines[1..].iter().take(4) {
        if note.ends_with(['.', '!', '?']) {
            break;
        }
        note = join([note.as_str(), next.text.as_str()]);
    }
    let named: Vec<&str> = patterns.action.find_iter(ids).map(|m| m.as_str()).collect();
    let only_ids = patterns
        .action
        .replace_all(ids, "")
        .split(|c: char| c.is_whitespace() || matches!(c, '&' | ',' | '/'))
        .all(|word| word.is_empty() || word.eq_ignore_ascii_case("and"));
    if named.is_empty() || !only_ids || note.trim().is_empty() {
        return;
    }
    let note = note.trim().to_string();
    let closed = CLOSED.is_match(&note) && !STILL_OPEN.is_match(&note);
    let moved_to = MOVED_TO.captures(&note).and_then(|c| {
        let found = c.get(1).or_else(|| c.get(2))?.as_str();
        day_month_year(found)
            .map(Due::On)
            .or_else(|| Due::parse(found))
    });
    for id in named {
        match found.actions.iter_mut().find(|a| a.id == id) {
            Some(action) => {
                action.note = Some(note.clone());
                // Closed in its due cell or by the note.
                action.closed |= closed;
                action.moved_to = moved_to;
            }
            None => found.action_updates.push(ActionUpdate {
                id: id.to_string(),
                line: line.number,
                note: note.clone(),
                closed,
                moved_to,
            }),
        }
    }
}

/// A count of votes in the discussion belongs to the decision referenced next
/// ("… seven voted to reject and two abstained. The Chair … rejected CR028
/// (DECISION DAG-DEC72)"); a count in the decisions table wins (see
/// `infer`). Read from the
/// discussion's sentences, wherever its lines break.
fn votes_counted(lines: &[Line], patterns: &Patterns, found: &mut Found<'_>) {
    let (text, starts) = join_numbered(lines.iter().map(|l| (l.number, l.text.as_str())));
    for (at, sentence) in words::sentences(&text) {
        let Some(tally) = words::votes(sentence) else {
            continue;
        };
        let line = line_at(&starts, at).unwrap_or(0);
        let id = REFERENCE
            .find_iter(&text[at..])
            .find_map(|r| patterns.decision.find(&text[at + r.end()..]))
            .map(|m| m.as_str().to_string());
        let Some(decision) = id.and_then(|id| found.decisions.iter_mut().find(|d| d.id == id))
        else {
            found.warnings.push(Warning::at(
                line,
                "a count of votes that no decision of the decisions table follows: not recorded",
            ));
            continue;
        };
        decision.votes.get_or_insert(tally);
    }
}

/// "CR024 was approved by correspondence on 21 July 2023 (DECISION
/// DAG-DEC65)": the date of a decision taken by correspondence, where the
/// discussion gives it in the sentence that references the decision.
fn correspondence_dates(lines: &[Line], patterns: &Patterns, found: &mut Found<'_>) {
    let (text, _) = join_numbered(lines.iter().map(|l| (l.number, l.text.as_str())));
    for (_, sentence) in words::sentences(&text) {
        let latest = found.meeting.issued.unwrap_or(found.meeting.date);
        let Some(date) =
            words::date_before(sentence, latest).filter(|_| words::by_correspondence(sentence))
        else {
            continue;
        };
        let referenced = REFERENCE
            .find(sentence)
            .and_then(|r| patterns.decision.find(&sentence[r.end()..]));
        if let Some(decision) =
            referenced.and_then(|id| found.decisions.iter_mut().find(|d| d.id == id.as_str()))
        {
            decision.decided_on.get_or_insert(date);
        }
    }
}

/// "(DECISION DAG-DEC57)", "(ACTION DAG26-03 & ACTION DAG26-04)": each id must be
/// in its table; a reference cut off by extraction ("(ACTION DAG.") is reported.
fn check_references(line: &Line, next: Option<&Line>, patterns: &Patterns, found: &mut Found<'_>) {
    let text = match next {
        Some(next) => join([line.text.as_str(), next.text.as_str()]),
        None => line.text.clone(),
    };
    for reference in REFERENCE.find_iter(&line.text) {
        let rest = &text[reference.end()..];
        let inside = rest.split(')').next().unwrap_or(rest).trim_start();
        let is_decision = reference.as_str().starts_with("(DECISION");
        let pattern = if is_decision {
            &patterns.decision
        } else {
            &patterns.action
        };
        let ids: Vec<&str> = pattern.find_iter(inside).map(|m| m.as_str()).collect();
        let kind = if is_decision { "decision" } else { "action" };
        let starts_with_id = pattern.find(inside).is_some_and(|m| m.start() == 0);
        if ids.is_empty() || !starts_with_id {
            let shown: String = text[reference.start()..].chars().take(40).collect();
            found.warnings.push(Warning::at(
                line.number,
                format!(
                    "an {kind} reference names no {kind} id (cut off in extraction?): \"{shown}…\""
                ),
            ));
            continue;
        }
        for id in ids {
            let listed = if is_decision {
                found.decisions.iter().any(|d| d.id == id)
            } else {
                found.actions.iter().any(|a| a.id == id)
            };
            if !listed {
                found.warnings.push(Warning::at(
                    line.number,
                    format!(
                        "the discussion names {kind} {id}, which the {kind}s table does not list"
                    ),
                ));
            }
        }
    }
}
