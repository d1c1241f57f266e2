//! Cross-references and lifecycles: every id a decision or change names resolves,
//! and every change's and action's history keeps its lifecycle.

use std::collections::HashSet;

use crate::error::Result;
use crate::model::paths::Record;
use crate::model::{Change, ChangeState, Decision, paths};
use crate::repo::Snapshot;
use crate::rules;

use super::{Audit, Dangling, FindingKind};

/// Every id a decision or change names resolves. `only_added`: a range is
/// checked, and only the records its commits added.
pub(super) fn check_references(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    only_added: bool,
) -> Result<()> {
    let artefacts: HashSet<String> = snapshot.artefact_ids()?.into_iter().collect();
    let in_scope = |path: &str| !only_added || audit.added.contains_key(path);
    let mut unparsable = Vec::new();
    // A decision is in a range's scope too when the range corrected it.
    let corrected: HashSet<&str> = audit
        .added
        .keys()
        .filter_map(|path| match Record::parse(path) {
            Some(Record::Correction(decision, _)) => Some(decision),
            _ => None,
        })
        .collect();
    let decision_in_scope = |path: &str| {
        in_scope(path)
            || matches!(Record::parse(path), Some(Record::Decision(id)) if corrected.contains(id))
    };
    let decisions = read_records(
        snapshot,
        paths::DECISIONS,
        paths::decision,
        &decision_in_scope,
        &mut unparsable,
        |id| snapshot.decision(id),
    )?;
    let changes = read_records(
        snapshot,
        paths::CHANGES,
        paths::change,
        &in_scope,
        &mut unparsable,
        |id| snapshot.change(id),
    )?;
    let mut dangling = Vec::new();
    for decision in &decisions {
        dangling.extend(decision_references(snapshot, &artefacts, decision)?);
    }
    for change in &changes {
        dangling.extend(change_references(snapshot, &artefacts, change)?);
    }
    for (record, reference) in dangling {
        audit.find(FindingKind::DanglingReference(reference), record, None);
    }
    for (record, error) in unparsable {
        audit.find(FindingKind::RecordUnparsable { error }, record, None);
    }
    Ok(())
}

/// The records of one folder that are in scope; those that do not parse are
/// noted in `unparsable` as (path, why).
fn read_records<T>(
    snapshot: &Snapshot<'_>,
    folder: &str,
    path_of: fn(&str) -> String,
    in_scope: &dyn Fn(&str) -> bool,
    unparsable: &mut Vec<(String, String)>,
    read: impl Fn(&str) -> Result<Option<T>>,
) -> Result<Vec<T>> {
    let mut records = Vec::new();
    for name in snapshot.list(folder)? {
        let Some(id) = paths::record_id(&name) else {
            continue;
        };
        let path = path_of(id);
        if !in_scope(&path) {
            continue;
        }
        match read(id) {
            Ok(Some(record)) => records.push(record),
            Ok(None) => {}
            Err(err) => unparsable.push((path, err.message)),
        }
    }
    Ok(records)
}

/// What a decision names that does not exist: artefacts it approves, changes it
/// decides or relates to (as its corrections left them), the decision that
/// superseded it.
fn decision_references(
    snapshot: &Snapshot<'_>,
    artefacts: &HashSet<String>,
    decision: &Decision,
) -> Result<Vec<(String, Dangling)>> {
    let path = paths::decision(&decision.id);
    let mut dangling: Vec<(String, Dangling)> = decision
        .artefacts
        .iter()
        .filter(|a| !artefacts.contains(*a))
        .map(|a| (path.clone(), Dangling::DecisionArtefact(a.clone())))
        .collect();
    let related = decision.relates_to.iter().map(|r| &r.change);
    for change in decision.changes.iter().chain(related) {
        if !snapshot.exists(&paths::change(change))? {
            dangling.push((path.clone(), Dangling::DecisionChange(change.clone())));
        }
    }
    // A newer decision that does not parse is reported where it is read.
    if let Some(newer) = decision.superseded_by()
        && matches!(snapshot.decision(newer), Ok(None))
    {
        dangling.push((path, Dangling::SupersededBy(newer.to_string())));
    }
    Ok(dangling)
}

