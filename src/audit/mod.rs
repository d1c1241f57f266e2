//! What auditors ask of the repository: where a version came from, and back.

pub mod resolve;
pub mod trace;
