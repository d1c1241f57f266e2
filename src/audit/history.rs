//! What each commit changed among the record files, found by comparing raw tree
//! objects and descending only where ids differ — libgit2's general tree diff
//! walks every entry of the `artefacts` folder (thousands) for every commit.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use crate::error::Result;
use crate::model::paths::{
    ACTIONS, ARTEFACTS, CHANGES, CORRECTIONS, DECISIONS, MEETINGS, RELEASES, Record, VERSIONS,
};

/// How a record file changed in a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Modified,
    Deleted,
}

/// A record file's change: its path, how, and the blob before and after.
pub struct Delta {
    pub path: String,
    pub change: Change,
    pub old: Option<git2::Oid>,
    pub new: Option<git2::Oid>,
    /// What the new entry is when it is not a plain file (a symbolic link, a
    /// submodule): git keeps it, but it holds no record.
    pub not_a_file: Option<&'static str>,
}

/// What a tree entry is, by its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Folder,
    File,
    /// Anything else, named.
    Other(&'static str),
}

impl Kind {
    /// Read as a number, since a padded `040000` is a folder too.
    fn of(mode: &[u8]) -> Kind {
        let mode = std::str::from_utf8(mode)
            .ok()
            .and_then(|m| u32::from_str_radix(m, 8).ok());
        match mode.map(|m| m & 0o170000) {
            Some(0o040000) => Kind::Folder,
            Some(0o100000) => Kind::File,
            Some(0o120000) => Kind::Other("symbolic link"),
            Some(0o160000) => Kind::Other("submodule"),
            _ => Kind::Other("tree entry of unknown kind"),
        }
    }
}

/// One entry of a raw tree object.
#[derive(Clone, Copy)]
struct Entry<'a> {
    kind: Kind,
    name: &'a [u8],
    /// The raw 20-byte object id.
    id: &'a [u8],
}

/// The entries of a raw tree, each with the number of bytes it and the
/// entries after it take.
fn entries(data: &[u8]) -> impl Iterator<Item = (Entry<'_>, usize)> {
    let mut rest = data;
    std::iter::from_fn(move || {
        let left = rest.len();
        let space = memchr::memchr(b' ', rest)?;
        let nul = space + memchr::memchr(0, &rest[space..])?;
        let id = rest.get(nul + 1..nul + 21)?;
        let entry = Entry {
            kind: Kind::of(&rest[..space]),
            name: &rest[space + 1..nul],
            id,
        };
        rest = &rest[nul + 21..];
        Some((entry, left))
    })
}

/// Where the whole entries two raw trees begin with byte for byte end: those
/// entries are the same in both. Found with one search per entry, where
/// reading them would take two and a number to parse.
fn same_entries_before(old: &[u8], new: &[u8]) -> usize {
    let same = common_len(old.chunks(256), new.chunks(256), old.iter(), new.iter());
    let mut end = 0;
    // From an entry's start, its first NUL ends its name; its id follows.
    while let Some(nul) = memchr::memchr(0, &old[end..same]) {
        let next = end + nul + 21;
        if next > same {
            break;
        }
        end = next;
    }
    end
}

/// How many bytes two raw trees end with alike.
fn same_bytes_after(old: &[u8], new: &[u8]) -> usize {
    common_len(
        old.rchunks(256),
        new.rchunks(256),
        old.iter().rev(),
        new.iter().rev(),
    )
}

/// The length of the run two byte strings share, compared a chunk at a time,
/// then byte by byte from where the chunks first differ.
fn common_len<'a>(
    old_chunks: impl Iterator<Item = &'a [u8]>,
    new_chunks: impl Iterator<Item = &'a [u8]>,
    old_bytes: impl Iterator<Item = &'a u8>,
    new_bytes: impl Iterator<Item = &'a u8>,
) -> usize {
    let chunked: usize = old_chunks
        .zip(new_chunks)
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len())
        .sum();
    let bytes = old_bytes
        .zip(new_bytes)
        .skip(chunked)
        .take_while(|(a, b)| a == b)
        .count();
    chunked + bytes
}