/// What a change names that does not exist: artefacts it affects, decisions its
/// steps cite.
fn change_references(
    snapshot: &Snapshot<'_>,
    artefacts: &HashSet<String>,
    change: &Change,
) -> Result<Vec<(String, Dangling)>> {
    let path = paths::change(&change.id);
    let mut dangling: Vec<(String, Dangling)> = change
        .affects()
        .iter()
        .filter(|a| !artefacts.contains(*a))
        .map(|a| (path.clone(), Dangling::ChangeAffects(a.clone())))
        .collect();
    for id in change.history.iter().filter_map(|s| s.decision.as_ref()) {
        if !snapshot.exists(&paths::decision(id))? {
            dangling.push((path.clone(), Dangling::StepDecision(id.clone())));
        }
    }
    Ok(dangling)
}

/// Every change and action history (in a range: those the range added or grew)
/// keeps its lifecycle: a step approving a change without a decision, say, added
/// by hand, is found even though the record only grew.
pub(super) fn check_lifecycles(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    only_touched: bool,
) -> Result<()> {
    let touched =
        |path: &str| !only_touched || audit.added.contains_key(path) || audit.grown.contains(path);
    // Records that do not parse are reported by `check_references`.
    let Ok(changes) = snapshot.changes() else {
        return Ok(());
    };
    let mut broken = Vec::new();
    for change in changes.iter().filter(|c| touched(&paths::change(&c.id))) {
        let decision = |id: &str| snapshot.decision(id).ok().flatten();
        let exclusive = |id: &str| approved_exclusive_by(&changes, change, id);
        if let Err(why) = rules::check_history(change, &decision, &exclusive) {
            broken.push((paths::change(&change.id), why));
        }
    }
    for action in snapshot.actions().unwrap_or_default() {
        let path = paths::action(&action.id);
        match rules::check_action_history(&action) {
            Err(why) if touched(&path) => broken.push((path, why)),
            _ => {}
        }
    }
    for (path, why) in broken {
        audit.find(FindingKind::LifecycleBroken { why }, path, None);
    }
    Ok(())
}

/// Whether decision `id` approved a change that excludes `change` (or that it
/// excludes): such a decision rejects `change` with it.
fn approved_exclusive_by(changes: &[Change], change: &Change, id: &str) -> bool {
    changes.iter().any(|other| {
        other.id != change.id
            && (other.excludes.contains(&change.id) || change.excludes.contains(&other.id))
            && other
                .history
                .iter()
                .any(|s| s.state == ChangeState::Approved && s.decision.as_deref() == Some(id))
    })
}

/// The text and dates of every record the walk saw added or grown, as they are
/// now: no bidirectional override hides in a text, no date is out of range
/// (the command line refuses both; a record committed by hand may hold them).
pub(super) fn check_text(audit: &mut Audit<'_>, snapshot: &Snapshot<'_>) -> Result<()> {
    let mut paths: Vec<String> = audit
        .added
        .keys()
        .chain(audit.grown.iter())
        .filter(|p| paths::Record::is_record_place(p))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let Some(blob) = snapshot.blob_id(&path)? else {
            continue;
        };
        let bytes = snapshot.blob(blob)?;
        let Some(table) = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| text.parse::<toml::Table>().ok())
        else {
            continue;
        };
        let mut found = Vec::new();
        scan("", &toml::Value::Table(table), &mut found);
        for kind in found {
            audit.find(kind, path.clone(), None);
        }
    }
    Ok(())
}

