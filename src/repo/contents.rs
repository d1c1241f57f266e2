//! Reading the two versions a redline compares, on two cores. Each side is fetched
//! — from its working copy where that holds exactly the version's bytes, else
//! inflated from its loose object — then prepared, and its bytes checked against
//! the recorded sha256. A core done with its own side checks the other's too, so
//! that the side slower to fetch (an inflated blob) does not also wait for its hash;
//! and the caller's comparison starts as soon as both sides are prepared, beside
//! the checks, and is kept only once they pass.
//! A working copy that git's index says holds the version's blob is not hashed,
//! as `git status` does not hash it.

use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use super::{Repo, loose};
use crate::content::Text;
use crate::error::Result;
use crate::model::VersionRecord;

/// A version's content, with what was prepared from it.
pub type Prepared<T> = (Decoded, T);

/// A version's content: its text where it is UTF-8, else its bytes. Decoded once,
/// on the core that read it.
pub enum Decoded {
    Text(Text),
    Binary(Vec<u8>),
}

impl Decoded {
    pub fn of(bytes: Vec<u8>) -> Self {
        Self::after(bytes, 0)
    }

    /// The content of `buffer` from byte `start` on (an ASCII header before it).
    fn after(buffer: Vec<u8>, start: usize) -> Self {
        let not_text = match String::from_utf8(buffer).map(|text| Text::after(text, start)) {
            Ok(Ok(text)) => return Decoded::Text(text),
            Ok(Err(buffer)) => buffer.into_bytes(),
            Err(not_utf8) => not_utf8.into_bytes(),
        };
        let mut bytes = not_text;
        bytes.drain(..start);
        Decoded::Binary(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Decoded::Text(text) => text.as_bytes(),
            Decoded::Binary(bytes) => bytes,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Decoded::Text(text) => Some(text),
            Decoded::Binary(_) => None,
        }
    }
}

/// A side's check: not ready (its bytes are not fetched), waiting for a core, or taken.
const NOT_READY: u8 = 0;
const WAITING: u8 = 1;
const TAKEN: u8 = 2;

/// Where a side's bytes came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    WorkingCopy,
    LooseObject,
}

struct Side<'r, T> {
    record: &'r VersionRecord,
    fetched: OnceLock<(Decoded, Source)>,
    /// Set once the bytes were fetched or could not be, even in a panic.
    fetch_settled: OnceLock<()>,
    /// What was prepared from the bytes, or none if they could not be fetched:
    /// set once the core reading this side is done with it, even in a panic.
    prepared: OnceLock<Option<T>>,
    check: AtomicU8,
    /// Whether the bytes hash to the recorded sha256, once a core has checked.
    matches: OnceLock<bool>,
}

impl<'r, T> Side<'r, T> {
    fn new(record: &'r VersionRecord) -> Self {
        Side {
            record,
            fetched: OnceLock::new(),
            fetch_settled: OnceLock::new(),
            prepared: OnceLock::new(),
            check: AtomicU8::new(NOT_READY),
            matches: OnceLock::new(),
        }
    }

    /// Fetches and prepares this side, leaving its check to whichever core is free
    /// first; none where the bytes are not to be had this way.
    fn fetch_and_prepare(
        &self,
        git_dir: &Path,
        working_root: Option<&Path>,
        prepare: &impl Fn(&Decoded) -> T,
    ) {
        // Whoever waits for this side is not left waiting if preparing it panics.
        struct Settled<'s, 'r, T>(&'s Side<'r, T>);
        impl<T> Drop for Settled<'_, '_, T> {
            fn drop(&mut self) {
                let _ = self.0.fetch_settled.set(());
                let _ = self.0.prepared.set(None);
            }
        }
        let settled = Settled(self);
        let record = self.record;
        let fetched = working_root
            .and_then(|root| working_copy(git_dir, root, record))
            .map(|(bytes, clean)| (Decoded::of(bytes), Source::WorkingCopy, clean))
            .or_else(|| {
                loose::read_object(&git_dir.join("objects"), &record.blob, record.size).map(
                    |(object, start)| (Decoded::after(object, start), Source::LooseObject, false),
                )
            });
        if let Some((content, source, clean)) = fetched {
            let (content, _) = self.fetched.get_or_init(|| (content, source));
            if clean {
                let _ = self.matches.set(true);
            } else {
                self.check.store(WAITING, Ordering::Release);
            }
            let _ = self.fetch_settled.set(());
            let _ = self.prepared.set(Some(prepare(content)));
        }
        drop(settled);
    }

