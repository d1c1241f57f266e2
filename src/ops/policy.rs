//! `baseline policy`: the settings of `baseline.toml` — change control, the id
//! patterns, the report patterns — changed only as recorded events: one commit
//! per change, citing the approved decision that made it. verify reports any
//! other edit of the file.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::config::{CONFIG_FILE, Config, POLICY_KEYS};
use crate::model::trailers::{self, CommitMessage};
use crate::model::{Date, IdKind};
use crate::repo::{Repo, Snapshot};
use crate::rules;

/// A setting and its value, and the recorded change that set it last.
#[derive(Debug, Serialize)]
pub struct Setting {
    pub key: String,
    pub value: String,
    /// None while it has the value `init` gave it.
    pub changed: Option<PolicyChange>,
}

/// A recorded change of a setting.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyChange {
    pub key: String,
    pub value: String,
    pub decision: String,
    pub date: Date,
    pub commit: String,
}

/// Sets `key` to `value` under `decision` (approved, dated on or before `date`),
/// in one commit. Returns what was recorded.
pub fn set(
    repo: &Repo,
    key: &str,
    value: &str,
    decision: &str,
    date: Date,
) -> Result<PolicyChange> {
    let mut tx = repo.begin(format!("policy set {key}"))?;
    let snapshot = tx.snapshot();
    let cited = snapshot.decision(decision)?;
    rules::deciding_change(decision, cited.as_ref(), date, "the policy")?;
    let config = snapshot.config()?;
    let changed = with_setting(&config, key, value)?;
    if value_of(&config, key)? == value_of(&changed, key)? {
        return Err(Error::refused(
            format!("{key} is already {value}"),
            "nothing to record; `baseline policy show` lists the settings",
        ));
    }
    let text = format!(
        "# baseline configuration: each setting is described in baseline's docs/repository.md.\n# Change it with `baseline policy set KEY VALUE --decision DEC`: verify reports any other edit.\n{}",
        crate::repo::transaction::record_text(&changed)
    );
    tx.write(CONFIG_FILE, text.as_bytes())?;
    let commit = tx.commit(
        &CommitMessage::new(format!("Set the policy {key} to {value} under {decision}"))
            .trailer(trailers::COMMAND, "policy")
            .trailer(trailers::POLICY, key)
            .trailer(trailers::DECISION, decision)
            .trailer(trailers::DATE, date),
    )?;
    Ok(PolicyChange {
        key: key.to_string(),
        value: value.to_string(),
        decision: decision.to_string(),
        date,
        commit: commit.to_string(),
    })
}

/// The configuration with `key` set to `value`, checked as `init` would have
/// written it (a pattern must be a valid regular expression).
fn with_setting(config: &Config, key: &str, value: &str) -> Result<Config> {
    let unknown = || {
        Error::usage(
            format!("`{key}` is not a policy setting"),
            format!("the settings are {}", POLICY_KEYS.join(", ")),
        )
    };
    let mut table =
        toml::Table::try_from(config).map_err(|e| Error::failed(e.to_string(), "report this"))?;
    let new_value = match key {
        "change_control" | "require_signed_baselines" => toml::Value::Boolean(match value {
            "true" => true,
            "false" => false,
            _ => {
                return Err(Error::usage(
                    format!("{key} is true or false, not `{value}`"),
                    "write true or false",
                ));
            }
        }),
        "signing_roles" => {
            for role in value.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                crate::model::approvers::check_role(role)?;
            }
            toml::Value::String(value.to_string())
        }
        _ if POLICY_KEYS.contains(&key) => toml::Value::String(value.to_string()),
        _ => return Err(unknown()),
    };
    let (section, name) = match key.split_once('.') {
        Some((section, name)) => (section, name),
        None => ("policy", key),
    };
    table
        .entry(section)
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .ok_or_else(unknown)?
        .insert(name.to_string(), new_value);
    let changed: Config = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| {
            Error::usage(format!("{key} = {value}: {e}"), "check the value")
        })?;
    for kind in [
        IdKind::Artefact,
        IdKind::Decision,
        IdKind::Change,
        IdKind::Meeting,
        IdKind::Action,
    ] {
        changed.pattern(kind)?;
    }
    if !matches!(
        key,
        "change_control" | "require_signed_baselines" | "signing_roles"
    ) {
        regex::Regex::new(value).map_err(|e| {
            Error::usage(
                format!("{key} = {value} is not a regular expression: {e}"),
                "write a valid pattern, e.g. (CR|DIN)[0-9]+",
            )
        })?;
    }
    Ok(changed)
}

/// A setting's value as text.
fn value_of(config: &Config, key: &str) -> Result<String> {
    config.setting(key).ok_or_else(|| {
        Error::usage(
            format!("`{key}` is not a policy setting"),
            format!("the settings are {}", POLICY_KEYS.join(", ")),
        )
    })
}

/// Every setting with its value and the recorded change that set it last.
pub fn show(snapshot: &Snapshot<'_>) -> Result<Vec<Setting>> {
    let config = snapshot.config()?;
    let changes = recorded_changes(snapshot)?;
    POLICY_KEYS
        .iter()
        .map(|key| {
            Ok(Setting {
                key: key.to_string(),
                value: value_of(&config, key)?,
                changed: changes.iter().rev().find(|c| c.key == *key).cloned(),
            })
        })
        .collect()
}

/// The recorded policy changes in history, oldest first: the commits that
/// `policy set` made.
pub fn recorded_changes(snapshot: &Snapshot<'_>) -> Result<Vec<PolicyChange>> {
    let git = snapshot.repo().git();
    let Some(head) = snapshot.commit() else {
        return Ok(Vec::new());
    };
    let mut walk = git.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push(head.id())?;
    let mut changes = Vec::new();
    for id in walk {
        let commit = git.find_commit(id?)?;
        if let Some(mut change) = policy_change(&commit) {
            let config = Snapshot::at_commit(snapshot.repo(), commit.id())?.config()?;
            change.value = value_of(&config, &change.key)?;
            changes.push(change);
        }
    }
    Ok(changes)
}

/// The policy change a commit records, if it is one.
fn policy_change(commit: &git2::Commit<'_>) -> Option<PolicyChange> {
    let set = trailers::policy_set(commit.message().ok()?)?;
    Some(PolicyChange {
        key: set.key,
        value: String::new(),
        decision: set.decision,
        date: set.date,
        commit: commit.id().to_string(),
    })
}
