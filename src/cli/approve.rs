use std::io::Write;

use crate::error::Result;
use crate::model::{Date, VersionNumber};
use crate::ops::approve::{ApproveOptions, approve};
use crate::repo::Repo;

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
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
    /// A note kept with the baseline.
    #[arg(short, long, value_name = "NOTE")]
    pub message: Option<String>,
    /// Sign the tag with your git signing setup (gpg.format ssh and
    /// user.signingkey): your key must be an approver's (`baseline approver
    /// list`), valid on the baseline's date. Required when the policy
    /// require_signed_baselines is on.
    #[arg(long)]
    pub sign: bool,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let approved = approve(
        repo,
        &ApproveOptions {
            artefact: &args.id,
            decisions: &args.decisions,
            changes: &args.changes,
            draft: args.draft.as_ref(),
            version: args.version.as_ref(),
            date: args.date,
            message: args.message.as_deref(),
            sign: args.sign,
        },
    )?;
    let record = &approved.record;
    writeln!(
        super::output::stdout(),
        "Baselined {} {} ({}) from draft {} on {}, sha256 {}, tag {}",
        record.artefact,
        paint(&record.version, style::HEADING),
        paint("baselined", style::BASELINED),
        approved.promoted,
        record.decisions.join(", "),
        short_sha(&record.sha256),
        approved.tag
    )?;
    if let Some(signer) = &record.signed_by {
        writeln!(
            super::output::stdout(),
            "Signed by {} as {} (key {}): {}",
            super::output::shown(&signer.name),
            super::output::shown(&signer.role),
            signer.key,
            record.meaning()
        )?;
    }
    Ok(())
}
