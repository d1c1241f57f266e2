use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::config::{CONFIG_FILE, Config};
use crate::model::trailers::{self, CommitMessage};
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
    let programme = match args.programme {
        Some(name) if name.trim().is_empty() => {
            return Err(Error::usage(
                "--programme is empty",
                "name the programme, e.g. --programme MHHS",
            ));
        }
        Some(name) => name,
        None => folder_name(repo.root()),
    };
    let mut tx = repo.begin("init")?;
    if tx.snapshot().exists(CONFIG_FILE)? {
        return Err(Error::refused(
            format!(
                "{} is already a design repository ({CONFIG_FILE} is committed)",
                repo.root().display()
            ),
            "there is nothing to initialise; see `baseline status`",
        ));
    }
    let config = Config::new(programme.clone());
    let text = format!(
        "# baseline configuration: see the README for every setting.\n{}",
        crate::repo::transaction::record_text(&config)
    );
    tx.write(CONFIG_FILE, text.as_bytes())?;
    let commit = tx.commit(
        &CommitMessage::new(format!("Initialise the design repository for {programme}"))
            .trailer(trailers::COMMAND, "init"),
    )?;
    writeln!(
        super::output::stdout(),
        "Initialised the design repository for {programme} in {} (commit {})",
        repo.root().display(),
        &commit.to_string()[..12]
    )?;
    Ok(())
}

fn folder_name(root: &Path) -> String {
    root.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "design".to_string())
}