    /// The bytes and what was prepared from them, once both are there.
    fn ready(&self) -> Option<(&Decoded, &T)> {
        let prepared = self.prepared.get()?.as_ref()?;
        Some((&self.fetched.get()?.0, prepared))
    }

    /// Checks this side's bytes, unless they are not fetched yet or another core
    /// has taken the check.
    fn check_if_waiting(&self) {
        if self
            .check
            .compare_exchange(WAITING, TAKEN, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        if let Some((content, _)) = self.fetched.get() {
            let _ = self
                .matches
                .set(crate::content::sha256_hex(content.as_bytes()) == self.record.sha256);
        }
    }

    /// The bytes and what was prepared from them, if they were fetched and match
    /// the record; else where they came from, if anywhere.
    fn finish(self) -> std::result::Result<Prepared<T>, Option<Source>> {
        let matches = self.matches.get().copied();
        let prepared = self.prepared.into_inner().flatten();
        match (self.fetched.into_inner(), prepared, matches) {
            (Some((content, _)), Some(prepared), Some(true)) => Ok((content, prepared)),
            (Some((_, source)), _, _) => Err(Some(source)),
            (None, _, _) => Err(None),
        }
    }
}

impl Repo {
    /// The contents of two versions to compare, each with what `prepare` made of
    /// it on the core that read it, and what `then` made of both. A working copy
    /// that holds exactly a version's bytes is read instead of its blob; a blob
    /// that is not a loose object is read through libgit2 afterwards. (`verify`
    /// reads the object store itself, with `version_content`.)
    ///
    /// `then` runs as soon as both sides are prepared, while their bytes may still
    /// be being checked against the record on the other core; what it made is
    /// kept only if both sides then prove to be the versions' bytes, and is none
    /// otherwise (the caller makes it again from the contents returned).
    pub fn version_contents<T: Send + Sync, R>(
        &self,
        a: &VersionRecord,
        b: &VersionRecord,
        prepare: &(impl Fn(&Decoded) -> T + Sync),
        then: impl FnOnce((&Decoded, &T), (&Decoded, &T)) -> R,
    ) -> Result<(Prepared<T>, Prepared<T>, Option<R>)> {
        let git_dir = self.git.path();
        let root = self.working_root();
        let sides = [Side::new(a), Side::new(b)];
        let [here, there] = &sides;
        // The object database is not shared between threads: what cannot be read
        // this way is read through it below.
        let (made, ()) = crate::parallel::join_claimable(
            |claim| {
                here.fetch_and_prepare(git_dir, root, prepare);
                // The other side, prepared there or, if the helper has not
                // started, here; either way it is settled once `claim` returns
                // or the wait ends.
                claim();
                let made = match (here.ready(), there.prepared.wait()) {
                    (Some(here), Some(_)) => there.ready().map(|there| then(here, there)),
                    _ => None,
                };
                here.check_if_waiting();
                there.check_if_waiting();
                made
            },
            || {
                there.fetch_and_prepare(git_dir, root, prepare);
                there.check_if_waiting();
                // The other side's bytes, once that core has them, are checked
                // here while it reads them: otherwise a helper done before that
                // core has inflated them leaves their check to it, after all else.
                here.fetch_settled.wait();
                here.check_if_waiting();
            },
        );
        let [side_a, side_b] = sides;
        let (first, second) = (side_a.finish(), side_b.finish());
        let kept = first.is_ok() && second.is_ok();
        Ok((
            self.finish_side(a, first, prepare)?,
            self.finish_side(b, second, prepare)?,
            made.filter(|_| kept),
        ))
    }

