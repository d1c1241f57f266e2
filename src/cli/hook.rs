use std::io::Write;

use crate::error::{Error, Result};
use crate::ops::hook::{self, HookKind, Installed, Removed};
use crate::repo::Repo;

use super::output::{paint, stdout};
use super::style;

/// The checks git runs on every push, so that nothing that breaks the rules
/// reaches the shared repository.
///
/// In a bare repository (the one on the server everybody pushes to) the hook is
/// pre-receive: it refuses a push that moves or deletes a baseline's tag, adds
/// a baseline without an approved decision, or edits, deletes or rewrites
/// records, and the person pushing sees why. In a clone it is pre-push: the same
/// checks on what is about to be sent, before anything is sent.
///
/// The hook runs this same baseline program, whose full path it records; set
/// BASELINE=/path/to/baseline in the environment git runs with to use another.
/// If the recorded program has gone, the hook runs `baseline` from the PATH.
/// The hook goes where git looks for it: the folder named by git's
/// `core.hooksPath` setting if there is one, else the repository's `hooks` folder.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Install the hook: pre-receive in a bare repository, pre-push in a clone.
    ///
    /// Running it again is harmless, and brings a hook installed earlier by
    /// baseline up to date. A hook baseline did not write is left alone
    /// unless `--force` is given.
    Install(InstallArgs),
    /// Print the hook `install` would write here, to read it or to add its
    /// checks to a hook you already have.
    Show,
    /// Remove the hook baseline installed.
    Remove(RemoveArgs),
}

#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// Replace a hook of the same name that baseline did not write.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// Remove the hook even if baseline did not write it.
    #[arg(long)]
    pub force: bool,
}

pub fn run(repo: &Repo, command: Command) -> Result<()> {
    match command {
        Command::Install(args) => install(repo, args),
        Command::Show => {
            let kind = HookKind::for_repo(repo);
            write!(stdout(), "{}", hook::script(kind, &this_binary()?)?)?;
            Ok(())
        }
        Command::Remove(args) => {
            let (hook, removed) = hook::remove(repo, args.force)?;
            let said = match removed {
                Removed::Removed => "Removed the",
                Removed::Absent => "There is no",
            };
            writeln!(
                stdout(),
                "{said} {} hook {}",
                hook.kind.name(),
                hook.path.display()
            )?;
            Ok(())
        }
    }
}

fn install(repo: &Repo, args: InstallArgs) -> Result<()> {
    let binary = this_binary()?;
    let (hook, installed) = hook::install(repo, &binary, args.force)?;
    let done = match installed {
        Installed::New => "Installed",
        Installed::Unchanged => "Already installed:",
        Installed::Updated => "Updated",
        Installed::Replaced => "Replaced the hook that was there with",
    };
    let checked = match hook.kind {
        HookKind::PreReceive => "Every push this repository receives is checked",
        HookKind::PrePush => "Every `git push` from here is checked, before anything is sent,",
    };
    let mut out = stdout();
    writeln!(
        out,
        "{done} the {} hook {}",
        paint(hook.kind.name(), style::HEADING),
        hook.path.display()
    )?;
    writeln!(out, "{checked} with `{} verify --range`.", binary.display())?;
    Ok(())
}

/// The full path of this program, which the hook runs.
fn this_binary() -> Result<std::path::PathBuf> {
    std::env::current_exe().map_err(|err| {
        Error::failed(
            format!("cannot tell where this baseline program is: {err}"),
            "run baseline by its full path, e.g. /usr/local/bin/baseline hook install",
        )
    })
}
