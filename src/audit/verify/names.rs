//! Record paths that differ only in case from another: git keeps both, but on
//! Windows and macOS they are one file, so a checkout shows one and hides the
//! other (a forged decision could hide the real one from a reviewer's editor).
//! The command line refuses such ids; a hand-made commit is caught here.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Result;
use crate::repo::Snapshot;

use super::{Audit, FindingKind};

/// Every folder and file on the way to each record the walk saw added is
/// checked against the other names in its folder.
pub(super) fn check_case_clashes(audit: &mut Audit<'_>, snapshot: &Snapshot<'_>) -> Result<()> {
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in audit.added.keys() {
        let mut folder = String::new();
        for name in path.split('/') {
            names
                .entry(folder.clone())
                .or_default()
                .insert(name.to_string());
            folder = if folder.is_empty() {
                name.to_string()
            } else {
                format!("{folder}/{name}")
            };
        }
    }
    for (folder, added) in names {
        let present = snapshot.list(&folder)?;
        let mut by_case: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for name in &present {
            by_case
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push(name);
        }
        for name in added {
            let clashes = by_case.get(&name.to_ascii_lowercase());
            let Some(other) = clashes.and_then(|all| all.iter().find(|n| ***n != name)) else {
                continue;
            };
            let at = |n: &str| {
                if folder.is_empty() {
                    n.to_string()
                } else {
                    format!("{folder}/{n}")
                }
            };
            let kind = FindingKind::NameCaseClash { other: at(other) };
            audit.find(kind, at(&name), None);
        }
    }
    Ok(())
}
