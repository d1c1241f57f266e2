//! Interim releases: a numbered set of baselined artefact versions the design
//! authority approved for publication together (IR8.5), with the changes they
//! implement.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::VersionNumber;
use super::date::{Date, Timestamp};

/// A release: `releases/<id>.toml`, written once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    /// The approved decisions that approve the release.
    pub decisions: Vec<String>,
    /// The release it follows, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// The change requests and design issue notes it implements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    /// Every artefact version it contains, each a baseline.
    pub artefacts: Vec<Included>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub recorded_by: String,
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub recorded_at: Timestamp,
}

/// One artefact version a release contains, with the hash of its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Included {
    pub artefact: String,
    #[schemars(with = "String")]
    pub version: VersionNumber,
    /// SHA-256 of the version's content, lower-case hex.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub sha256: String,
}

impl Release {
    /// Whether the release contains this version of this artefact.
    pub fn contains(&self, artefact: &str, version: &VersionNumber) -> bool {
        self.artefacts
            .iter()
            .any(|i| i.artefact == artefact && &i.version == version)
    }
}
