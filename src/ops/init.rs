//! `baseline init`: makes a git repository a design repository.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::config::{CONFIG_FILE, Config};
use crate::model::trailers::{self, CommitMessage};
use crate::repo::Repo;

/// What `init` made.
pub struct Initialised {
    pub programme: String,
    pub commit: git2::Oid,
}

/// Writes and commits `baseline.toml` for `programme` (default: the folder's name).
pub fn init(repo: &Repo, programme: Option<&str>) -> Result<Initialised> {
    let programme = match programme {
        Some(name) if name.trim().is_empty() => {
            return Err(Error::usage(
                "--programme is empty",
                "name the programme, e.g. --programme MHHS",
            ));
        }
        Some(name) => name.to_string(),
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
        "# baseline configuration: each setting is described in baseline's docs/repository.md.\n{}",
        crate::repo::transaction::record_text(&config)
    );
    tx.write(CONFIG_FILE, text.as_bytes())?;
    let commit = tx.commit(
        &CommitMessage::new(format!("Initialise the design repository for {programme}"))
            .trailer(trailers::COMMAND, "init"),
    )?;
    Ok(Initialised { programme, commit })
}

fn folder_name(root: &Path) -> String {
    root.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "design".to_string())
}
