//! What may happen: pure functions over the model, so every rule is unit-testable
//! and every refusal says which record broke which rule and how to put it right.

pub mod adoption;
pub mod release;
use crate::error::{Error, Result};
use crate::model::config::Policy;
use crate::model::{
    Change, ChangeState, Date, Decision, Outcome, Status, VersionNumber, VersionRecord,
};

/// The number a new version gets: the explicit one if it is higher than every
/// recorded version, else the default.
pub fn new_version_number(
    artefact: &str,
    versions: &[VersionRecord],
    explicit: Option<&VersionNumber>,
    default: fn(Option<&VersionNumber>) -> VersionNumber,
) -> Result<VersionNumber> {
    let highest = versions.iter().map(|v| &v.version).max();
    match (explicit, highest) {
        (Some(wanted), Some(highest)) if wanted <= highest => Err(Error::refused(
            format!(
                "{artefact} version {wanted} is not higher than {highest}, the highest recorded; version numbers only increase and are never reused"
            ),
            format!("leave out --version to take the next one, or give one above {highest}"),
        )),
        (Some(wanted), _) => Ok(wanted.clone()),
        (None, highest) => Ok(default(highest)),
    }
}

/// A decision cited for a recorded change of `what` ("the approvers", "the
/// policy") taking effect on `date`: recorded, approved, and dated on or
/// before it.
pub fn deciding_change<'d>(
    id: &str,
    decision: Option<&'d Decision>,
    date: Date,
    what: &str,
) -> Result<&'d Decision> {
    let decision = decision.ok_or_else(|| {
        Error::refused(
            format!("decision {id} is not recorded"),
            format!("record it first with `baseline decision add {id} …`"),
        )
    })?;
    if decision.outcome != Outcome::Approved || decision.date > date {
        return Err(Error::refused(
            format!(
                "decision {id} ({} on {}) cannot change {what} on {date}: it must be approved and dated on or before it",
                decision.outcome, decision.date
            ),
            format!("cite the approved decision that changed {what}, or give its --date"),
        ));
    }
    Ok(decision)
}

/// An approver appointed by a decision dated `decided` may sign from then
/// on, not before; and one removed on `removed` is appointed again only by a
/// decision taken since, not by the one that first appointed them.
pub fn check_appointment(
    name: &str,
    from: Date,
    decision: &str,
    decided: Date,
    removed: Option<Date>,
) -> Result<()> {
    if from < decided {
        return Err(Error::refused(
            format!("{name} would sign from {from}, before {decision} appointed them on {decided}"),
            format!("give --from {decided} or later"),
        ));
    }
    if let Some(removed) = removed
        && decided < removed
    {
        return Err(Error::refused(
            format!(
                "{decision} was decided on {decided}, before {name} was removed on {removed}: it cannot appoint them again"
            ),
            format!("cite the decision that appointed {name} again, dated {removed} or later"),
        ));
    }
    Ok(())
}

/// A version may not be dated before the one it follows.
pub fn check_date_order(artefact: &str, versions: &[VersionRecord], date: Date) -> Result<()> {
    match versions.last() {
        Some(last) if date < last.date => Err(Error::refused(
            format!(
                "{artefact}: the date {date} is before {}, the date of version {}",
                last.date, last.version
            ),
            format!("use --date {} or later", last.date),
        )),
        _ => Ok(()),
    }
}

/// A draft must differ from the latest recorded version.
pub fn check_draft_changed(artefact: &str, versions: &[VersionRecord], sha256: &str) -> Result<()> {
    match versions.last() {
        Some(latest) if latest.sha256 == sha256 => Err(Error::refused(
            format!(
                "nothing changed: {artefact}'s working file is identical to version {} (sha256 {})",
                latest.version,
                short(sha256)
            ),
            format!(
                "edit artefacts/{artefact}/{} (or pass a new FILE) before recording a draft",
                latest.file
            ),
        )),
        _ => Ok(()),
    }
}