    /// A side as read on two cores; or, where that did not give the version's
    /// bytes, its blob read again (through libgit2 if need be), which says what is wrong.
    fn finish_side<T>(
        &self,
        record: &VersionRecord,
        side: std::result::Result<Prepared<T>, Option<Source>>,
        prepare: &impl Fn(&Decoded) -> T,
    ) -> Result<Prepared<T>> {
        match side {
            Ok(done) => Ok(done),
            Err(source) => {
                // A working copy of the right size but other bytes is simply not
                // that version: its blob is.
                let blob = (source == Some(Source::WorkingCopy))
                    .then(|| {
                        let objects = self.git.path().join("objects");
                        loose::read_blob(&objects, &record.blob, record.size)
                    })
                    .flatten()
                    .filter(|bytes| crate::content::sha256_hex(bytes) == record.sha256);
                let bytes = match blob {
                    Some(bytes) => bytes,
                    None => self.version_content(record)?,
                };
                let content = Decoded::of(bytes);
                let prepared = prepare(&content);
                Ok((content, prepared))
            }
        }
    }
}

/// A version's working copy, where it is that version's size, and whether git's
/// index says it holds the version's blob (else its bytes are checked later):
/// reading it spares inflating the blob, as git reads a clean file from the work
/// tree. The stat data asked about are those of the open file after it was read,
/// so that a write during the read shows. The index is consulted only for a file
/// larger than it, which costs more to hash than the index costs to read.
fn working_copy(git_dir: &Path, root: &Path, record: &VersionRecord) -> Option<(Vec<u8>, bool)> {
    let relative = crate::model::paths::content(&record.artefact, &record.file);
    let path = root.join(&relative);
    if std::fs::metadata(&path).ok()?.len() != record.size {
        return None;
    }
    let (bytes, stat) = super::index::read_with_metadata(&path)?;
    if bytes.len() as u64 != record.size {
        return None;
    }
    let index_size = std::fs::metadata(git_dir.join("index")).map_or(u64::MAX, |m| m.len());
    let clean = index_size < record.size
        && super::index::says_clean(git_dir, &relative, &stat, &record.blob);
    Some((bytes, clean))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(size: u64) -> VersionRecord {
        toml::from_str(&format!(
            "artefact = \"DOC\"\nversion = \"0.1\"\nstatus = \"draft\"\ndate = \"2023-06-01\"\n\
             recorded_by = \"T <t@example.invalid>\"\nrecorded_at = \"2023-06-01T00:00:00Z\"\n\
             sha256 = \"{}\"\nblob = \"{}\"\nfile = \"doc.md\"\nsize = {size}\n",
            "0".repeat(64),
            "0".repeat(40)
        ))
        .expect("a version record")
    }

    /// The caller of `version_contents` waits for the other side to be prepared,
    /// and the helper for the caller's side to be fetched: both are settled when
    /// preparing panics or the bytes are not to be had.
    #[test]
    fn a_side_is_settled_even_when_it_cannot_be_prepared() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let working = root.join(crate::model::paths::content("DOC", "doc.md"));
        std::fs::create_dir_all(working.parent().unwrap()).unwrap();
        std::fs::write(&working, "text").unwrap();
        // No index and no objects: the working copy is read, and left to be checked.
        let git_dir = root.join(".git");
        let record = record(4);

        let side = Side::new(&record);
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            side.fetch_and_prepare(&git_dir, Some(root), &|_: &Decoded| -> u8 {
                panic!("preparing")
            });
        }));
        assert!(panicked.is_err());
        assert!(matches!(side.prepared.get(), Some(None)));
        assert!(side.fetch_settled.get().is_some());
        assert!(side.ready().is_none());

        let side = Side::new(&record);
        side.fetch_and_prepare(&git_dir, None, &|_: &Decoded| 1u8);
        assert!(matches!(side.prepared.get(), Some(None)), "no blob to read");
        assert!(side.fetch_settled.get().is_some());

        let side = Side::new(&record);
        side.fetch_and_prepare(&git_dir, Some(root), &|content: &Decoded| {
            content.as_bytes().len()
        });
        assert_eq!(side.ready().map(|(_, &len)| len), Some(4));
        assert!(side.fetch_settled.get().is_some());
        side.check_if_waiting();
        assert_eq!(
            side.matches.get(),
            Some(&false),
            "the bytes are not the record's"
        );
        assert!(matches!(side.finish(), Err(Some(Source::WorkingCopy))));
    }
}
