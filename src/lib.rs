//! `baseline`: a programme's design documents under change control, backed by git.
//!
//! The library holds all behaviour; the `baseline` binary only parses the command
//! line, runs [`cli::run`], and prints an error with its hint.

#![forbid(unsafe_code)]

pub mod audit;
pub mod cli;
pub mod error;
pub mod import;
pub mod model;
pub mod ops;
pub mod redline;
pub mod repo;
pub mod rules;
pub mod schema;

pub use error::{Error, ErrorKind, Result};
