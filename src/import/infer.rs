//! What a decision's words mean: its outcome, who took it, and the lifecycle step
//! it makes for each change request it decides.

use std::sync::LazyLock;

use regex::Regex;

use super::{Patterns, ReportedDecision, Warning};
use crate::model::{ChangeState, Outcome};

static AUTHORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:The\s+)?([A-Z][\w]*(?:\s+[A-Z][\w]*)?)\s+(?:approved|agreed|rejected|noted|deferred|determined|decided|endorsed)\b")
        .expect("valid")
});
/// Sending a change to impact assessment: "issued to Impact Assessment", "for IA".
static TO_IMPACT_ASSESSMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:\b(?:to|for|into)\s+(?:(?:an?|further|second)\s+)*impact\s+assessment\b)|\b(?:to|for|into)\s+(?:(?:an?|further|second)\s+)*IA\b")
        .expect("valid")
});
/// Words that turn an approval into its refusal.
const REFUSALS: &[&str] = &[
    "not approved",
    "did not approve",
    "rejected",
    "reject",
    "declined",
];

static CLAUSES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[.;]\s|,\s*(?:and\s+)?|\s+and\s+").expect("valid"));

/// Fills in a decision's outcome, authority, named changes and steps from its text.
pub fn complete(decision: &mut ReportedDecision, patterns: &Patterns, warnings: &mut Vec<Warning>) {
    decision.outcome = match outcome(&decision.text) {
        Some(outcome) => outcome,
        None => {
            warnings.push(Warning::at(
                decision.line,
                format!(
                    "decision {}: its text states no outcome (approved, rejected, deferred or noted); recorded as noted",
                    decision.id
                ),
            ));
            Outcome::Noted
        }
    };
    decision.authority = match &decision.post_meeting {
        Some(update) => update
            .by
            .as_ref()
            .map(|by| format!("{by} (post-meeting determination)")),
        None => AUTHORITY.captures(&decision.text).map(|c| c[1].to_string()),
    };
    let area = decision.area.clone().unwrap_or_default();
    let text = decision.full_text();
    let mut named = patterns.changes_in(&area);
    for change in patterns.changes_in(&text) {
        if !named.contains(&change) {
            named.push(change);
        }
    }
    decision.steps = steps(&text, &area, patterns);
    for change in patterns.changes_in(&text) {
        if !decision.steps.iter().any(|(c, _)| *c == change) {
            warnings.push(Warning::at(
                decision.line,
                format!(
                    "decision {} names change {change}, but its words give it no lifecycle step (approved, rejected, withdrawn, deferred or to impact assessment)",
                    decision.id
                ),
            ));
        }
    }
    decision.named_changes = named;
}

/// The outcome a decision's text states; None where it states none.
pub fn outcome(text: &str) -> Option<Outcome> {
    let lower = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(REFUSALS) {
        Some(Outcome::Rejected)
    } else if has(&["approved", "agreed", "endorsed", "ratified"]) {
        Some(Outcome::Approved)
    } else if has(&["deferred", "postponed"]) {
        Some(Outcome::Deferred)
    } else if has(&["noted"]) {
        Some(Outcome::Noted)
    } else {
        None
    }
}

/// The state a clause moves a change to, if it says: sent to impact assessment
/// ("approved the issuance … to Impact Assessment" sends it there; "approved
/// following impact assessment" approves it), refused, withdrawn, deferred or
/// approved.
fn state_in(clause: &str) -> Option<ChangeState> {
    let lower = clause.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if TO_IMPACT_ASSESSMENT.is_match(clause) {
        Some(ChangeState::ImpactAssessment)
    } else if has(REFUSALS) {
        Some(ChangeState::Rejected)
    } else if has(&["withdr"]) {
        Some(ChangeState::Withdrawn)
    } else if has(&["defer"]) {
        Some(ChangeState::Deferred)
    } else if has(&["approv", "agreed"]) {
        Some(ChangeState::Approved)
    } else {
        None
    }
}

/// The steps a decision makes: each change its text names, moved to the state of
/// its clause — or, lacking a verb, of the clause before it, or else after it
/// ("CR017 and CR018 were rejected"); where the text names none, the changes of
/// its area, moved to the state the whole text states.
pub fn steps(text: &str, area: &str, patterns: &Patterns) -> Vec<(String, ChangeState)> {
    let clauses: Vec<&str> = CLAUSES.split(text).collect();
    let states: Vec<Option<ChangeState>> = clauses.iter().map(|c| state_in(c)).collect();
    let mut steps: Vec<(String, ChangeState)> = Vec::new();
    for (n, clause) in clauses.iter().enumerate() {
        let state = states[n]
            .or_else(|| states[..n].iter().rev().find_map(|s| *s))
            .or_else(|| states[n + 1..].iter().find_map(|s| *s));
        for change in patterns.changes_in(clause) {
            if let Some(state) = state {
                steps.retain(|(c, _)| c != &change);
                steps.push((change, state));
            }
        }
    }
    if let (true, Some(state)) = (patterns.changes_in(text).is_empty(), state_in(text)) {
        steps.extend(patterns.changes_in(area).into_iter().map(|c| (c, state)));
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::ImportPatterns;

    fn patterns() -> Patterns {
        Patterns::new(&ImportPatterns::default()).unwrap()
    }

    #[test]
    fn clauses_decide_each_change() {
        let p = patterns();
        assert_eq!(
            steps(
                "The SRO approved CR018 Post-meeting update: The DAG Chair determined CR018 should be approved, and CR017 rejected.",
                "CR017 & CR018 Next Steps",
                &p
            ),
            [
                ("CR018".to_string(), ChangeState::Approved),
                ("CR017".to_string(), ChangeState::Rejected)
            ]
        );
        assert_eq!(
            steps(
                "The DAG approved the issuance of Programme Change Requests (CR) 027 to Impact Assessment",
                "CR027 Impact Assessment",
                &p
            ),
            [("CR027".to_string(), ChangeState::ImpactAssessment)]
        );
        assert_eq!(
            steps(
                "The SRO approved CR025, subject to the agreed implementation approach",
                "CR024 & CR025 Decision",
                &p
            ),
            [("CR025".to_string(), ChangeState::Approved)]
        );
    }

    #[test]
    fn the_words_around_a_change_decide_its_step() {
        let p = patterns();
        let one = |text: &str| steps(text, "", &p);
        assert_eq!(
            one("The SRO approved CR030 following impact assessment"),
            [("CR030".to_string(), ChangeState::Approved)]
        );
        assert_eq!(
            one("The DAG approved CR030 subject to Ian Smith's review"),
            [("CR030".to_string(), ChangeState::Approved)]
        );
        assert_eq!(
            one("The DAG did not approve CR030"),
            [("CR030".to_string(), ChangeState::Rejected)]
        );
        assert_eq!(
            one("CR017 and CR018 were rejected"),
            [
                ("CR017".to_string(), ChangeState::Rejected),
                ("CR018".to_string(), ChangeState::Rejected)
            ]
        );
        assert_eq!(
            one("The DAG agreed CR024 should be issued for a further IA"),
            [("CR024".to_string(), ChangeState::ImpactAssessment)]
        );
    }

    #[test]
    fn outcomes_are_read_from_the_words() {
        assert_eq!(
            outcome("Minutes … approved with no amendments"),
            Some(Outcome::Approved)
        );
        assert_eq!(outcome("The DAG rejected CR030"), Some(Outcome::Rejected));
        assert_eq!(outcome("The DAG noted the update"), Some(Outcome::Noted));
        assert_eq!(outcome("The update"), None);
    }
}
