//! What auditors ask of the repository: where a version came from, and back.

mod history;
pub mod register;
pub mod trace;
pub mod verify;
