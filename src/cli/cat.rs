use std::io::Write;

use crate::error::Result;
use crate::model::{Reference, VersionSelector};
use crate::repo::Repo;
use crate::repo::resolve;

/// Print the exact content of a version (or of the working file) to standard output.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// DES196@1.0, DES196@baseline, DES196@latest, DES196@working (a bare id means @latest).
    pub reference: String,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let reference = Reference::parse(&args.reference, VersionSelector::Latest)?;
    let snapshot = repo.snapshot()?;
    let resolved = resolve::resolve(&snapshot, &reference)?;
    let bytes = resolve::bytes(&snapshot, &resolved)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(())
}
