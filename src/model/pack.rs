//! A publication pack: the folder `baseline publish` writes for a release, laid
//! out as the programme publishes, and its `manifest.json`, which lists the
//! SHA-256 of every other file in it so that a receiver can prove nothing in
//! the pack was altered.

use serde::{Deserialize, Serialize};

use super::VersionNumber;
use super::date::{Date, Timestamp};

/// The manifest's file name, at the top of the pack.
pub const MANIFEST: &str = "manifest.json";
/// The manifest format this tool writes and reads.
pub const FORMAT: &str = "baseline-pack/1";
/// The clean, byte-identical copies of the release's versions.
pub const BASELINED: &str = "Baselined Design Artefacts";
/// The red-lined copies of the artefacts changed since the previous release.
pub const REDLINED: &str = "Red-lined Design Artefacts";

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    pub programme: String,
    pub release: String,
    pub release_date: Date,
    /// The commit the pack was made from.
    pub commit: String,
    pub made_at: Timestamp,
    pub made_by: String,
    /// The `baseline` version that made it.
    pub tool: String,
    /// Every file of the pack except the manifest, in path order.
    pub files: Vec<PackedFile>,
}

/// One file of the pack. `path` uses `/` between folders, whatever the system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackedFile {
    pub path: String,
    pub size: u64,
    pub sha256: String,
    /// For a baselined copy: the version it is, byte for byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artefact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<VersionNumber>,
}

/// Where a pack holds the clean copy of a version: "Baselined Design
/// Artefacts/DES138 Interface Catalogue v5.6.1.xlsx", the extension the
/// version's file has.
pub fn baselined_path(artefact: &str, title: &str, version: &VersionNumber, file: &str) -> String {
    let extension = std::path::Path::new(file)
        .extension()
        .map_or(String::new(), |e| format!(".{}", e.to_string_lossy()));
    let name = file_name_part(&format!("{artefact} {title} v{version}"));
    format!("{BASELINED}/{name}{extension}")
}

/// A name safe as one file name on Windows, macOS and Linux: what these systems
/// forbid or treat specially becomes `-`, runs of spaces become one, and the
/// ends are trimmed of dots and spaces.
pub fn file_name_part(text: &str) -> String {
    let replaced: String = text
        .chars()
        .map(|c| {
            let forbidden = matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|');
            if c.is_control() || super::is_bidi_control(c) || forbidden {
                '-'
            } else {
                c
            }
        })
        .collect();
    let joined = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    // Well under the 255 bytes a name may take, with room for " red-lined from v…".
    let mut shortened = String::new();
    for c in joined.chars() {
        if shortened.len() >= 150 {
            break;
        }
        shortened.push(c);
    }
    shortened.trim_matches(['.', ' ']).to_string()
}

#[cfg(test)]
mod tests {
    use super::file_name_part;

    #[test]
    fn a_title_becomes_a_portable_file_name() {
        assert_eq!(
            file_name_part("D-Flow / Interface: Mapping?  v2"),
            "D-Flow - Interface- Mapping- v2"
        );
        assert_eq!(file_name_part("..\u{1b}[31mx.. "), "-[31mx");
        assert_eq!(file_name_part("Interface Catalogue"), "Interface Catalogue");
    }
}
