use std::io::Write;
use std::path::Path;

use crate::error::Result;
use crate::repo::Repo;

/// Create a design repository here (in a new or an existing git repository).
///
/// Writes baseline.toml — the programme's name, id patterns and policy switches —
/// and commits it. Other files already in the repository are left alone.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The programme's name, e.g. "MHHS" (default: the folder's name).
    #[arg(long, value_name = "NAME")]
    pub programme: Option<String>,
}

/// The git repository at `dir`, made (with the folder) if there is none.
pub fn open_or_create(dir: &Path) -> Result<Repo> {
    std::fs::create_dir_all(dir).map_err(crate::error::io_at(dir))?;
    Repo::open_or_init(dir)
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let done = crate::ops::init::init(repo, args.programme.as_deref())?;
    writeln!(
        super::output::stdout(),
        "Initialised the design repository for {} in {} (commit {})",
        done.programme,
        repo.root().display(),
        &done.commit.to_string()[..12]
    )?;
    Ok(())
}
