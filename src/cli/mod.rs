//! The command line: one file per command, each with its clap arguments (whose doc
//! comments are the help text) and a `run` function.

mod action;
mod add;
mod approve;
mod cat;
mod change;
mod decision;
mod draft;
mod import;
mod init;
mod list;
mod log;
mod meeting;
mod output;
mod redline;
mod show;
mod status;
pub mod style;
mod trace;
mod verify;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Result;
use crate::repo::Repo;

const ABOUT: &str = "Keep a programme's design documents under change control, backed by git.";

const LONG_ABOUT: &str = "\
Keep a programme's design documents under change control, backed by git.

Register design artefacts, record drafts, and baseline a version only when an
approved decision covers it (and, once under change control, an approved change
request). Every write is one git commit; every baseline gets an annotated tag.

A REF names a version: DES196@1.0, DES196@baseline (latest baselined),
DES196@latest (latest recorded) or DES196@working (the file as it is now).

Exit codes: 0 success; 1 refused or failed; 2 bad usage.";

#[derive(Debug, Parser)]
#[command(name = "baseline", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    /// Run as if started in DIR (the design repository or a folder inside it).
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::Args),
    Add(add::Args),
    Draft(draft::Args),
    Approve(approve::Args),
    #[command(subcommand)]
    Decision(decision::Command),
    #[command(subcommand)]
    Change(change::Command),
    #[command(subcommand)]
    Import(import::Command),
    #[command(subcommand)]
    Meeting(meeting::Command),
    #[command(subcommand)]
    Action(action::Command),
    #[command(visible_alias = "register")]
    List(list::Args),
    Show(show::Args),
    Cat(cat::Args),
    Log(log::Args),
    Status(status::Args),
    Trace(trace::Args),
    Redline(redline::Args),
    Verify(verify::Args),
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let dir = match cli.dir {
        Some(dir) => dir,
        None => std::env::current_dir()?,
    };
    match cli.command {
        Command::Init(args) => init::run(&dir, args),
        command => {
            let repo = Repo::discover(&dir)?;
            match command {
                Command::Init(_) => unreachable!("handled above"),
                Command::Add(args) => add::run(&repo, &dir, args),
                Command::Draft(args) => draft::run(&repo, &dir, args),
                Command::Approve(args) => approve::run(&repo, args),
                Command::Decision(command) => decision::run(&repo, command),
                Command::Change(command) => change::run(&repo, command),
                Command::Import(command) => import::run(&repo, &dir, command),
                Command::Meeting(command) => meeting::run(&repo, command),
                Command::Action(command) => action::run(&repo, command),
                Command::List(args) => list::run(&repo, args),
                Command::Show(args) => show::run(&repo, args),
                Command::Cat(args) => cat::run(&repo, args),
                Command::Log(args) => log::run(&repo, args),
                Command::Status(args) => status::run(&repo, args),
                Command::Trace(args) => trace::run(&repo, args),
                Command::Redline(args) => redline::run(&repo, args),
                Command::Verify(args) => verify::run(&repo, args),
            }
        }
    }
}
