//! The command line: one file per command, each with its clap arguments (whose doc
//! comments are the help text) and a `run` function.

mod action;
mod add;
mod approve;
mod approver;
mod cat;
mod change;
mod decision;
mod draft;
mod hook;
mod import;
mod import_register;
mod init;
mod list;
mod log;
mod meeting;
mod output;
mod policy;
mod publish;
mod redline;
mod release;
mod release_redline;
mod show;
mod status;
pub mod style;
mod sync;
mod trace;
mod values;
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
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Command,
}

/// The options every command takes.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// Run as if started in DIR (the design repository or a folder inside it).
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,
}

impl Cli {
    /// The command line this process was started with; help, the version and
    /// mistakes are printed by clap, which then ends the process.
    pub fn from_env() -> Cli {
        Cli::parse()
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::Args),
    Add(add::Args),
    Draft(draft::Args),
    Approve(approve::Args),
    #[command(subcommand)]
    Approver(approver::Command),
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
    #[command(subcommand)]
    Policy(policy::Command),
    #[command(subcommand)]
    Release(release::Command),
    Publish(publish::Args),
    Sync(sync::Args),
    #[command(visible_alias = "register")]
    List(list::Args),
    Show(show::Args),
    Cat(cat::Args),
    Log(log::Args),
    Status(status::Args),
    Trace(trace::Args),
    Redline(redline::Args),
    Verify(verify::Args),
    #[command(subcommand)]
    Hook(hook::Command),
}

/// Prints a refusal or failure on standard error: what was wrong, then the
/// hint. What it quotes (a file's name, a field a manifest gave) is shown with
/// its control characters as code points, as record text is.
pub fn print_error(err: &crate::error::Error) {
    use std::io::Write;
    let mut stderr = anstream::stderr();
    for (label, text, style) in [
        ("error:", &err.message, style::ERROR),
        ("hint:", &err.hint, style::HINT),
    ] {
        let text = output::shown_lines(text);
        let _ = writeln!(
            stderr,
            "{}{label}{} {text}",
            style.render(),
            style.render_reset()
        );
    }
}

/// Runs one parsed command line, then shows what the repository had to say
/// beside the command's outcome (whether or not it succeeded).
pub fn run(cli: Cli) -> Result<()> {
    let dir = match cli.global.dir {
        Some(dir) => dir,
        None => std::env::current_dir()?,
    };
    let repo = match &cli.command {
        Command::Init(_) => init::open_or_create(&dir)?,
        Command::Verify(verify::Args {
            pack: Some(pack),
            format,
            ..
        }) => {
            // An auditor checks a pack wherever they unzipped it.
            let repo = Repo::discover_design(&dir)?;
            return verify::run_pack(repo.as_ref(), &dir.join(pack), format.format);
        }
        _ => Repo::discover(&dir)?,
    };
    let outcome = run_command(&repo, &dir, cli.command);
    output::print_notices(&repo.notices().take());
    outcome
}

fn run_command(repo: &Repo, dir: &std::path::Path, command: Command) -> Result<()> {
    match command {
        Command::Init(args) => init::run(repo, args),
        Command::Add(args) => add::run(repo, dir, args),
        Command::Draft(args) => draft::run(repo, dir, args),
        Command::Approve(args) => approve::run(repo, args),
        Command::Approver(command) => approver::run(repo, command),
        Command::Decision(command) => decision::run(repo, command),
        Command::Change(command) => change::run(repo, command),
        Command::Import(command) => import::run(repo, dir, command),
        Command::Meeting(command) => meeting::run(repo, command),
        Command::Action(command) => action::run(repo, command),
        Command::Policy(command) => policy::run(repo, command),
        Command::Release(command) => release::run(repo, command),
        Command::Publish(args) => publish::run(repo, dir, args),
        Command::Sync(args) => sync::run(repo, args),
        Command::List(args) => list::run(repo, args),
        Command::Show(args) => show::run(repo, args),
        Command::Cat(args) => cat::run(repo, args),
        Command::Log(args) => log::run(repo, args),
        Command::Status(args) => status::run(repo, args),
        Command::Trace(args) => trace::run(repo, args),
        Command::Redline(args) => redline::run(repo, args),
        Command::Verify(args) => verify::run(repo, args),
        Command::Hook(command) => hook::run(repo, command),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap's own checks of the whole command line: names, flags and help agree.
    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
