//! `baseline.toml`: the programme's name, its id patterns and its policy switches.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::id::{IdKind, IdPattern};
use crate::error::Result;

pub const CONFIG_FILE: &str = super::paths::CONFIG;
pub const FORMAT_VERSION: u32 = 1;

/// The repository's configuration, `baseline.toml` at its root.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The programme whose design this repository holds, e.g. "MHHS".
    pub programme: String,
    /// The version of the repository layout; this tool writes 1.
    pub format: u32,
    /// Regular expressions every new id must match (anchored at both ends).
    #[serde(default)]
    pub ids: IdPatterns,
    /// Rules that a programme may switch.
    #[serde(default)]
    pub policy: Policy,
    /// How `baseline import report` reads the body's headline reports.
    #[serde(default)]
    pub import: ImportPatterns,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct IdPatterns {
    pub artefact: String,
    pub decision: String,
    pub change: String,
    pub meeting: String,
    pub action: String,
    pub release: String,
}

impl Default for IdPatterns {
    fn default() -> Self {
        Self {
            artefact: "[A-Za-z][A-Za-z0-9._-]*".into(),
            decision: "[A-Z][A-Za-z0-9]*(-[A-Za-z0-9.]+)*".into(),
            change: "(CR|DIN)[0-9]+".into(),
            meeting: "[A-Z][A-Za-z0-9]*[0-9](\\.[0-9]+)?".into(),
            action: "[A-Z][A-Za-z0-9.]*(-[A-Za-z0-9.]+)+".into(),
            release: "[A-Z][A-Za-z0-9]*[0-9](\\.[0-9]+)*".into(),
        }
    }
}

/// What a headline report's ids look like, as regular expressions matched as
/// whole words, and which lines are page furniture to skip. The defaults read the
/// MHHS Design Advisory Group's reports; another body's reports are read by
/// changing these, not the code.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ImportPatterns {
    /// Decision ids, e.g. DAG-DEC57.
    pub decision: String,
    /// Action ids, e.g. DAG26-01 or DAG20.1-12.
    pub action: String,
    /// Change ids, e.g. CR027 or DIN012.
    pub change: String,
    /// The meeting's id after "Meeting Number", e.g. DAG026.
    pub meeting: String,
    /// A page footer or header line, e.g. "© Elexon Limited 2023  Page 1 of 5".
    pub footer: String,
}

impl Default for ImportPatterns {
    fn default() -> Self {
        Self {
            decision: "DAG-DEC[0-9]+".into(),
            action: "DAG[0-9]+(\\.[0-9]+)?-[0-9]+".into(),
            change: "(CR|DIN)[0-9]+".into(),
            meeting: "DAG[0-9]+(\\.[0-9]+)?".into(),
            footer: "Page [0-9]+ of [0-9]+".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Once an artefact has a baseline, every later baseline must cite an approved
    /// change request that affects it.
    pub change_control: bool,
    /// Every baseline's tag must be signed by an approver (see the
    /// `approvers` file); `approve` refuses an unsigned baseline. Written only
    /// once set, so that a repository that never signs keeps its file as it was.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub require_signed_baselines: bool,
    /// The approvers' roles whose signature a baseline may carry, separated
    /// by commas; empty: any role in the `approvers` file.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub signing_roles: String,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            change_control: true,
            require_signed_baselines: false,
            signing_roles: String::new(),
        }
    }
}

impl Policy {
    /// Whether an approver with `role` may sign a baseline.
    pub fn may_sign(&self, role: &str) -> bool {
        let roles: Vec<&str> = self
            .signing_roles
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .collect();
        roles.is_empty() || roles.contains(&role)
    }
}

/// The settings `baseline policy set` changes, as its KEY names them.
pub const POLICY_KEYS: [&str; 14] = [
    "change_control",
    "ids.artefact",
    "ids.decision",
    "ids.change",
    "ids.meeting",
    "ids.action",
    "ids.release",
    "import.decision",
    "import.action",
    "import.change",
    "import.meeting",
    "import.footer",
    "require_signed_baselines",
    "signing_roles",
];

impl Config {
    /// A policy setting's value as text; none for a key that is not one.
    pub fn setting(&self, key: &str) -> Option<String> {
        Some(match key {
            "change_control" => self.policy.change_control.to_string(),
            "require_signed_baselines" => self.policy.require_signed_baselines.to_string(),
            "signing_roles" => self.policy.signing_roles.clone(),
            "ids.artefact" => self.ids.artefact.clone(),
            "ids.decision" => self.ids.decision.clone(),
            "ids.change" => self.ids.change.clone(),
            "ids.meeting" => self.ids.meeting.clone(),
            "ids.action" => self.ids.action.clone(),
            "ids.release" => self.ids.release.clone(),
            "import.decision" => self.import.decision.clone(),
            "import.action" => self.import.action.clone(),
            "import.change" => self.import.change.clone(),
            "import.meeting" => self.import.meeting.clone(),
            "import.footer" => self.import.footer.clone(),
            _ => return None,
        })
    }

    pub fn new(programme: String) -> Self {
        Self {
            programme,
            format: FORMAT_VERSION,
            ids: IdPatterns::default(),
            policy: Policy::default(),
            import: ImportPatterns::default(),
        }
    }

    pub fn pattern(&self, kind: IdKind) -> Result<IdPattern> {
        let source = match kind {
            IdKind::Artefact => &self.ids.artefact,
            IdKind::Decision => &self.ids.decision,
            IdKind::Change => &self.ids.change,
            IdKind::Meeting => &self.ids.meeting,
            IdKind::Action => &self.ids.action,
            IdKind::Release => &self.ids.release,
        };
        IdPattern::new(kind, source)
    }
}
