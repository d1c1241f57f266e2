//! The design repository's layout: where each record lives, and what a path in
//! it names. Every other module builds and reads paths through here.

use super::VersionNumber;

pub const CONFIG: &str = "baseline.toml";
/// Who may sign baselines (git's allowed-signers format), changed only by `approver add|remove`.
pub const APPROVERS: &str = "approvers";
pub const ARTEFACTS: &str = "artefacts";
pub const DECISIONS: &str = "decisions";
pub const CHANGES: &str = "changes";
pub const MEETINGS: &str = "meetings";
pub const ACTIONS: &str = "actions";
pub const RELEASES: &str = "releases";
pub const CORRECTIONS: &str = "corrections";
/// An artefact folder's record of what the artefact is.
pub const ARTEFACT_RECORD: &str = "artefact.toml";
/// An artefact folder's sub-folder of version records.
pub const VERSIONS: &str = "versions";

pub fn artefact_dir(id: &str) -> String {
    format!("{ARTEFACTS}/{id}")
}
pub fn artefact(id: &str) -> String {
    format!("{ARTEFACTS}/{id}/{ARTEFACT_RECORD}")
}
pub fn content(id: &str, file: &str) -> String {
    format!("{ARTEFACTS}/{id}/{file}")
}
pub fn versions_dir(id: &str) -> String {
    format!("{ARTEFACTS}/{id}/{VERSIONS}")
}
pub fn version(id: &str, version: &VersionNumber) -> String {
    format!("{}/{}", versions_dir(id), version_file(version))
}
pub fn decision(id: &str) -> String {
    format!("{DECISIONS}/{id}.toml")
}
/// The folder of a decision's corrections.
pub fn corrections_dir(decision: &str) -> String {
    format!("{CORRECTIONS}/{decision}")
}
pub fn correction(decision: &str, number: u32) -> String {
    format!("{CORRECTIONS}/{decision}/{number}.toml")
}
pub fn change(id: &str) -> String {
    format!("{CHANGES}/{id}.toml")
}
pub fn meeting(id: &str) -> String {
    format!("{MEETINGS}/{id}.toml")
}
pub fn action(id: &str) -> String {
    format!("{ACTIONS}/{id}.toml")
}
pub fn release(id: &str) -> String {
    format!("{RELEASES}/{id}.toml")
}
/// A baseline's tag name (without `refs/tags/`).
pub fn tag(artefact: &str, version: &VersionNumber) -> String {
    format!("{artefact}/v{version}")
}

/// The git reference of a tag named `name`.
pub fn tag_ref(name: &str) -> String {
    format!("refs/tags/{name}")
}

/// The file name of a version's record in its artefact's versions folder.
pub fn version_file(version: &VersionNumber) -> String {
    format!("{version}.toml")
}

/// The id a record file's name gives (`DAG-DEC57.toml` → `DAG-DEC57`); none
/// for a file that is not a record's.
pub fn record_id(file_name: &str) -> Option<&str> {
    file_name.strip_suffix(".toml").filter(|id| !id.is_empty())
}

/// What a baseline tag's name says: the artefact and version it is for, if it
/// is shaped as one (`DES196/v1.0`).
pub fn parse_tag(name: &str) -> Option<(&str, VersionNumber)> {
    let (artefact, version) = name.split_once("/v")?;
    Some((artefact, version.parse().ok()?))
}

