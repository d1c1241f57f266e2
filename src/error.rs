//! One error type for the library: every refusal says what was wrong and where,
//! and carries a hint that tells the user how to put it right.

use std::fmt;

/// Why a command did not do what was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request broke a rule or named something that does not exist (exit 1).
    Refused,
    /// The command line itself was wrong (exit 2).
    Usage,
    /// Git, the file system or a record on disk failed (exit 1).
    Failed,
    /// Whoever read the output stopped reading (`baseline list | head`): not a failure.
    OutputClosed,
}

#[derive(Debug, thiserror::Error)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn refused(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Refused,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Usage,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn failed(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Failed,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// Prefixes the message with where the failure happened.
    pub fn context(mut self, place: impl fmt::Display) -> Self {
        self.message = format!("{place}: {}", self.message);
        self
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::Usage => 2,
            ErrorKind::Refused | ErrorKind::Failed => 1,
            ErrorKind::OutputClosed => 0,
        }
    }
}

impl From<git2::Error> for Error {
    fn from(err: git2::Error) -> Self {
        let hint = match err.code() {
            git2::ErrorCode::Owner => {
                "the repository belongs to another user: run `git config --global --add safe.directory <path>`"
            }
            git2::ErrorCode::Locked => {
                "another git process holds a lock in .git; wait for it to finish, or remove the stale .lock file it names"
            }
            _ => "check the repository with `git status` and `git fsck`",
        };
        Error::failed(format!("git: {}", err.message()), hint)
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            return Error {
                kind: ErrorKind::OutputClosed,
                message: err.to_string(),
                hint: String::new(),
            };
        }
        Error::failed(
            err.to_string(),
            "check that the path exists and that you may read and write it",
        )
    }
}

/// Attaches a path to an I/O error, which std leaves out.
pub fn io_at(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |err| Error::from(err).context(path.display())
}