/// Changes cited by a draft or baseline must exist, affect the artefact, and be
/// neither rejected nor withdrawn.
pub fn check_cited_changes(artefact: &str, changes: &[(String, Option<Change>)]) -> Result<()> {
    for (id, change) in changes {
        let change = change.as_ref().ok_or_else(|| {
            Error::refused(
                format!("no change {id} is recorded"),
                format!("raise it with `baseline change add {id} --title … --affects {artefact}`, or check the id with `baseline change list`"),
            )
        })?;
        if matches!(
            change.state(),
            ChangeState::Rejected | ChangeState::Withdrawn
        ) {
            return Err(Error::refused(
                format!("change {id} is {} and can never be cited", change.state()),
                "cite the change that replaced it, or none",
            ));
        }
        if !change.affects_artefact(artefact) {
            return Err(Error::refused(
                format!(
                    "change {id} does not affect {artefact} (it affects {})",
                    list(change.affects())
                ),
                format!(
                    "cite a change whose `affects` lists {artefact}, or correct it with `baseline change amend {id} --affects …`"
                ),
            ));
        }
    }
    Ok(())
}

/// Everything a baseline needs to be checked.
pub struct BaselineRequest<'a> {
    pub artefact: &'a str,
    pub versions: &'a [VersionRecord],
    pub draft: Option<&'a VersionNumber>,
    pub version: Option<&'a VersionNumber>,
    pub date: Date,
    pub decisions: &'a [(String, Option<Decision>)],
    pub changes: &'a [(String, Option<Change>)],
    pub policy: &'a Policy,
}

/// Which draft a baseline promotes, and the number it gets.
#[derive(Debug)]
pub struct BaselinePlan {
    pub promotes: VersionRecord,
    pub version: VersionNumber,
}

pub fn check_baseline(request: &BaselineRequest<'_>) -> Result<BaselinePlan> {
    let artefact = request.artefact;
    let promotes = draft_to_promote(artefact, request.versions, request.draft)?;
    if request.date < promotes.date {
        return Err(Error::refused(
            format!(
                "{artefact}: a baseline dated {} cannot promote draft {}, recorded for {}",
                request.date, promotes.version, promotes.date
            ),
            format!("use --date {} or later", promotes.date),
        ));
    }
    check_date_order(artefact, request.versions, request.date)?;
    check_decisions(artefact, request.decisions, request.date)?;
    check_cited_changes(artefact, request.changes)?;
    check_changes_approved(artefact, request.changes, request.date)?;
    let under_control = request
        .versions
        .iter()
        .any(|v| v.status == Status::Baselined);
    if under_control && request.policy.change_control && request.changes.is_empty() {
        let current = request
            .versions
            .iter()
            .rev()
            .find(|v| v.status == Status::Baselined)
            .map(|v| v.version.to_string())
            .unwrap_or_default();
        return Err(Error::refused(
            format!(
                "{artefact} is under change control (baselined at {current}): a new baseline must cite an approved change that affects it"
            ),
            "add --change CR… naming an approved change request; see `baseline change list`",
        ));
    }
    let version = new_version_number(
        artefact,
        request.versions,
        request.version,
        VersionNumber::next_major,
    )?;
    Ok(BaselinePlan {
        promotes: promotes.clone(),
        version,
    })
}

fn draft_to_promote<'v>(
    artefact: &str,
    versions: &'v [VersionRecord],
    wanted: Option<&VersionNumber>,
) -> Result<&'v VersionRecord> {
    match wanted {
        Some(number) => {
            let found = versions
                .iter()
                .find(|v| &v.version == number)
                .ok_or_else(|| {
                    Error::refused(
                        format!("{artefact} has no version {number}"),
                        format!("see the recorded versions with `baseline log {artefact}`"),
                    )
                })?;
            if found.status != Status::Draft {
                return Err(Error::refused(
                    format!(
                        "{artefact} {number} is {}, not a draft: only a recorded draft can be baselined",
                        found.status
                    ),
                    "name a draft with --draft, or record one with `baseline draft`",
                ));
            }
            Ok(found)
        }
        None => match versions.last() {
            None => Err(Error::refused(
                format!("{artefact} has no recorded draft to baseline"),
                format!("record one first with `baseline draft {artefact}`"),
            )),
            Some(latest) if latest.status != Status::Draft => Err(Error::refused(
                format!(
                    "{artefact}'s latest version {} is already baselined; there is no newer draft to baseline",
                    latest.version
                ),
                format!("record the revised content with `baseline draft {artefact}` first"),
            )),
            Some(latest) => Ok(latest),
        },
    }
}

