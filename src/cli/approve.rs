use std::io::Write;

use crate::error::Result;
use crate::model::trailers::{self, CommitMessage};
use crate::model::{Date, Status, VersionNumber, VersionRecord, date, paths};
use crate::repo::Repo;
use crate::rules::{self, BaselineRequest};

use super::output::{paint, short_sha};
use super::style;

/// Baseline a recorded draft, on the decision that approved it.
///
/// Promotes the draft byte for byte (default: the latest) to the next major version
/// (1.0, 2.0 …), commits the version record and tags the commit ID/vX.Y. Refused
/// unless every decision exists, is approved, is dated on or before the baseline and
/// (where it lists artefacts) names this one; once the artefact has a baseline, an
/// approved change request affecting it must be cited too.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The artefact's id.
    pub id: String,
    /// The decision that approved the baseline (repeatable; at least one).
    #[arg(long = "decision", value_name = "DEC", required = true)]
    pub decisions: Vec<String>,
    /// An approved change request the baseline implements (repeatable).
    #[arg(long = "change", value_name = "CR")]
    pub changes: Vec<String>,
    /// The draft to promote (default: the latest recorded version, which must be a draft).
    #[arg(long, value_name = "V")]
    pub draft: Option<VersionNumber>,
    /// The version number to give it, if not the next major.
    #[arg(long, value_name = "V")]
    pub version: Option<VersionNumber>,
    /// The baseline date, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = date::date_arg)]
    pub date: Option<Date>,
    /// A note kept with the baseline.
    #[arg(short, long, value_name = "NOTE")]
    pub message: Option<String>,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let mut tx = repo.begin(format!("approve {}", args.id))?;
    let snapshot = tx.snapshot();
    let config = tx.config()?;
    let artefact = snapshot.require_artefact(&args.id)?;
    let versions = snapshot.versions(&artefact.id)?;
    let decisions = args
        .decisions
        .iter()
        .map(|id| Ok((id.clone(), snapshot.decision(id)?)))
        .collect::<Result<Vec<_>>>()?;
    let changes = args
        .changes
        .iter()
        .map(|id| Ok((id.clone(), snapshot.change(id)?)))
        .collect::<Result<Vec<_>>>()?;
    let date = args.date.unwrap_or_else(date::today);
    let plan = rules::check_baseline(&BaselineRequest {
        artefact: &artefact.id,
        versions: &versions,
        draft: args.draft.as_ref(),
        version: args.version.as_ref(),
        date,
        decisions: &decisions,
        changes: &changes,
        policy: &config.policy,
    })?;
    let draft = plan.promotes;
    let version = plan.version;
    // What is baselined is what the draft recorded: read it and check its hash.
    repo.version_content(&draft)?;
    let record = VersionRecord {
        artefact: artefact.id.clone(),
        version: version.clone(),
        status: Status::Baselined,
        date,
        recorded_by: repo.identity()?,
        recorded_at: crate::model::date::now(),
        sha256: draft.sha256.clone(),
        blob: draft.blob.clone(),
        file: draft.file.clone(),
        size: draft.size,
        promotes: Some(draft.version.clone()),
        decisions: args.decisions.clone(),
        changes: args.changes.clone(),
        note: args.message.clone(),
    };
    tx.create_record(&paths::version(&artefact.id, &version), &record)?;
    let tag = paths::tag(&artefact.id, &version);
    tx.tag(&tag, record.tag_message(&artefact.title))?;
    let mut message = CommitMessage::new(format!(
        "Baseline {} v{version} ({})",
        artefact.id,
        args.decisions.join(", ")
    ))
    .line(format!(
        "Promotes draft {} of {} byte for byte.",
        draft.version, artefact.title
    ));
    if let Some(note) = &args.message {
        message = message.line(note.clone());
    }
    tx.commit(
        &message
            .trailer(trailers::COMMAND, "approve")
            .trailer(trailers::ARTEFACT, &artefact.id)
            .trailer(trailers::VERSION, &version)
            .trailer(trailers::STATUS, "baselined")
            .trailer(trailers::PROMOTES, &draft.version)
            .trailer(trailers::SHA256, &record.sha256)
            .trailers(trailers::DECISION, &args.decisions)
            .trailers(trailers::CHANGE, &args.changes),
    )?;
    writeln!(
        super::output::stdout(),
        "Baselined {} {} ({}) from draft {} on {}, sha256 {}, tag {}",
        artefact.id,
        paint(&version, style::HEADING),
        paint("baselined", style::BASELINED),
        draft.version,
        args.decisions.join(", "),
        short_sha(&record.sha256),
        tag
    )?;
    Ok(())
}
