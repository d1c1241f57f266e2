//! YAML and JSON as structure: the keys added, removed and changed between two
//! versions, by path (`steps[2].name`), beside their text redline.

use serde_json::Value;

use super::model::{KeyChange, KeyChangeKind};
use crate::model::Format;

/// The structural changes from `old` to `new`, where both parse as the format
/// says; none where either does not (the text redline stands alone).
pub fn compare(format: Format, old: &str, new: &str) -> Option<Vec<KeyChange>> {
    let (old, new) = (parse(format, old)?, parse(format, new)?);
    let mut changes = Vec::new();
    walk("", &old, &new, &mut changes);
    Some(changes)
}

fn parse(format: Format, text: &str) -> Option<Value> {
    match format {
        Format::Json => serde_json::from_str(text).ok(),
        Format::Yaml => serde_norway::from_str(text).ok(),
        _ => None,
    }
}

fn walk(path: &str, old: &Value, new: &Value, changes: &mut Vec<KeyChange>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let at = member(path, key);
                match b.get(key) {
                    Some(other) => walk(&at, value, other, changes),
                    None => changes.push(change(at, KeyChangeKind::Removed, Some(value), None)),
                }
            }
            for (key, value) in b.iter().filter(|(key, _)| !a.contains_key(*key)) {
                changes.push(change(
                    member(path, key),
                    KeyChangeKind::Added,
                    None,
                    Some(value),
                ));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for n in 0..a.len().max(b.len()) {
                let at = format!("{path}[{n}]");
                match (a.get(n), b.get(n)) {
                    (Some(x), Some(y)) => walk(&at, x, y, changes),
                    (Some(x), None) => {
                        changes.push(change(at, KeyChangeKind::Removed, Some(x), None))
                    }
                    (None, Some(y)) => {
                        changes.push(change(at, KeyChangeKind::Added, None, Some(y)))
                    }
                    (None, None) => {}
                }
            }
        }
        (a, b) if a != b => changes.push(change(
            path.to_string(),
            KeyChangeKind::Changed,
            Some(a),
            Some(b),
        )),
        _ => {}
    }
}

/// The path of `key` inside `path`: dotted, or quoted where the key itself
/// holds a dot, a bracket or a quote.
fn member(path: &str, key: &str) -> String {
    let plain = !key.is_empty() && !key.contains(['.', '[', ']', '"']);
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", Value::String(key.to_string())),
    }
}

fn change(
    path: String,
    kind: KeyChangeKind,
    old: Option<&Value>,
    new: Option<&Value>,
) -> KeyChange {
    KeyChange {
        path: if path.is_empty() {
            "(the whole document)".into()
        } else {
            path
        },
        kind,
        old: old.map(Value::to_string),
        new: new.map(Value::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(changes: &[KeyChange]) -> Vec<String> {
        changes
            .iter()
            .map(|c| {
                format!(
                    "{:?} {} {} {}",
                    c.kind,
                    c.path,
                    c.old.as_deref().unwrap_or("-"),
                    c.new.as_deref().unwrap_or("-")
                )
            })
            .collect()
    }

    #[test]
    fn keys_added_removed_and_changed_are_found_by_path() {
        let old = "scenario: E2E003\nsteps:\n  - submit\n  - validate\nowner: DIP\n";
        let new = "scenario: E2E003\nsteps:\n  - submit\n  - settle\n  - report\nversion: 2\n";
        let changes = compare(Format::Yaml, old, new).unwrap();
        assert_eq!(
            described(&changes),
            [
                "Removed owner \"DIP\" -",
                "Changed steps[1] \"validate\" \"settle\"",
                "Added steps[2] - \"report\"",
                "Added version - 2",
            ]
        );
    }

    #[test]
    fn json_keys_with_dots_are_quoted_and_unparsable_sides_give_no_structure() {
        let changes =
            compare(Format::Json, r#"{"a.b": {"c": 1}}"#, r#"{"a.b": {"c": 2}}"#).unwrap();
        assert_eq!(described(&changes), [r#"Changed ["a.b"].c 1 2"#]);
        assert!(compare(Format::Json, "{", "{}").is_none());
        assert!(compare(Format::Yaml, "a: [", "a: 1").is_none());
        assert_eq!(compare(Format::Json, "[1]", "[1]").unwrap().len(), 0);
    }
}
