//! What auditors ask of the repository: where a version came from, and back.

mod history;
pub mod pack;
pub mod register;
pub mod release_diff;
pub mod trace;
pub mod verify;
