//! The committed JSON Schemas are exactly what the record types generate, and every
//! record the example scenario writes validates against them.

mod common;

use std::path::Path;

#[test]
fn committed_schemas_match_the_record_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    for (name, generated) in baseline::schema::all() {
        let path = dir.join(name);
        if std::env::var_os("BASELINE_UPDATE_SCHEMAS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "schemas/{name} differs from the record types; regenerate with `BASELINE_UPDATE_SCHEMAS=1 cargo test --test schemas`"
        );
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(name),
    )
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn schema_for(path: &str) -> Option<&'static str> {
    if path == "baseline.toml" {
        Some("config.schema.json")
    } else if path.ends_with("/artefact.toml") {
        Some("artefact.schema.json")
    } else if path.contains("/versions/") {
        Some("version.schema.json")
    } else if path.starts_with("corrections/") {
        Some("correction.schema.json")
    } else if path.starts_with("decisions/") {
        Some("decision.schema.json")
    } else if path.starts_with("changes/") {
        Some("change.schema.json")
    } else if path.starts_with("meetings/") {
        Some("meeting.schema.json")
    } else if path.starts_with("actions/") {
        Some("action.schema.json")
    } else if path.starts_with("releases/") {
        Some("release.schema.json")
    } else {
        None
    }
}

#[test]
fn every_record_of_the_example_validates() {
    let (_dir, repo, _) = common::example();
    let files = common::git_in(&repo, &["ls-files"]);
    let mut checked = std::collections::BTreeMap::<&str, usize>::new();
    for path in files.lines() {
        let Some(schema) = schema_for(path) else {
            continue;
        };
        let text = std::fs::read_to_string(repo.join(path)).unwrap();
        let value: toml::Value = toml::from_str(&text).unwrap();
        let json = serde_json::to_value(value).unwrap();
        let errors: Vec<String> = validator(schema)
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{path} does not match {schema}: {errors:?}"
        );
        *checked.entry(schema).or_default() += 1;
    }
    assert_eq!(checked["config.schema.json"], 1);
    assert_eq!(checked["artefact.schema.json"], 6);
    assert_eq!(checked["version.schema.json"], 16);
    assert_eq!(checked["decision.schema.json"], 9);
    assert_eq!(checked["change.schema.json"], 5);
    assert_eq!(checked["meeting.schema.json"], 2);
    assert_eq!(checked["action.schema.json"], 9);
    assert_eq!(checked["release.schema.json"], 2);
}

#[test]
fn a_record_that_breaks_its_schema_is_caught() {
    let json = serde_json::json!({"id": "DEC1", "date": "2023-07-12", "outcome": "maybe", "text": "t",
        "recorded_by": "x", "recorded_at": "2023-07-12T10:00:00Z"});
    assert!(!validator("decision.schema.json").is_valid(&json));
}
