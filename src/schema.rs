//! JSON Schemas of the record types, committed under `schemas/` so editors and
//! other tools can validate records without this program.

use crate::model::{
    Action, Artefact, Change, Config, Correction, Decision, Meeting, Release, VersionRecord,
};

/// Every record type: its schema file name and the schema as pretty JSON.
pub fn all() -> Vec<(&'static str, String)> {
    fn render<T: schemars::JsonSchema>() -> String {
        let schema = schemars::schema_for!(T);
        serde_json::to_string_pretty(&schema).expect("schemas serialise") + "\n"
    }
    vec![
        ("config.schema.json", render::<Config>()),
        ("artefact.schema.json", render::<Artefact>()),
        ("version.schema.json", render::<VersionRecord>()),
        ("decision.schema.json", render::<Decision>()),
        ("correction.schema.json", render::<Correction>()),
        ("change.schema.json", render::<Change>()),
        ("meeting.schema.json", render::<Meeting>()),
        ("action.schema.json", render::<Action>()),
        ("release.schema.json", render::<Release>()),
    ]
}