/// A record file of the design repository, as its path names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record<'p> {
    Config,
    /// The `approvers` file.
    Approvers,
    Artefact(&'p str),
    Version(&'p str, VersionNumber),
    Decision(&'p str),
    Change(&'p str),
    Meeting(&'p str),
    Action(&'p str),
    Release(&'p str),
    /// A decision's correction, by its number.
    Correction(&'p str, u32),
}

impl<'p> Record<'p> {
    /// The record a repository path names; none for anything else (content
    /// files, stray files, folders).
    pub fn parse(path: &'p str) -> Option<Self> {
        if path == CONFIG {
            return Some(Record::Config);
        }
        if path == APPROVERS {
            return Some(Record::Approvers);
        }
        let parts: Vec<&str> = path.split('/').collect();
        let stem = record_id;
        match parts.as_slice() {
            [ARTEFACTS, id, ARTEFACT_RECORD] => Some(Record::Artefact(id)),
            [ARTEFACTS, id, VERSIONS, name] => Some(Record::Version(id, stem(name)?.parse().ok()?)),
            [DECISIONS, name] => stem(name).map(Record::Decision),
            [CHANGES, name] => stem(name).map(Record::Change),
            [MEETINGS, name] => stem(name).map(Record::Meeting),
            [ACTIONS, name] => stem(name).map(Record::Action),
            [RELEASES, name] => stem(name).map(Record::Release),
            [CORRECTIONS, id, name] => Some(Record::Correction(id, stem(name)?.parse().ok()?)),
            _ => None,
        }
    }

    /// Whether `path` is where a record of some kind would be kept, even one whose
    /// name does not read (`artefacts/DES196/versions/draft.toml`).
    pub fn is_record_place(path: &str) -> bool {
        let parts: Vec<&str> = path.split('/').collect();
        let toml = |name: &str| name.ends_with(".toml");
        match parts.as_slice() {
            [CONFIG] | [APPROVERS] => true,
            [ARTEFACTS, _, ARTEFACT_RECORD] => true,
            [ARTEFACTS, _, VERSIONS, name] => toml(name),
            [DECISIONS | CHANGES | MEETINGS | ACTIONS | RELEASES, name] => toml(name),
            [CORRECTIONS, _, name] => toml(name),
            _ => false,
        }
    }

    /// Whether the record may gain dated steps after it is written (a change's
    /// lifecycle, an action's progress); every other record is written once.
    pub fn may_grow(&self) -> bool {
        matches!(self, Record::Change(_) | Record::Action(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_built_here_read_back_as_the_records_they_name() {
        let v: VersionNumber = "5.6.1".parse().unwrap();
        assert_eq!(Record::parse(CONFIG), Some(Record::Config));
        assert_eq!(
            Record::parse(&artefact("DES138")),
            Some(Record::Artefact("DES138"))
        );
        assert_eq!(
            Record::parse(&version("DES138", &v)),
            Some(Record::Version("DES138", v.clone()))
        );
        assert_eq!(
            Record::parse(&decision("DAG-DEC57")),
            Some(Record::Decision("DAG-DEC57"))
        );
        assert_eq!(
            Record::parse(&change("CR027")),
            Some(Record::Change("CR027"))
        );
        assert_eq!(
            Record::parse(&meeting("DAG026")),
            Some(Record::Meeting("DAG026"))
        );
        assert_eq!(
            Record::parse(&action("DAG26-01")),
            Some(Record::Action("DAG26-01"))
        );
        assert_eq!(
            Record::parse(&correction("DAG-DEC57", 2)),
            Some(Record::Correction("DAG-DEC57", 2))
        );
        assert_eq!(parse_tag(&tag("DES138", &v)), Some(("DES138", v)));
    }

    #[test]
    fn other_paths_are_not_records() {
        for path in [
            "artefacts/DES138/catalogue.csv",
            "artefacts/DES138/versions/notes.txt",
            "artefacts/DES138/versions/x.toml",
            "decisions/.toml",
            "decisions/sub/DAG-DEC57.toml",
            "README.md",
        ] {
            assert_eq!(Record::parse(path), None, "{path}");
        }
        assert!(Record::is_record_place("artefacts/DES138/versions/x.toml"));
        assert!(!Record::is_record_place("artefacts/DES138/catalogue.csv"));
        assert!(Record::parse("changes/CR027.toml").unwrap().may_grow());
        assert!(!Record::parse("decisions/D1.toml").unwrap().may_grow());
    }
}
