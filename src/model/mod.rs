//! Record types, ids, version numbers, dates and references.

pub mod config;
pub mod date;
pub mod id;
pub mod meeting;
pub mod records;
pub mod reference;
pub mod version;

pub use config::Config;
pub use date::{Date, Timestamp};
pub use id::IdKind;
pub use meeting::{Action, ActionState, ActionStep, Due, Meeting};
pub use records::*;
pub use reference::{Reference, VersionSelector};
pub use version::VersionNumber;