/// What is wrong with a record's values, each named by its field.
fn scan(field: &str, value: &toml::Value, found: &mut Vec<FindingKind>) {
    match value {
        toml::Value::String(text) => {
            if text.chars().any(crate::model::is_bidi_control) {
                found.push(FindingKind::TextBidi {
                    field: field.to_string(),
                });
            }
            let looks_like_date = text.len() >= 10 && text.as_bytes()[4] == b'-';
            if let Some(date) = text
                .get(..10)
                .filter(|_| looks_like_date)
                .and_then(|d| d.parse::<crate::model::Date>().ok())
                .filter(|d| !crate::model::date::in_range(*d))
            {
                found.push(FindingKind::DateOutOfRange {
                    field: field.to_string(),
                    date: date.to_string(),
                });
            }
        }
        toml::Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                scan(&format!("{field}[{n}]"), item, found);
            }
        }
        toml::Value::Table(table) => {
            for (key, item) in table {
                let name = if field.is_empty() {
                    key.clone()
                } else {
                    format!("{field}.{key}")
                };
                scan(&name, item, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Design;

    const WHO: &str = "recorded_by = \"Test Designer <designer@example.org>\"\n";

    fn messages(design: &Design, code: &str) -> Vec<String> {
        design
            .verify()
            .findings
            .iter()
            .filter(|f| f.code() == code)
            .map(|f| format!("{}: {}", f.record, f.message()))
            .collect()
    }

    #[test]
    fn a_decision_naming_what_does_not_exist_is_found() {
        let design = Design::with_draft();
        design.commit_by_hand(
            "decisions/DEC2.toml",
            &format!(
                "id = \"DEC2\"\ndate = \"2023-06-05\"\noutcome = \"approved\"\ntext = \"Yes.\"\n\
                 artefacts = [\"DOC\", \"NOPE\"]\nchanges = [\"CR9\"]\n{WHO}\
                 recorded_at = \"2023-06-05T00:00:00Z\"\n"
            ),
        );
        assert_eq!(
            messages(&design, "dangling-reference"),
            [
                "decisions/DEC2.toml: names artefact NOPE, which is not registered",
                "decisions/DEC2.toml: names change CR9, which is not recorded",
            ]
        );
    }

    #[test]
    fn a_change_affecting_an_unregistered_artefact_is_found() {
        let design = Design::with_draft();
        design.change("CR1", "2023-06-04");
        let text = design
            .read("changes/CR1.toml")
            .replace("CR1", "CR2")
            .replace("[\"DOC\"]", "[\"NOPE\"]");
        design.commit_by_hand("changes/CR2.toml", &text);
        assert_eq!(
            messages(&design, "dangling-reference"),
            ["changes/CR2.toml: affects artefact NOPE, which is not registered"]
        );
    }

    #[test]
    fn a_change_approved_without_a_decision_breaks_its_lifecycle() {
        let design = Design::with_draft();
        design.change("CR1", "2023-06-04");
        let mut text = design.read("changes/CR1.toml");
        text.push_str(&format!(
            "\n[[history]]\nstate = \"approved\"\ndate = \"2023-06-05\"\n{WHO}\
             recorded_at = \"2023-06-05T00:00:00Z\"\n"
        ));
        // Only grown, so the walk lets it be; its lifecycle does not.
        design.commit_by_hand("changes/CR1.toml", &text);
        let findings = design.findings();
        assert_eq!(findings, ["lifecycle-broken changes/CR1.toml"]);
    }

    #[test]
    fn a_decision_record_that_does_not_parse_is_found() {
        let design = Design::with_draft();
        design.commit_by_hand("decisions/DEC2.toml", "id = \"DEC2\"\ndate = [not toml\n");
        assert_eq!(design.findings(), ["record-unparsable decisions/DEC2.toml"]);
    }

    #[test]
    fn hidden_text_and_impossible_dates_in_records_committed_by_hand_are_found() {
        let design = Design::with_baseline();
        design.commit_by_hand(
            "decisions/DEC9.toml",
            "id = \"DEC9\"\ndate = \"1823-06-05\"\noutcome = \"noted\"\ntext = \"Noted \\u202Eexe.txt\"\n\
             recorded_by = \"Test Designer <designer@example.org>\"\nrecorded_at = \"2023-06-05T00:00:00Z\"\n",
        );
        let findings = design.findings();
        assert!(
            findings.contains(&"text-bidi decisions/DEC9.toml".to_string()),
            "{findings:?}"
        );
        assert!(
            findings.contains(&"date-out-of-range decisions/DEC9.toml".to_string()),
            "{findings:?}"
        );
    }
}
