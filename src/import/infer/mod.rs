//! What a decision's words mean, sentence by sentence: its outcome, who took it,
//! when (where it was taken by correspondence), how members voted, the
//! lifecycle step it makes for each change it decides and how it relates to
//! each change it only names — and which sentences say none of that.

mod effects;
pub mod words;

use super::lines::line_at;
use super::{NotUnderstood, Patterns, ReportedDecision, Warning};
use crate::model::{Date, Outcome, Relationship};
pub use effects::Effect;

/// One sentence of a decision, with the line of the report it starts on.
struct Sentence<'t> {
    line: usize,
    text: &'t str,
}

/// The decision's sentences: those of the decisions table, then those of any
/// post-meeting update (each placed on the update's first line).
fn sentences_of(decision: &ReportedDecision) -> (Vec<Sentence<'_>>, Vec<Sentence<'_>>) {
    let table = words::sentences(&decision.text)
        .into_iter()
        .map(|(at, text)| Sentence {
            line: line_at(&decision.text_lines, at).unwrap_or(decision.line),
            text,
        })
        .collect();
    let update = decision
        .post_meeting
        .as_ref()
        .map_or_else(Vec::new, |update| {
            words::sentences(&update.text)
                .into_iter()
                .map(|(_, text)| Sentence {
                    line: update.line,
                    text,
                })
                .collect()
        });
    (table, update)
}

/// Fills in a decision's outcome, authority, date, votes, steps and
/// relationships from its text, and lists the sentences that say none of those.
/// `latest`: the last date it may carry (the report's issue date, else its
/// meeting's), which places a date written without its year.
pub fn complete(
    decision: &mut ReportedDecision,
    patterns: &Patterns,
    latest: Date,
    warnings: &mut Vec<Warning>,
) {
    let area = decision.area.clone().unwrap_or_default();
    let (table, update) = sentences_of(decision);
    let outcome = table
        .iter()
        .chain(&update)
        .find_map(|s| words::outcome(s.text));
    let authority = match &decision.post_meeting {
        Some(update) => update
            .by
            .as_ref()
            .map(|by| format!("{by} (post-meeting determination)")),
        None => table.iter().find_map(|s| words::authority(s.text)),
    };
    let not_understood: Vec<NotUnderstood> = table
        .iter()
        .chain(&update)
        .filter(|s| !understood(s.text, patterns))
        .map(|s| NotUnderstood {
            decision: decision.id.clone(),
            line: s.line,
            sentence: s.text.to_string(),
        })
        .collect();
    decision.outcome = outcome.unwrap_or_else(|| {
        warnings.push(Warning::at(
            decision.line,
            format!(
                "decision {}: its text states no outcome (approved, rejected, deferred or noted); recorded as noted",
                decision.id
            ),
        ));
        Outcome::Noted
    });
    decision.authority = authority;
    decision.not_understood = not_understood;
    date_its_own(decision, &area, latest, warnings);
    count_votes(decision, warnings);
    decide_changes(decision, &area, patterns, warnings);
}

/// A decision's own date: the one its text or area gives where it was taken
/// by correspondence, else the one the discussion gives (read before this),
/// else the one a post-meeting update gives; else none (the meeting's).
fn date_its_own(
    decision: &mut ReportedDecision,
    area: &str,
    latest: Date,
    warnings: &mut Vec<Warning>,
) {
    let correspondence = words::by_correspondence(&decision.text) || words::by_correspondence(area);
    let own_date = correspondence
        .then(|| {
            words::date_before(&decision.text, latest).or_else(|| words::date_before(area, latest))
        })
        .flatten();
    let update_date = decision
        .post_meeting
        .as_ref()
        .and_then(|u| words::date_in(&u.text));
    decision.decided_on = own_date.or(decision.decided_on).or(update_date);
    if correspondence && decision.decided_on.is_none() {
        warnings.push(Warning::at(
            decision.line,
            format!(
                "decision {} was taken by correspondence on a date the report does not give: it takes the meeting's date",
                decision.id
            ),
        ));
    }
}

/// The votes the decision's own text counts win over a count the discussion
/// gave (read before this); where both count and differ, that is said.
fn count_votes(decision: &mut ReportedDecision, warnings: &mut Vec<Warning>) {
    let own = words::votes(&decision.full_text());
    if let (Some(own), Some(discussed)) = (own, decision.votes)
        && own != discussed
    {
        warnings.push(Warning::at(
            decision.line,
            format!(
                "decision {}: the discussion counts its votes otherwise ({discussed}); the decisions table's count is kept",
                decision.id
            ),
        ));
    }
    decision.votes = own.or(decision.votes);
}

/// Whether a sentence says something the importer records: an outcome, or what
/// happens to a change, or a count of votes.
fn understood(sentence: &str, patterns: &Patterns) -> bool {
    words::outcome(sentence).is_some()
        || words::votes(sentence).is_some()
        || effects::effects(sentence, patterns)
            .iter()
            .any(|(_, e)| *e != Effect::Relation(Relationship::Mentions))
}

/// The steps and relationships of the changes the decision names: those of its
/// text, then of any post-meeting update (which settles what the table left
/// open); where neither names a change, those of its area, moved as the text says.
fn decide_changes(
    decision: &mut ReportedDecision,
    area: &str,
    patterns: &Patterns,
    warnings: &mut Vec<Warning>,
) {
    let mut found = effects::effects(&decision.text, patterns);
    if let Some(update) = &decision.post_meeting {
        for (change, effect) in effects::effects(&update.text, patterns) {
            found.retain(|(c, _)| *c != change);
            found.push((change, effect));
        }
    }
    // Its text names no change ("… Change Requests (CR) 027 to Impact
    // Assessment"): the change of its area, where the area names just one, takes
    // the text's effect; of several, none can be told, so each is only named.
    let area_changes = patterns.changes_in(area);
    if found.is_empty() {
        let effect = match area_changes.len() {
            1 => effects::effect_of_text(&decision.full_text()),
            _ => None,
        };
        if effect.is_none() && area_changes.len() > 1 {
            warnings.push(Warning::at(
                decision.line,
                format!(
                    "decision {}: its text names no change and its area names {}: which it decides cannot be told, so none is moved",
                    decision.id,
                    area_changes.join(", ")
                ),
            ));
        }
        let effect = effect.unwrap_or(Effect::Relation(Relationship::Mentions));
        found = area_changes.iter().map(|c| (c.clone(), effect)).collect();
    }
    let mut named = area_changes;
    decision.steps.clear();
    decision.relates_to.clear();
    for (change, effect) in found {
        if !named.contains(&change) {
            named.push(change.clone());
        }
        match effect {
            Effect::Step(state) => decision.steps.push((change, state)),
            Effect::Relation(how) => {
                if how == Relationship::Mentions
                    && patterns.changes_in(&decision.full_text()).contains(&change)
                {
                    warnings.push(Warning::at(
                        decision.line,
                        format!(
                            "decision {} names change {change}, but its words give it no lifecycle step or relationship: recorded as mentioned",
                            decision.id
                        ),
                    ));
                }
                decision.relates_to.push((change, how));
            }
        }
    }
    decision.named_changes = named;
}
