//! Record types, ids, version numbers, dates and references.

pub mod approvers;
pub mod config;
pub mod date;
pub mod digest;
pub mod gnupg_status;
pub mod id;
pub mod meeting;
pub mod openpgp;
pub mod pack;
pub mod paths;
pub mod records;
pub mod reference;
pub mod release;
pub mod trailers;
pub mod version;
pub mod x509;

pub use config::Config;
pub use date::{Date, Timestamp};
pub use digest::sha256_hex;
pub use id::{IdKind, is_bidi_control};
pub use meeting::{Action, ActionState, ActionStep, Due, Meeting};
pub use records::*;
pub use reference::{Reference, VersionSelector};
pub use release::{Included, Release};
pub use version::VersionNumber;
