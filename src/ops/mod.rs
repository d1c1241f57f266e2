//! The workflows: one file per command that does something (and per read that
//! gathers more than a record or two), each a function taking typed options and
//! returning a typed outcome. Nothing here prints: refusals are errors with
//! hints, and notices (a killed command's work completed, a cache not saved)
//! are collected on the `Repo` for `cli` to show.

pub mod action;
pub mod add;
pub mod approve;
pub mod approver;
pub mod change;
pub mod decision;
pub mod draft;
pub mod hook;
pub mod import;
pub mod import_register;
pub mod init;
pub mod policy;
pub mod publish;
pub mod redline;
pub mod release;
pub mod show;
pub mod status;
pub mod sync;