/// One named entry of a raw tree, found without parsing the rest.
fn find_entry<'a>(data: &'a [u8], name: &'a [u8], is_tree: bool) -> Option<Entry<'a>> {
    let mut rest = data;
    while let Some(space) = memchr::memchr(b' ', rest) {
        let nul = space + memchr::memchr(0, &rest[space..])?;
        let id = rest.get(nul + 1..nul + 21)?;
        if &rest[space + 1..nul] == name {
            let kind = Kind::of(&rest[..space]);
            if (kind == Kind::Folder) == is_tree {
                return Some(Entry { kind, name, id });
            }
        }
        rest = &rest[nul + 21..];
    }
    None
}

fn oid(raw: &[u8]) -> Result<git2::Oid> {
    Ok(git2::Oid::from_bytes(raw)?)
}

/// Git's order of tree entries: by name, a folder's name as if it ended in `/`.
fn order(a: &Entry<'_>, b: &Entry<'_>) -> Ordering {
    let key = |e: &Entry<'_>| (e.kind == Kind::Folder).then_some(b'/');
    let a_key = a.name.iter().copied().chain(key(a));
    let b_key = b.name.iter().copied().chain(key(b));
    a_key.cmp(b_key)
}

/// Whether a path is, or leads to, a record file.
fn wanted(path: &str, is_tree: bool) -> bool {
    if !is_tree {
        return Record::is_record_place(path);
    }
    let parts: Vec<&str> = path.split('/').collect();
    matches!(
        parts.as_slice(),
        [ARTEFACTS | DECISIONS | CHANGES | MEETINGS | ACTIONS | RELEASES | CORRECTIONS]
            | [ARTEFACTS, _]
            | [CORRECTIONS, _]
            | [ARTEFACTS, _, VERSIONS]
    )
}

/// Reads trees once: a commit's unchanged folders are its parent's.
pub struct Differ<'o> {
    odb: &'o git2::Odb<'o>,
    cache: HashMap<git2::Oid, Rc<git2::OdbObject<'o>>>,
    /// The bytes the cache holds: a folder of 10,000 artefacts is a tree of
    /// 300 KB, and every commit makes a new one.
    cached_bytes: usize,
    /// The root tree the last diffs were into, and by path each folder of it
    /// they went into: a file looked up in that tree next is found from the
    /// deepest of them, not by reading the `artefacts` folder from its start.
    descended: (Option<git2::Oid>, HashMap<String, git2::Oid>),
}

/// How much the tree cache may hold before it starts again: the trees of the
/// last commits, which are the next ones' parents. Fifty folders of 10,000
/// artefacts; more only costs memory (64 MB held 120 MB more at that size,
/// and took no less time).
const MAX_CACHED_BYTES: usize = 16 << 20;

impl<'o> Differ<'o> {
    pub fn new(odb: &'o git2::Odb<'o>) -> Self {
        Differ {
            odb,
            cache: HashMap::new(),
            cached_bytes: 0,
            descended: (None, HashMap::new()),
        }
    }

