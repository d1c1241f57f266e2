//! What a decision does to each change it names: a lifecycle step, or only a
//! relationship. Read clause by clause, by the words around the change.

use std::sync::LazyLock;

use regex::Regex;

use crate::import::Patterns;
use crate::model::{ChangeState, Relationship};

/// What a clause does to the changes in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Step(ChangeState),
    Relation(Relationship),
}

/// Sending a change (back) to impact assessment: "issued to Impact Assessment",
/// "for a further five working day IA", "sent back for further impact assessment".
static TO_IMPACT_ASSESSMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:\b(?:to|for|into)\s+(?:(?:an?|further|second|new|another|\w+\s+working\s+day)\s+)*impact\s+assessment\b)|\b(?:to|for|into)\s+(?:(?:an?|further|second|new|another|\w+\s+working\s+day)\s+)*IA\b")
        .expect("valid")
});
/// Words before a change that make it what a baseline carries, not what is
/// decided: "the baselining of DES138 incorporating the changes from CR025".
static CARRIED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:baselin\w*|incorporat\w*|implement\w*|reflect\w*|in line with|arising from|changes (?:from|of|in|made by))\b")
        .expect("valid")
});
/// Words after a change that say when or how it will be carried out, so that
/// the sentence reports on it rather than deciding it: "the Programme's
/// confirmation that CR041 will be implemented in IR6".
static SCHEDULED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:will|would|is to|are to|is due to|shall)\s+be\s+(?:implemented|delivered|included|deployed|released)\b")
        .expect("valid")
});
static FURTHER_ASSESSMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:further|more|additional)\s+(?:analysis|information|assessment|work|detail)\b",
    )
    .expect("valid")
});

static CLAUSES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[.;:]\s|,\s*(?:and\s+)?|\s+and\s+").expect("valid"));

/// The effect of a clause's own words, whatever change they concern; `before`:
/// the words before the change, where there is one.
fn effect_of(clause: &str, before: Option<&str>) -> Option<Effect> {
    let lower = clause.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if CARRIED.is_match(before.unwrap_or(clause)) {
        return Some(Effect::Relation(Relationship::Incorporates));
    }
    let state = if TO_IMPACT_ASSESSMENT.is_match(clause) {
        ChangeState::ImpactAssessment
    } else if has(&[
        "not approved",
        "not be approved",
        "did not approve",
        "rejected",
        "reject",
        "declined",
    ]) {
        ChangeState::Rejected
    } else if has(&["withdr"]) {
        ChangeState::Withdrawn
    } else if has(&["defer"]) {
        ChangeState::Deferred
    } else if FURTHER_ASSESSMENT.is_match(clause) {
        return Some(Effect::Relation(Relationship::AsksForAssessment));
    } else if has(&["approv", "agreed", "endorse", "ratified", "accepted"]) {
        ChangeState::Approved
    } else if has(&["noted", "notes "]) {
        return Some(Effect::Relation(Relationship::Notes));
    } else {
        return None;
    };
    Some(Effect::Step(state))
}

/// What `text` does to each change it names, in order: the effect of the
/// change's own clause, or, where that clause has no verb, of the clause before
/// it, or else after it ("CR017 and CR018 were rejected"). A change with no
/// effect at all is only mentioned.
pub fn effects(text: &str, patterns: &Patterns) -> Vec<(String, Effect)> {
    let clauses: Vec<&str> = CLAUSES.split(text).collect();
    let own: Vec<Option<Effect>> = clauses.iter().map(|c| effect_of(c, None)).collect();
    let mut found: Vec<(String, Effect)> = Vec::new();
    for (n, clause) in clauses.iter().enumerate() {
        for change in patterns.change.find_iter(clause) {
            let effect = if SCHEDULED.is_match(&clause[change.end()..]) {
                Some(Effect::Relation(Relationship::Mentions))
            } else {
                effect_of(clause, Some(&clause[..change.start()]))
            };
            let effect = effect
                .or_else(|| own[..n].iter().rev().find_map(|e| *e))
                .or_else(|| own[n + 1..].iter().find_map(|e| *e))
                .unwrap_or(Effect::Relation(Relationship::Mentions));
            let id = change.as_str().to_string();
            found.retain(|(c, _)| *c != id);
            found.push((id, effect));
        }
    }
    found
}

/// The effect of a whole text, for the changes of a decision's area when its
/// text names none ("The DAG approved the issuance of Programme Change Requests
/// (CR) 027 to Impact Assessment" under the area "CR027 Impact Assessment").
pub fn effect_of_text(text: &str) -> Option<Effect> {
    CLAUSES.split(text).find_map(|c| effect_of(c, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::ImportPatterns;

    fn of(text: &str) -> Vec<(String, Effect)> {
        effects(text, &Patterns::new(&ImportPatterns::default()).unwrap())
    }

    fn step(change: &str, state: ChangeState) -> (String, Effect) {
        (change.to_string(), Effect::Step(state))
    }

    fn relation(change: &str, how: Relationship) -> (String, Effect) {
        (change.to_string(), Effect::Relation(how))
    }

    #[test]
    fn each_change_takes_the_effect_of_its_own_words() {
        use ChangeState::*;
        assert_eq!(
            of("The DAG Chair determined CR018 should be approved, and CR017 rejected."),
            [step("CR018", Approved), step("CR017", Rejected)]
        );
        assert_eq!(
            of("The SRO approved CR025, subject to the agreed implementation approach"),
            [step("CR025", Approved)]
        );
        assert_eq!(
            of("CR017 and CR018 were rejected"),
            [step("CR017", Rejected), step("CR018", Rejected)]
        );
        assert_eq!(
            of("The DAG agreed CR024 should be issued for a further IA"),
            [step("CR024", ImpactAssessment)]
        );
        assert_eq!(
            of("The DAG agreed CR031 should be sent back for further impact assessment"),
            [step("CR031", ImpactAssessment)]
        );
        assert_eq!(
            of("The SRO approved CR030 following impact assessment"),
            [step("CR030", Approved)]
        );
        assert_eq!(
            of("The DAG noted that UKPN, as the raiser, had withdrawn CR030"),
            [step("CR030", Withdrawn)]
        );
        assert_eq!(
            of("The DAG deferred its decision on CR028 until spring"),
            [step("CR028", Deferred)]
        );
        assert_eq!(
            of("The SRO approved CR029 for implementation in IR4"),
            [step("CR029", Approved)]
        );
    }

    #[test]
    fn a_change_only_mentioned_is_related_not_decided() {
        use Relationship::*;
        assert_eq!(
            of(
                "The SRO approved the baselining of DES138 v5.7, incorporating the changes from CR025"
            ),
            [relation("CR025", Incorporates)]
        );
        assert_eq!(
            of(
                "the SRO approved the baselining of the DES215 DIP Message Size Limits incorporating CR029"
            ),
            [relation("CR029", Incorporates)]
        );
        assert_eq!(
            of("The DAG noted DIN005, issued by the Programme"),
            [relation("DIN005", Notes)]
        );
        assert_eq!(
            of("The DAG requested further analysis of the costs of CR032 from the raiser"),
            [relation("CR032", AsksForAssessment)]
        );
        assert_eq!(of("Discussion of CR040"), [relation("CR040", Mentions)]);
        assert_eq!(
            of(
                "The DAG ratified the Programme's confirmation that CR041 will be implemented in IR6"
            ),
            [relation("CR041", Mentions)]
        );
    }
}