/// A decision cited as approving a `what` (a baseline, a release) dated
/// `date`: recorded, approved, and dated on or before it.
pub fn approving_decision<'d>(
    id: &str,
    decision: Option<&'d Decision>,
    date: Date,
    what: &str,
) -> Result<&'d Decision> {
    let decision = decision.ok_or_else(|| {
        Error::refused(
            format!("no decision {id} is recorded"),
            format!("record it first with `baseline decision add {id} …`, or check the id with `baseline decision list`"),
        )
    })?;
    if decision.outcome != Outcome::Approved {
        return Err(Error::refused(
            format!(
                "decision {id} has outcome `{}`, and only an approved decision can approve a {what}",
                decision.outcome
            ),
            format!("cite the decision that approved the {what}"),
        ));
    }
    if decision.date > date {
        return Err(Error::refused(
            format!(
                "decision {id} is dated {}, after the {what} date {date}",
                decision.date
            ),
            format!(
                "date the {what} on or after the decision: --date {}",
                decision.date
            ),
        ));
    }
    Ok(decision)
}

fn check_decisions(
    artefact: &str,
    decisions: &[(String, Option<Decision>)],
    date: Date,
) -> Result<()> {
    if decisions.is_empty() {
        return Err(Error::usage(
            format!("a baseline of {artefact} needs the decision that approved it"),
            "add --decision DEC… naming an approved decision",
        ));
    }
    for (id, decision) in decisions {
        let decision = approving_decision(id, decision.as_ref(), date, "baseline")?;
        if let Some(newer) = decision.superseded_by() {
            return Err(Error::refused(
                format!("decision {id} was superseded by {newer}"),
                format!("cite {newer}, or the decision that approved {artefact} since"),
            ));
        }
        if !decision.covers(artefact) {
            let corrected = match decision.corrections.len() {
                0 => String::new(),
                n => format!(" since correction {n}"),
            };
            return Err(Error::refused(
                format!(
                    "decision {id} approves {}{corrected}, not {artefact}",
                    list(&decision.artefacts)
                ),
                format!("cite the decision that approved {artefact}"),
            ));
        }
    }
    Ok(())
}

