//! The repository lock: one write command at a time, and a trace of who holds it.
//!
//! The lock is an OS file lock (released by the kernel when a process dies), on a
//! file that is never deleted — deleting a locked file lets two processes lock two
//! different inodes. The file's content names the holder; a holder that finishes
//! empties it, so content found on taking the lock means the last holder was killed.
//! A new holder adds its name after a killed one's until it has cleared what that
//! one left ([`Lock::settle`]): killed at any moment, the file still names every
//! command whose leftovers are not cleared.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result, io_at};

pub struct Lock {
    file: File,
    path: PathBuf,
    holder: String,
    /// Whether the file names only this holder (no killed one left uncleared).
    settled: bool,
}

/// What the lock file said when it was taken.
pub struct Acquired {
    pub lock: Lock,
    /// The holder a killed process left behind, if any.
    pub stale_holder: Option<String>,
}

const POLL: Duration = Duration::from_millis(10);

/// How long to wait for another command's lock: BASELINE_LOCK_TIMEOUT seconds.
fn timeout() -> Result<Duration> {
    match std::env::var("BASELINE_LOCK_TIMEOUT") {
        Err(_) => Ok(Duration::from_secs(30)),
        Ok(text) => text
            .parse::<f64>()
            .ok()
            .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
            .ok_or_else(|| {
                Error::usage(
                    format!("BASELINE_LOCK_TIMEOUT is `{text}`, not a number of seconds"),
                    "set it to a number such as 30 or 0.5, or unset it",
                )
            }),
    }
}

impl Lock {
    pub fn acquire(path: &Path, description: &str) -> Result<Acquired> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io_at(path))?;
        let deadline = Instant::now() + timeout()?;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(POLL)
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    let holder = std::fs::read(path).unwrap_or_default();
                    let holder = String::from_utf8_lossy(&holder);
                    return Err(Error::refused(
                        format!(
                            "another baseline command holds the repository lock {}: {}",
                            path.display(),
                            holder.trim()
                        ),
                        "wait for it to finish and try again (BASELINE_LOCK_TIMEOUT sets how many seconds to wait)",
                    ));
                }
                Err(std::fs::TryLockError::Error(err)) => return Err(io_at(path)(err)),
            }
        }
        // Read as bytes: a holder cut short may end inside a character.
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io_at(path))?;
        let previous = String::from_utf8_lossy(&bytes);
        let stale_holder = Some(previous.trim().to_string()).filter(|s| !s.is_empty());
        let holder = format!(
            "pid {} running `{description}` since {}\n",
            std::process::id(),
            jiff::Timestamp::now()
                .round(jiff::Unit::Second)
                .unwrap_or(jiff::Timestamp::now())
        );
        if stale_holder.is_some() {
            file.seek(SeekFrom::End(0)).map_err(io_at(path))?;
            if !previous.ends_with('\n') {
                file.write_all(b"\n").map_err(io_at(path))?;
            }
            file.write_all(holder.as_bytes()).map_err(io_at(path))?;
        } else {
            file.seek(SeekFrom::Start(0)).map_err(io_at(path))?;
            file.write_all(holder.as_bytes()).map_err(io_at(path))?;
            file.set_len(holder.len() as u64).map_err(io_at(path))?;
        }
        Ok(Acquired {
            lock: Lock {
                file,
                path: path.to_path_buf(),
                settled: stale_holder.is_none(),
                holder,
            },
            stale_holder,
        })
    }
}

impl Lock {
    /// Names only this holder, once what killed holders left has been cleared.
    pub fn settle(&mut self) -> Result<()> {
        self.file
            .seek(SeekFrom::Start(0))
            .map_err(io_at(&self.path))?;
        self.file
            .write_all(self.holder.as_bytes())
            .map_err(io_at(&self.path))?;
        self.file
            .set_len(self.holder.len() as u64)
            .map_err(io_at(&self.path))?;
        self.settled = true;
        Ok(())
    }
}

impl Drop for Lock {
    /// Empties the lock file, unless killed holders are still named in it (this
    /// command stopped before clearing what they left): the next command must
    /// still see them.
    fn drop(&mut self) {
        if !self.settled {
            return;
        }
        // An emptied lock file is only tidy: a lock is held by its open file's
        // advisory lock, not by what the file says, so a failure here is harmless.
        let _ = self.file.set_len(0);
    }
}
