//! The workflows: one file per command that does something, each a function
//! taking typed options and returning a typed outcome. Nothing here prints;
//! warnings and hints are returned for `cli` to show.

pub mod action;
pub mod add;
pub mod approve;
pub mod change;
pub mod decision;
pub mod draft;
pub mod import;
pub mod init;
pub mod redline;
pub mod show;
pub mod status;