fn check_changes_approved(
    artefact: &str,
    changes: &[(String, Option<Change>)],
    date: Date,
) -> Result<()> {
    for (id, change) in changes {
        let Some(change) = change else { continue };
        match change.approval() {
            Some(step) if change.state() == ChangeState::Approved && step.date <= date => {}
            Some(step) if change.state() == ChangeState::Approved => {
                return Err(Error::refused(
                    format!(
                        "change {id} was approved on {}, after the baseline date {date}",
                        step.date
                    ),
                    format!("baseline {artefact} on or after {}", step.date),
                ));
            }
            _ => {
                return Err(Error::refused(
                    format!(
                        "change {id} is {}, not approved: a baseline can only implement approved changes",
                        change.state()
                    ),
                    format!(
                        "approve it first with `baseline change set {id} approved --decision DEC…`"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The lifecycle: raised → impact-assessment → approved | rejected | withdrawn |
/// deferred; a deferred change may come back; a closed one never moves again.
pub fn transition_allowed(from: ChangeState, to: ChangeState) -> bool {
    match from {
        ChangeState::Raised => matches!(
            to,
            ChangeState::ImpactAssessment
                | ChangeState::Rejected
                | ChangeState::Withdrawn
                | ChangeState::Deferred
        ),
        ChangeState::ImpactAssessment | ChangeState::Deferred => !matches!(to, ChangeState::Raised),
        ChangeState::Approved | ChangeState::Rejected | ChangeState::Withdrawn => false,
    }
}

/// What is wrong with a change's recorded history, if anything: it starts raised,
/// each step is a move the lifecycle allows, dated in order, and an approval or
/// rejection cites a decision (`decision` looks one up) that could make it — an
/// approving decision for an approval; for a rejection, one that decides the
/// change or approved a change exclusive with it.
pub fn check_history(
    change: &Change,
    decision: &dyn Fn(&str) -> Option<Decision>,
    exclusive: &dyn Fn(&str) -> bool,
) -> std::result::Result<(), String> {
    let Some(first) = change.history.first() else {
        return Err("its history is empty".into());
    };
    if first.state != ChangeState::Raised {
        return Err(format!("its history starts {}, not raised", first.state));
    }
    for (n, step) in change.history.iter().enumerate().skip(1) {
        let before = &change.history[n - 1];
        let at = format!("step {} ({} on {})", n + 1, step.state, step.date);
        if !transition_allowed(before.state, step.state) {
            return Err(format!(
                "{at} follows {}, which the lifecycle does not allow",
                before.state
            ));
        }
        if step.date < before.date {
            return Err(format!(
                "{at} is dated before the step it follows ({})",
                before.date
            ));
        }
        if step.state == before.state && step.date == before.date {
            return Err(format!("{at} repeats the step before it"));
        }
        let closing = matches!(step.state, ChangeState::Approved | ChangeState::Rejected);
        let cited = step.decision.as_deref().and_then(decision);
        match (closing, &step.decision, cited) {
            (true, None, _) => return Err(format!("{at} cites no decision")),
            (_, Some(_), None) => {}
            (_, Some(id), Some(d)) => {
                if d.date > step.date {
                    return Err(format!("{at} cites {id}, dated later ({})", d.date));
                }
                let decides = d.changes.is_empty() || d.changes.contains(&change.id);
                let allowed = match step.state {
                    ChangeState::Approved => d.outcome == Outcome::Approved && decides,
                    ChangeState::Rejected => decides || exclusive(id),
                    _ => true,
                };
                if !allowed {
                    return Err(format!("{at} cites {id}, which could not make it"));
                }
            }
            (false, None, _) => {}
        }
    }
    Ok(())
}

/// What is wrong with an action's recorded history, if anything: it starts open,
/// its steps are dated in order, and nothing follows its closing.
pub fn check_action_history(action: &crate::model::Action) -> std::result::Result<(), String> {
    use crate::model::ActionState;
    match action.history.first() {
        None => return Err("its history is empty".into()),
        Some(first) if first.state != ActionState::Open => {
            return Err(format!("its history starts {}, not open", first.state));
        }
        Some(_) => {}
    }
    for (n, step) in action.history.iter().enumerate().skip(1) {
        let before = &action.history[n - 1];
        if before.state == ActionState::Closed {
            return Err(format!("step {} follows its closing", n + 1));
        }
        if step.date < before.date {
            return Err(format!(
                "step {} ({} on {}) is dated before the step it follows ({})",
                n + 1,
                step.state,
                step.date,
                before.date
            ));
        }
    }
    Ok(())
}

/// Whether a change may move to `to` on `date`, by `decision` if one is named.
pub fn check_transition(
    change: &Change,
    to: ChangeState,
    date: Date,
    decision: Option<&Decision>,
) -> Result<()> {
    let from = change.state();
    if !transition_allowed(from, to) {
        let hint = if from.is_closed() {
            format!(
                "{} is closed; raise a new change to reopen the matter",
                change.id
            )
        } else {
            "a change goes raised → impact-assessment → approved | rejected | withdrawn | deferred"
                .to_string()
        };
        return Err(Error::refused(
            format!("change {} cannot go from {from} to {to}", change.id),
            hint,
        ));
    }
    check_step_date(change, date)?;
    if let Some(last) = change
        .history
        .last()
        .filter(|l| l.state == to && l.date == date)
    {
        return Err(Error::refused(
            format!(
                "change {} is already {to} on {}: that step is recorded",
                change.id, last.date
            ),
            "record a step only once; a later assessment takes a later --date",
        ));
    }
    match (to, decision) {
        (ChangeState::Approved | ChangeState::Rejected, None) => Err(Error::refused(
            format!("change {} can only be {to} by a decision", change.id),
            "add --decision DEC… naming the decision that made it",
        )),
        (ChangeState::Approved, Some(d)) if d.outcome != Outcome::Approved => Err(Error::refused(
            format!(
                "decision {} has outcome `{}`, so it cannot approve {}",
                d.id, d.outcome, change.id
            ),
            "cite the decision that approved the change",
        )),
        (_, Some(d)) if d.date > date => Err(Error::refused(
            format!(
                "decision {} is dated {}, after this step's date {date}",
                d.id, d.date
            ),
            format!("use --date {} or later", d.date),
        )),
        (_, Some(d)) if !d.changes.is_empty() && !d.changes.iter().any(|c| c == &change.id) => {
            Err(Error::refused(
                format!(
                    "decision {} decides {}, not {}",
                    d.id,
                    list(&d.changes),
                    change.id
                ),
                "cite the decision that decided this change",
            ))
        }
        _ => Ok(()),
    }
}

/// The changes that approving `approving` on `date` by `decision` rejects (see
/// [`excluded_by`]), each with its rejection step appended and noted as such.
pub fn reject_excluded(
    approving: &Change,
    all: &[Change],
    date: Date,
    decision: Option<&str>,
    recorded_by: &str,
    recorded_at: crate::model::Timestamp,
) -> Result<Vec<Change>> {
    let mut rejected = Vec::new();
    for other in excluded_by(approving, all)? {
        check_step_date(other, date)?;
        let mut other = other.clone();
        other.history.push(crate::model::ChangeStep {
            state: ChangeState::Rejected,
            date,
            decision: decision.map(str::to_string),
            release: None,
            note: Some(format!(
                "rejected: mutually exclusive with {}, which {} approved",
                approving.id,
                decision.unwrap_or("a decision")
            )),
            recorded_by: recorded_by.to_string(),
            recorded_at,
        });
        rejected.push(other);
    }
    Ok(rejected)
}

/// A change's steps are dated in order.
pub fn check_step_date(change: &Change, date: Date) -> Result<()> {
    match change.history.last().filter(|last| date < last.date) {
        Some(last) => Err(Error::refused(
            format!(
                "change {}: the date {date} is before its last step ({} on {})",
                change.id, last.state, last.date
            ),
            format!("use --date {} or later", last.date),
        )),
        None => Ok(()),
    }
}

/// The changes that approving `approving` rejects: those it excludes and those that
/// exclude it. Refuses if one of them is already approved.
pub fn excluded_by<'c>(approving: &Change, all: &'c [Change]) -> Result<Vec<&'c Change>> {
    let mut rejected = Vec::new();
    for other in all.iter().filter(|c| c.id != approving.id) {
        let exclusive =
            approving.excludes.contains(&other.id) || other.excludes.contains(&approving.id);
        if !exclusive {
            continue;
        }
        match other.state() {
            ChangeState::Approved => {
                return Err(Error::refused(
                    format!(
                        "{} and {} are mutually exclusive, and {} is already approved",
                        approving.id, other.id, other.id
                    ),
                    "only one of two mutually exclusive changes can be approved",
                ));
            }
            ChangeState::Rejected | ChangeState::Withdrawn => {}
            _ => rejected.push(other),
        }
    }
    Ok(rejected)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "nothing".to_string()
    } else {
        items.join(", ")
    }
}

fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

/// Refuses a one-line field (a title, an authority) that holds a line break or
/// another control character: it would break the register, commit messages and
/// the headers of diffs.
pub fn check_one_line(what: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::usage(
            format!("{what} is empty"),
            format!("give the {what}"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::usage(
            format!(
                "{what} \"{}\" holds a line break or another control character",
                text.escape_debug()
            ),
            format!("write the {what} on one line"),
        ));
    }
    if text.chars().any(crate::model::is_bidi_control) {
        return Err(Error::usage(
            format!(
                "{what} \"{}\" holds a bidirectional override, which makes it read in another order than it is written",
                text.escape_debug()
            ),
            format!("type the {what} again without it"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChangeKind, Timestamp};

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn version(number: &str, status: Status, day: &str) -> VersionRecord {
        VersionRecord {
            artefact: "DOC".into(),
            version: number.parse().unwrap(),
            status,
            date: date(day),
            recorded_by: "T <t@example.org>".into(),
            recorded_at: Timestamp::UNIX_EPOCH,
            sha256: format!("{:0>64}", number.replace('.', "")),
            blob: "0".repeat(40),
            file: "doc.md".into(),
            size: 1,
            promotes: None,
            adopted: None,
            decisions: vec![],
            changes: vec![],
            note: None,
            signed_by: None,
        }
    }

    pub(super) fn decision(id: &str, outcome: Outcome, day: &str, artefacts: &[&str]) -> Decision {
        Decision {
            id: id.into(),
            date: date(day),
            outcome,
            text: "t".into(),
            meeting: None,
            area: None,
            authority: None,
            artefacts: artefacts.iter().map(|a| a.to_string()).collect(),
            changes: vec![],
            relates_to: Vec::new(),
            votes: None,
            recorded_by: "T".into(),
            recorded_at: Timestamp::UNIX_EPOCH,
            corrections: vec![],
        }
    }

    fn change(id: &str, states: &[(ChangeState, &str)]) -> Change {
        Change {
            id: id.into(),
            kind: ChangeKind::Cr,
            title_as_raised: "t".into(),
            affects_as_raised: vec!["DOC".into()],
            amendments: vec![],
            excludes: vec![],
            recorded_by: "T".into(),
            history: states
                .iter()
                .map(|(state, day)| crate::model::ChangeStep {
                    state: *state,
                    date: date(day),
                    decision: Some("D1".into()),
                    release: None,
                    note: None,
                    recorded_by: "T".into(),
                    recorded_at: Timestamp::UNIX_EPOCH,
                })
                .collect(),
        }
    }

    fn request<'a>(
        versions: &'a [VersionRecord],
        decisions: &'a [(String, Option<Decision>)],
        changes: &'a [(String, Option<Change>)],
        policy: &'a Policy,
        day: &str,
    ) -> BaselineRequest<'a> {
        BaselineRequest {
            artefact: "DOC",
            versions,
            draft: None,
            version: None,
            date: date(day),
            decisions,
            changes,
            policy,
        }
    }

    #[test]
    fn a_first_baseline_promotes_the_latest_draft_to_the_next_major() {
        let versions = [
            version("0.1", Status::Draft, "2023-06-01"),
            version("0.2", Status::Draft, "2023-06-02"),
        ];
        let decisions = [(
            "D1".to_string(),
            Some(decision("D1", Outcome::Approved, "2023-07-01", &["DOC"])),
        )];
        let plan = check_baseline(&request(
            &versions,
            &decisions,
            &[],
            &Policy::default(),
            "2023-07-01",
        ))
        .unwrap();
        assert_eq!(plan.promotes.version.to_string(), "0.2");
        assert_eq!(plan.version.to_string(), "1.0");
    }

    #[test]
    fn under_change_control_an_approved_change_is_required() {
        let versions = [
            version("0.1", Status::Draft, "2023-06-01"),
            version("1.0", Status::Baselined, "2023-06-02"),
            version("1.1", Status::Draft, "2023-06-03"),
        ];
        let decisions = [(
            "D1".to_string(),
            Some(decision("D1", Outcome::Approved, "2023-06-01", &[])),
        )];
        let policy = Policy::default();
        let refused = check_baseline(&request(&versions, &decisions, &[], &policy, "2023-07-01"))
            .unwrap_err();
        assert!(refused.message.contains("under change control"));
        let approved = [(
            "CR1".to_string(),
            Some(change(
                "CR1",
                &[
                    (ChangeState::Raised, "2023-06-01"),
                    (ChangeState::Approved, "2023-06-20"),
                ],
            )),
        )];
        let plan = check_baseline(&request(
            &versions,
            &decisions,
            &approved,
            &policy,
            "2023-07-01",
        ))
        .unwrap();
        assert_eq!(plan.version.to_string(), "2.0");
        let late = check_baseline(&request(
            &versions,
            &decisions,
            &approved,
            &policy,
            "2023-06-10",
        ))
        .unwrap_err();
        assert!(
            late.message
                .contains("approved on 2023-06-20, after the baseline date")
        );
        let off = Policy {
            change_control: false,
            ..Policy::default()
        };
        assert!(check_baseline(&request(&versions, &decisions, &[], &off, "2023-07-01")).is_ok());
    }

    #[test]
    fn transitions_follow_the_lifecycle() {
        let raised = change("CR1", &[(ChangeState::Raised, "2023-06-01")]);
        let approving = decision("D1", Outcome::Approved, "2023-06-05", &[]);
        let day = date("2023-06-05");
        assert!(check_transition(&raised, ChangeState::ImpactAssessment, day, None).is_ok());
        assert!(check_transition(&raised, ChangeState::Approved, day, Some(&approving)).is_err());
        let assessed = change(
            "CR1",
            &[
                (ChangeState::Raised, "2023-06-01"),
                (ChangeState::ImpactAssessment, "2023-06-02"),
            ],
        );
        assert!(check_transition(&assessed, ChangeState::Approved, day, Some(&approving)).is_ok());
        assert!(check_transition(&assessed, ChangeState::Approved, day, None).is_err());
        assert!(
            check_transition(&assessed, ChangeState::ImpactAssessment, day, None).is_ok(),
            "a second impact assessment"
        );
        assert!(
            check_transition(
                &assessed,
                ChangeState::ImpactAssessment,
                date("2023-06-02"),
                None
            )
            .is_err(),
            "the same impact assessment again"
        );
        let repeated = change(
            "CR1",
            &[
                (ChangeState::Raised, "2023-06-01"),
                (ChangeState::ImpactAssessment, "2023-06-02"),
                (ChangeState::ImpactAssessment, "2023-06-02"),
            ],
        );
        assert_eq!(
            check_history(&repeated, &|_| None, &|_| false),
            Err("step 3 (impact-assessment on 2023-06-02) repeats the step before it".into())
        );
        let closed = change(
            "CR1",
            &[
                (ChangeState::Raised, "2023-06-01"),
                (ChangeState::Withdrawn, "2023-06-02"),
            ],
        );
        for to in [
            ChangeState::Raised,
            ChangeState::ImpactAssessment,
            ChangeState::Approved,
            ChangeState::Deferred,
        ] {
            assert!(
                check_transition(&closed, to, day, Some(&approving)).is_err(),
                "{to}"
            );
        }
    }

    #[test]
    fn exclusion_is_mutual_and_refuses_a_second_approval() {
        let mut cr18 = change("CR018", &[(ChangeState::ImpactAssessment, "2023-06-01")]);
        cr18.excludes = vec!["CR017".into()];
        let cr17 = change("CR017", &[(ChangeState::ImpactAssessment, "2023-06-01")]);
        let all = [cr17.clone(), cr18.clone()];
        assert_eq!(excluded_by(&cr18, &all).unwrap()[0].id, "CR017");
        assert_eq!(excluded_by(&cr17, &all).unwrap()[0].id, "CR018");
        let approved17 = change("CR017", &[(ChangeState::Approved, "2023-06-01")]);
        assert!(excluded_by(&cr18, &[approved17, cr18.clone()]).is_err());
    }

    #[test]
    fn recorded_histories_keep_the_lifecycle() {
        let d1 = decision("D1", Outcome::Approved, "2023-01-01", &[]);
        let find = |id: &str| (id == "D1").then(|| d1.clone());
        let never = |_: &str| false;
        let ok = change(
            "CR1",
            &[
                (ChangeState::Raised, "2023-01-01"),
                (ChangeState::ImpactAssessment, "2023-01-02"),
                (ChangeState::Approved, "2023-01-03"),
            ],
        );
        assert_eq!(check_history(&ok, &find, &never), Ok(()));
        let skipped = change(
            "CR1",
            &[
                (ChangeState::Raised, "2023-01-01"),
                (ChangeState::Approved, "2023-01-03"),
            ],
        );
        assert!(
            check_history(&skipped, &find, &never)
                .unwrap_err()
                .contains("does not allow")
        );
        let mut undecided = ok.clone();
        undecided.history[2].decision = None;
        assert!(
            check_history(&undecided, &find, &never)
                .unwrap_err()
                .contains("cites no decision")
        );
        let backwards = change(
            "CR1",
            &[
                (ChangeState::Raised, "2023-01-05"),
                (ChangeState::ImpactAssessment, "2023-01-02"),
            ],
        );
        assert!(
            check_history(&backwards, &find, &never)
                .unwrap_err()
                .contains("dated before")
        );
        // Rejected by a decision about another change: only as an exclusion.
        let d2 = decision("D2", Outcome::Approved, "2023-01-01", &[]);
        let other = |id: &str| {
            (id == "D2").then(|| Decision {
                changes: vec!["CR9".into()],
                ..d2.clone()
            })
        };
        let mut excluded = change(
            "CR1",
            &[
                (ChangeState::Raised, "2023-01-01"),
                (ChangeState::Rejected, "2023-01-03"),
            ],
        );
        excluded.history[1].decision = Some("D2".into());
        assert!(check_history(&excluded, &other, &never).is_err());
        assert_eq!(check_history(&excluded, &other, &|id| id == "D2"), Ok(()));
    }
}
