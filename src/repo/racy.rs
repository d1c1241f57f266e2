//! Files a command has just written carry the same coarse timestamp as the index
//! written after them, so git cannot trust their stat data ("racily clean") and
//! re-reads them, as `redline` must hash them, until the index is next written
//! later. Once the clock has moved past them, the files are checked against what
//! was written and staged again: from then on the index vouches for them.

use std::path::Path;
use std::time::{Duration, SystemTime};

use super::Repo;
use super::index::{self, Staged};
use crate::error::{Result, io_at};

/// Never waits longer than this for the file clock (a tick is 1 to 10 ms).
const MOST_WAIT: Duration = Duration::from_millis(50);

/// Stages `files` again once the file clock has passed the ones rewritten (each
/// with the bytes written to it), if the index written just now cannot vouch for
/// them; a file that no longer holds those bytes is staged without stat data.
/// The index is right either way, so a failure here (git's index lock held by a
/// git command, say) leaves it as it is, racily clean, and is not reported.
pub fn settle(repo: &Repo, files: &mut [Staged], rewritten: &[(usize, &[u8])]) {
    let _ = stage_again(repo, files, rewritten);
}

fn stage_again(repo: &Repo, files: &mut [Staged], rewritten: &[(usize, &[u8])]) -> Result<()> {
    let index_path = repo.git().path().join("index");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let Some(latest) = rewritten
        .iter()
        .filter_map(|&(n, _)| modified(&repo.root().join(&files[n].path)))
        .max()
    else {
        return Ok(());
    };
    if modified(&index_path).is_some_and(|index| index > latest) {
        return Ok(());
    }
    if !clock_passes(&repo.state_dir()?.join("clock"), latest)? {
        return Ok(());
    }
    // Staged with the stat data they had as they were found to hold what was
    // written: a later write shows as other stat data.
    for &(n, bytes) in rewritten {
        let path = repo.root().join(&files[n].path);
        match index::read_with_metadata(&path) {
            Some((read, metadata)) if read == bytes => files[n].checked = Some(metadata),
            _ => files[n].matches_working_file = false,
        }
    }
    index::stage(repo, files)
}

/// Waits until a file written now is stamped later than `time`; false if that
/// takes longer than [`MOST_WAIT`].
fn clock_passes(probe: &Path, time: SystemTime) -> Result<bool> {
    let started = std::time::Instant::now();
    loop {
        std::fs::write(probe, b"").map_err(io_at(probe))?;
        let stamped = std::fs::metadata(probe)
            .and_then(|m| m.modified())
            .map_err(io_at(probe))?;
        if stamped > time {
            return Ok(true);
        }
        if started.elapsed() > MOST_WAIT {
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
