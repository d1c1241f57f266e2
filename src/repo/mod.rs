//! The design repository: a git repository whose HEAD tree holds the records.

pub mod commit_index;
pub mod files;
pub mod journal;
mod lock;
pub mod openpgp;
pub mod register;
pub mod remote;
pub mod renumber;
pub mod replay;
pub mod resolve;
pub mod signing;
pub mod snapshot;
pub mod transaction;
mod tree;
pub mod x509;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

pub use commit_index::CommitIndex;

/// The journal of a write command that did not finish, if there is one.
pub fn pending_transaction(repo: &Repo) -> Result<Option<journal::Journal>> {
    journal::pending(repo)
}
pub use snapshot::Snapshot;
pub use transaction::Transaction;

use crate::error::{Error, Result};
use crate::model::config::CONFIG_FILE;

/// The mode of every file the tool commits: a regular, non-executable file.
const FILE_MODE: u32 = 0o100644;

pub struct Repo {
    git: git2::Repository,
    root: PathBuf,
    state_dir: PathBuf,
    notices: Notices,
}

/// What a command has to tell the user beside its outcome (a killed command's
/// work completed, a cache that could not be saved): collected while it runs,
/// shown by the command line.
#[derive(Clone, Default)]
pub struct Notices(Rc<RefCell<Vec<String>>>);

impl Notices {
    pub fn push(&self, notice: impl Into<String>) {
        self.0.borrow_mut().push(notice.into());
    }

    /// The notices so far, in order; they are then no longer held.
    pub fn take(&self) -> Vec<String> {
        self.0.take()
    }
}

impl Repo {
    /// Opens the git repository containing `start` (which need not hold a design yet).
    pub fn discover(start: &Path) -> Result<Repo> {
        // Inside a git hook GIT_DIR (and, during a push, the quarantine's object
        // directories) say where the repository is.
        if std::env::var_os("GIT_DIR").is_some() {
            return Self::from_git(git2::Repository::open_from_env()?);
        }
        let git = git2::Repository::discover(start).map_err(|err| {
            if err.code() == git2::ErrorCode::NotFound {
                Error::refused(
                    format!("{} is not inside a design repository", start.display()),
                    "run `baseline init` to create one here, or use -C DIR to name one",
                )
            } else {
                Error::from(err)
            }
        })?;
        Self::from_git(git)
    }

    /// The design repository `start` is in, if it is in one: `None` only when
    /// there is no git repository there, or one that holds no design; any
    /// other failure (an unreadable or unsafe repository) is an error.
    pub fn discover_design(start: &Path) -> Result<Option<Repo>> {
        let repo = match git2::Repository::discover(start) {
            Ok(git) => Self::from_git(git)?,
            Err(err) if err.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(err) => return Err(err.into()),
        };
        let holds_design = Snapshot::at_head(&repo)?.exists(CONFIG_FILE)?;
        Ok(holds_design.then_some(repo))
    }

    /// Opens `dir` as a git repository, creating one (branch `main`) if there is none.
    pub fn open_or_init(dir: &Path) -> Result<Repo> {
        match git2::Repository::open(dir) {
            Ok(git) => Self::from_git(git),
            Err(err) if err.code() == git2::ErrorCode::NotFound => {
                let mut options = git2::RepositoryInitOptions::new();
                options.initial_head("main");
                Self::from_git(git2::Repository::init_opts(dir, &options)?)
            }
            Err(err) => Err(err.into()),
        }
    }

    fn from_git(git: git2::Repository) -> Result<Repo> {
        // As git itself does, trust the object store on ordinary reads instead of
        // re-hashing every object read; `git fsck` checks the hashes.
        git2::opts::strict_hash_verification(false);
        // A bare repository (a server's) can be read and verified, not written.
        let root = git.workdir().unwrap_or(git.path()).to_path_buf();
        let state_dir = git.path().join("baseline");
        Ok(Repo {
            git,
            root,
            state_dir,
            notices: Notices::default(),
        })
    }

    /// What the command has to tell the user beside its outcome.
    pub fn notices(&self) -> &Notices {
        &self.notices
    }

    pub fn git(&self) -> &git2::Repository {
        &self.git
    }

    pub fn is_bare(&self) -> bool {
        self.git.is_bare()
    }

