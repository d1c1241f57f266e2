use std::io::Write;

use crate::error::Result;
use crate::ops::sync::SyncOptions;
use crate::repo::Repo;

use super::output::{Format, FormatArg, paint, print_json, stdout};
use super::style;

/// Share records with the team's repository: fetch, integrate, push.
///
/// Fetches from REMOTE (default: the branch's upstream, else origin) with your
/// own git setup, replays your unpublished record commits onto the remote's
/// branch, moves your unpublished baseline tags onto the replayed commits, and
/// pushes the branch and the new tags together — all or nothing. A tag already
/// on the remote is never moved. Two people's records that meet (both made
/// DES196 v2.0, or the same decision id) are refused, naming both sides, and
/// nothing changes here or there.
///
/// With --renumber, a version of yours whose number the remote already holds
/// (two people both drafted DES196 v0.3, or both baselined v2.0) takes the
/// next free number instead: its record, its commit message and its baseline
/// tag say the new number, a later baseline promoting it and a release
/// naming it follow, and its working file keeps your content. The rules are
/// checked again on the result (a renumbered baseline may now need an
/// approved change) and anything they refuse is refused before pushing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The remote to sync with.
    pub remote: Option<String>,
    /// Give your versions whose numbers the remote already holds the next
    /// free numbers, instead of refusing.
    #[arg(long)]
    pub renumber: bool,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let options = SyncOptions {
        remote: args.remote.as_deref(),
        renumber: args.renumber,
    };
    let synced = crate::ops::sync::sync(repo, options)?;
    if args.format.format == Format::Json {
        return print_json(&synced);
    }
    let mut out = stdout();
    let place = format!("{}/{}", synced.remote, synced.branch);
    if synced.received == 0
        && synced.sent == 0
        && synced.tags_sent.is_empty()
        && synced.tags_received.is_empty()
    {
        writeln!(
            out,
            "{} with {place}: nothing to bring or send",
            paint("Up to date", style::OK)
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{} with {place}: {} commit(s) received, {} sent; tags sent: {}; tags received: {}; now at {}",
        paint("Synced", style::OK),
        synced.received,
        synced.sent,
        or_none(&synced.tags_sent),
        or_none(&synced.tags_received),
        &synced.head[..12]
    )?;
    for moved in &synced.renumbered {
        writeln!(
            out,
            "  {} {} {} is now {} {}, after the records of {place}",
            paint("Renumbered", style::DRAFT),
            moved.artefact,
            moved.from,
            moved.artefact,
            moved.to,
        )?;
    }
    Ok(())
}

fn or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}
