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
    /// The command line this process was started with. Only the command it names
    /// is built to read it — clap builds every command's arguments to read any
    /// one, a quarter of a millisecond at each start — and whatever does not read
    /// that way (help, the version, a mistake) is read again with every command,
    /// so that what is printed is what the whole command line prints.
    pub fn from_env() -> Cli {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        Cli::read_alone(&args).unwrap_or_else(|| Cli::parse_from(args))
    }

    fn read_alone(args: &[std::ffi::OsString]) -> Option<Cli> {
        let command = alone(named_command(args)?)?;
        let matches = command.try_get_matches_from(args).ok()?;
        clap::FromArgMatches::from_arg_matches(&matches).ok()
    }
}

/// The command named on a command line: its first word that is not an option
/// (nor `-C`'s value); none if an option comes first.
fn named_command(args: &[std::ffi::OsString]) -> Option<&str> {
    let mut words = args.iter().skip(1).map(|arg| arg.to_str());
    while let Some(word) = words.next()? {
        match word {
            "-C" => {
                words.next()?;
            }
            option if option.starts_with('-') => return None,
            name => return Some(name),
        }
    }
    None
}

/// The whole command line with only the command `name` in it, built as the
/// derived [`Cli::command`] builds it (a test holds the two alike).
fn alone(name: &str) -> Option<clap::Command> {
    use clap::{Args, Subcommand};
    fn args<A: Args>(name: &'static str) -> clap::Command {
        A::augment_args(clap::Command::new(name))
    }
    fn commands<S: Subcommand>(name: &'static str) -> clap::Command {
        S::augment_subcommands(clap::Command::new(name))
            .subcommand_required(true)
            .arg_required_else_help(true)
    }
    let command = match name {
        "init" => args::<init::Args>("init"),
        "add" => args::<add::Args>("add"),
        "draft" => args::<draft::Args>("draft"),
        "approve" => args::<approve::Args>("approve"),
        "decision" => commands::<decision::Command>("decision"),
        "change" => commands::<change::Command>("change"),
        "import" => commands::<import::Command>("import"),
        "meeting" => commands::<meeting::Command>("meeting"),
        "action" => commands::<action::Command>("action"),
        "list" | "register" => args::<list::Args>("list").visible_alias("register"),
        "show" => args::<show::Args>("show"),
        "cat" => args::<cat::Args>("cat"),
        "log" => args::<log::Args>("log"),
        "status" => args::<status::Args>("status"),
        "trace" => args::<trace::Args>("trace"),
        "redline" => args::<redline::Args>("redline"),
        "verify" => args::<verify::Args>("verify"),
        _ => return None,
    };
    Some(
        Global::augment_args(clap::Command::new("baseline"))
            .version(env!("CARGO_PKG_VERSION"))
            .about(ABOUT)
            .long_about(LONG_ABOUT)
            .subcommand_required(true)
            .arg_required_else_help(true)
            .subcommand(command),
    )
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

/// Runs one parsed command line, then shows what the repository had to say
/// beside the command's outcome (whether or not it succeeded).
pub fn run(cli: Cli) -> Result<()> {
    let dir = match cli.global.dir {
        Some(dir) => dir,
        None => std::env::current_dir()?,
    };
    let repo = match &cli.command {
        Command::Init(_) => init::open_or_create(&dir)?,
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
        Command::Decision(command) => decision::run(repo, command),
        Command::Change(command) => change::run(repo, command),
        Command::Import(command) => import::run(repo, dir, command),
        Command::Meeting(command) => meeting::run(repo, command),
        Command::Action(command) => action::run(repo, command),
        Command::List(args) => list::run(repo, args),
        Command::Show(args) => show::run(repo, args),
        Command::Cat(args) => cat::run(repo, args),
        Command::Log(args) => log::run(repo, args),
        Command::Status(args) => status::run(repo, args),
        Command::Trace(args) => trace::run(repo, args),
        Command::Redline(args) => redline::run(repo, args),
        Command::Verify(args) => verify::run(repo, args),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Each command built alone is the command the whole command line builds,
    /// down to its help, and so is the line around it.
    #[test]
    fn each_command_is_built_alone_as_the_whole_command_line_builds_it() {
        let mut whole = Cli::command();
        whole.build();
        let mut names = Vec::new();
        // clap's own `help` command is left to the whole command line.
        for command in whole.get_subcommands().filter(|c| c.get_name() != "help") {
            let name = command.get_name();
            let mut line = alone(name).unwrap_or_else(|| panic!("{name} is not built alone"));
            line.build();
            let built = line.find_subcommand(name).expect("the command");
            // Where it is listed is the whole line's business.
            let listed_first = |c: &clap::Command| format!("{:?}", c.clone().display_order(0));
            assert_eq!(listed_first(built), listed_first(command), "{name}");
            for alias in command.get_all_aliases() {
                assert!(alone(alias).is_some(), "{alias}");
            }
            assert_eq!(line.get_name(), whole.get_name());
            assert_eq!(line.get_version(), whole.get_version());
            assert_eq!(
                line.get_about().map(ToString::to_string),
                whole.get_about().map(ToString::to_string)
            );
            assert_eq!(
                line.get_long_about().map(ToString::to_string),
                whole.get_long_about().map(ToString::to_string)
            );
            let arguments = |c: &clap::Command| {
                c.get_arguments()
                    .map(|a| format!("{a:?}"))
                    .collect::<Vec<_>>()
            };
            assert_eq!(arguments(&line), arguments(&whole));
            assert_eq!(
                line.is_subcommand_required_set(),
                whole.is_subcommand_required_set()
            );
            assert_eq!(
                line.is_arg_required_else_help_set(),
                whole.is_arg_required_else_help_set()
            );
            names.push(name.to_string());
        }
        assert!(names.len() >= 17, "{names:?}");
        assert!(alone("nothing").is_none());
    }

    #[test]
    fn the_command_is_the_first_word_that_is_not_an_option() {
        let line =
            |words: &[&str]| -> Vec<std::ffi::OsString> { words.iter().map(Into::into).collect() };
        assert_eq!(
            named_command(&line(&["baseline", "redline", "X"])),
            Some("redline")
        );
        assert_eq!(
            named_command(&line(&["baseline", "-C", "dir", "list"])),
            Some("list")
        );
        assert_eq!(named_command(&line(&["baseline", "--help"])), None);
        assert_eq!(named_command(&line(&["baseline", "-Cdir", "list"])), None);
        assert_eq!(named_command(&line(&["baseline", "-C"])), None);
        assert_eq!(named_command(&line(&["baseline"])), None);
    }
}
