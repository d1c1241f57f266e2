//! Building a new tree from a base tree and a few changed paths, touching only the
//! folders on those paths — the cost does not grow with the size of the design.

use std::collections::BTreeMap;

use super::FILE_MODE;
use crate::error::Result;

const TREE_MODE: i32 = 0o040000;

/// A node of the change to make: files to put at this level, folders to descend into.
#[derive(Default)]
pub struct TreeEdit {
    files: BTreeMap<String, git2::Oid>,
    folders: BTreeMap<String, TreeEdit>,
}

impl TreeEdit {
    pub fn put(&mut self, path: &str, blob: git2::Oid) {
        match path.split_once('/') {
            None => {
                self.files.insert(path.to_string(), blob);
            }
            Some((folder, rest)) => self
                .folders
                .entry(folder.to_string())
                .or_default()
                .put(rest, blob),
        }
    }

    /// Writes the edited tree and returns its id.
    pub fn write(
        &self,
        repo: &git2::Repository,
        base: Option<&git2::Tree<'_>>,
    ) -> Result<git2::Oid> {
        let mut builder = repo.treebuilder(base)?;
        for (name, blob) in &self.files {
            builder.insert(name, *blob, FILE_MODE as i32)?;
        }
        for (name, edit) in &self.folders {
            let sub_base = match base.and_then(|tree| tree.get_name(name)) {
                Some(entry) if entry.kind() == Some(git2::ObjectType::Tree) => {
                    Some(repo.find_tree(entry.id())?)
                }
                _ => None,
            };
            let sub_tree = edit.write(repo, sub_base.as_ref())?;
            builder.insert(name, sub_tree, TREE_MODE)?;
        }
        Ok(builder.write()?)
    }
}