    /// The working tree's top folder (the git folder itself for a bare repository).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the tool keeps its lock, journal and derived indexes (never committed).
    pub(crate) fn state_dir(&self) -> Result<&Path> {
        std::fs::create_dir_all(&self.state_dir).map_err(crate::error::io_at(&self.state_dir))?;
        Ok(&self.state_dir)
    }

    /// The content of a recorded version as the object store holds it, checked
    /// against its sha256.
    pub fn version_content(&self, record: &crate::model::VersionRecord) -> Result<Vec<u8>> {
        let id = git2::Oid::from_str(&record.blob).map_err(|_| {
            Error::failed(
                format!(
                    "{} {} records blob `{}`, which is not an object id",
                    record.artefact, record.version, record.blob
                ),
                "run `git log -p` on the version record to see how it changed",
            )
        })?;
        let blob = self.git.find_blob(id).map_err(|err| {
            Error::from(err).context(format!(
                "the content of {} {} (blob {})",
                record.artefact, record.version, record.blob
            ))
        })?;
        let bytes = blob.content().to_vec();
        if crate::model::sha256_hex(&bytes) != record.sha256 {
            return Err(Error::failed(
                format!(
                    "the content of {} {} does not match its recorded sha256 {}",
                    record.artefact, record.version, record.sha256
                ),
                "the repository was altered: check it with `git fsck` and compare with a trusted clone",
            ));
        }
        Ok(bytes)
    }

    /// Where the repository lock lives: shared by every worktree of the repository,
    /// since they share branches and tags.
    pub(crate) fn shared_state_dir(&self) -> Result<std::path::PathBuf> {
        let dir = self.git.commondir().join("baseline");
        std::fs::create_dir_all(&dir).map_err(crate::error::io_at(&dir))?;
        Ok(dir)
    }

    /// A new, empty folder under the shared state folder, removed when
    /// dropped: where gpg, gpgsm or a signing git work apart from the
    /// user's own setup.
    pub(crate) fn scratch_dir(&self, prefix: &str) -> Result<tempfile::TempDir> {
        tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(self.shared_state_dir()?)
            .map_err(crate::error::io_at(self.git.path()))
    }

    /// The records as of HEAD; refuses if HEAD holds no design.
    pub fn snapshot(&self) -> Result<Snapshot<'_>> {
        let snapshot = Snapshot::at_head(self)?;
        if !snapshot.exists(CONFIG_FILE)? {
            return Err(Error::refused(
                format!(
                    "{} holds no design repository (no {CONFIG_FILE} in the last commit)",
                    self.root.display()
                ),
                "run `baseline init` here first",
            ));
        }
        if journal::pending(self)?.is_some() {
            self.notices.push(
                "an interrupted baseline command left work to finish; the next write command completes it",
            );
        }
        Ok(snapshot)
    }

    /// "Name <email>", as git would record the author.
    pub fn identity(&self) -> Result<String> {
        let signature = self.signature()?;
        Ok(format!(
            "{} <{}>",
            signature.name().unwrap_or("?"),
            signature.email().unwrap_or("?")
        ))
    }

    /// Who is acting, as git records it on a commit or tag.
    pub fn identity_signature(&self) -> Result<git2::Signature<'static>> {
        self.signature()
    }

    pub(crate) fn signature(&self) -> Result<git2::Signature<'static>> {
        let from_env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
        let config = self.git.config()?;
        let name = from_env("GIT_AUTHOR_NAME").or_else(|| config.get_string("user.name").ok());
        let email = from_env("GIT_AUTHOR_EMAIL").or_else(|| config.get_string("user.email").ok());
        match (name, email) {
            (Some(name), Some(email)) => Ok(git2::Signature::now(&name, &email)?),
            _ => Err(Error::refused(
                "git does not know who you are, and every record names who made it",
                "run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.org`",
            )),
        }
    }

    /// The branch HEAD names (possibly not born yet); refuses a detached HEAD.
    pub(crate) fn branch_ref(&self) -> Result<String> {
        let head = self.git.find_reference("HEAD")?;
        match head.symbolic_target()? {
            Some(target) => Ok(target.to_string()),
            None => Err(Error::refused(
                "HEAD is detached, so there is no branch to record on",
                "check out the design branch first, e.g. `git switch main`",
            )),
        }
    }
}