    fn tree(&mut self, id: git2::Oid) -> Result<Rc<git2::OdbObject<'o>>> {
        if let Some(data) = self.cache.get(&id) {
            return Ok(data.clone());
        }
        let data = Rc::new(self.odb.read(id)?);
        if self.cached_bytes + data.len() > MAX_CACHED_BYTES {
            self.cache.clear();
            self.cached_bytes = 0;
        }
        self.cached_bytes += data.len();
        self.cache.insert(id, data.clone());
        Ok(data)
    }

    /// The blob at `path` in the tree `root`, if a file is there.
    pub fn blob_at(&mut self, root: git2::Oid, path: &str) -> Result<Option<git2::Oid>> {
        let (mut tree, path) = self.nearest_folder(root, path);
        let mut parts = path.split('/').peekable();
        while let Some(part) = parts.next() {
            let data = self.tree(tree)?;
            let last = parts.peek().is_none();
            let Some(entry) = find_entry(data.data(), part.as_bytes(), !last) else {
                return Ok(None);
            };
            if last {
                return Ok(Some(oid(entry.id)?));
            }
            tree = oid(entry.id)?;
        }
        Ok(None)
    }

    /// The deepest folder of `root` the last diffs into it went into on the
    /// way to `path`, and the rest of the path from there.
    fn nearest_folder<'p>(&self, root: git2::Oid, path: &'p str) -> (git2::Oid, &'p str) {
        let (diffed_root, folders) = &self.descended;
        if *diffed_root == Some(root) {
            let mut end = path.len();
            while let Some(slash) = path[..end].rfind('/') {
                if let Some(folder) = folders.get(&path[..slash]) {
                    return (*folder, &path[slash + 1..]);
                }
                end = slash;
            }
        }
        (root, path)
    }

    /// The record files that differ between two root trees.
    pub fn diff(&mut self, old: Option<git2::Oid>, new: git2::Oid) -> Result<Vec<Delta>> {
        if self.descended.0 != Some(new) {
            self.descended = (Some(new), HashMap::new());
        }
        let mut out = Vec::new();
        self.walk(old, Some(new), "", &mut out)?;
        Ok(out)
    }

    fn walk(
        &mut self,
        old: Option<git2::Oid>,
        new: Option<git2::Oid>,
        prefix: &str,
        out: &mut Vec<Delta>,
    ) -> Result<()> {
        if let Some(new) = new {
            self.descended.1.insert(prefix.to_string(), new);
        }
        let old_data = old.map(|id| self.tree(id)).transpose()?;
        let new_data = new.map(|id| self.tree(id)).transpose()?;
        let old_bytes = old_data.as_deref().map_or(&[][..], |d| d.data());
        let new_bytes = new_data.as_deref().map_or(&[][..], |d| d.data());
        // A commit changes a few entries of a folder of thousands: only the
        // stretch between what both begin and end with is read entry by entry.
        let start = same_entries_before(old_bytes, new_bytes);
        let same_after = same_bytes_after(&old_bytes[start..], &new_bytes[start..]);
        let mut old_entries = entries(&old_bytes[start..]);
        let mut new_entries = entries(&new_bytes[start..]);
        let (mut old_at, mut new_at) = (old_entries.next(), new_entries.next());
        loop {
            let step = match (&old_at, &new_at) {
                (None, None) => break,
                // Both at an entry, with the same bytes from there on.
                (Some((_, left)), Some((_, right))) if left == right && *left <= same_after => {
                    break;
                }
                (Some((a, _)), Some((b, _))) => order(a, b),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            let a = (step != Ordering::Greater)
                .then(|| std::mem::replace(&mut old_at, old_entries.next()))
                .flatten()
                .map(|(entry, _)| entry);
            let b = (step != Ordering::Less)
                .then(|| std::mem::replace(&mut new_at, new_entries.next()))
                .flatten()
                .map(|(entry, _)| entry);
            if let (Some(a), Some(b)) = (a, b)
                && a.id == b.id
                && a.kind == b.kind
            {
                continue;
            }
            let any = a.or(b).expect("one side has the entry");
            let name = String::from_utf8_lossy(any.name);
            let path = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}/{name}")
            };
            let side = |e: Option<&Entry<'_>>| {
                e.map(|e| Ok::<_, crate::error::Error>((oid(e.id)?, e.kind)))
                    .transpose()
            };
            self.entry(side(a.as_ref())?, side(b.as_ref())?, &path, out)?;
        }
        Ok(())
    }

    fn entry(
        &mut self,
        old: Option<(git2::Oid, Kind)>,
        new: Option<(git2::Oid, Kind)>,
        path: &str,
        out: &mut Vec<Delta>,
    ) -> Result<()> {
        type Side = Option<(git2::Oid, Kind)>;
        let tree = |side: Side| side.filter(|s| s.1 == Kind::Folder).map(|s| s.0);
        let blob = |side: Side| side.filter(|s| s.1 != Kind::Folder).map(|s| s.0);
        let (old_tree, new_tree) = (tree(old), tree(new));
        if (old_tree.is_some() || new_tree.is_some()) && wanted(path, true) {
            self.walk(old_tree, new_tree, path, out)?;
        }
        let (old_blob, new_blob) = (blob(old), blob(new));
        if (old_blob.is_some() || new_blob.is_some()) && wanted(path, false) {
            let change = match (old_blob, new_blob) {
                (None, _) => Change::Added,
                (_, None) => Change::Deleted,
                _ => Change::Modified,
            };
            out.push(Delta {
                path: path.to_string(),
                change,
                old: old_blob,
                new: new_blob,
                not_a_file: match new {
                    Some((_, Kind::Other(what))) => Some(what),
                    _ => None,
                },
            });
        }
        Ok(())
    }
}
