//! `baseline action close`: closes an action of a meeting.

use crate::error::{Error, Result};
use crate::model::trailers::{self, CommitMessage};
use crate::model::{Action, ActionState, ActionStep, Date, date, paths};
use crate::repo::Repo;

/// Closes action `id` with a note saying what was done; returns the action.
pub fn close(repo: &Repo, id: &str, note: &str, date: Option<Date>) -> Result<Action> {
    let note = note.trim();
    if note.is_empty() {
        return Err(Error::usage(
            "--note is empty",
            "say what was done, e.g. --note \"CR024 v2.0 provided to the Programme\"",
        ));
    }
    let mut tx = repo.begin(format!("action close {id}"))?;
    let mut action = tx.snapshot().require_action(id)?;
    if action.state() == ActionState::Closed {
        return Err(Error::refused(
            format!("action {id} is already closed"),
            format!("see how with `baseline action show {id}`"),
        ));
    }
    let date = date.unwrap_or_else(date::today);
    if let Some(last) = action.history.last().filter(|last| date < last.date) {
        return Err(Error::refused(
            format!(
                "action {id}: the date {date} is before its last step ({} on {})",
                last.state, last.date
            ),
            format!("use --date {} or later", last.date),
        ));
    }
    action.history.push(ActionStep {
        state: ActionState::Closed,
        date,
        meeting: None,
        due: None,
        note: Some(note.to_string()),
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
    });
    tx.append_record(&paths::action(&action.id), &action)?;
    tx.commit(
        &CommitMessage::new(format!("Close action {}", action.id))
            .line(note)
            .trailer(trailers::COMMAND, "action close")
            .trailer(trailers::ACTION, &action.id),
    )?;
    Ok(action)
}
