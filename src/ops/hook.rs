//! `baseline hook`: the checks git runs on a push, written into a repository's
//! hooks folder — pre-receive in a bare repository (a server's), pre-push in a
//! clone. The scripts are the ones in `examples/hooks/`, so there is one copy.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, io_at};
use crate::repo::Repo;

/// Which hook a repository gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKind {
    /// A bare repository's: checks every push it receives.
    PreReceive,
    /// A clone's: checks what is about to be pushed, before it is sent.
    PrePush,
}

impl HookKind {
    pub fn for_repo(repo: &Repo) -> HookKind {
        if repo.is_bare() {
            HookKind::PreReceive
        } else {
            HookKind::PrePush
        }
    }

    /// The hook's file name, as git looks for it.
    pub fn name(self) -> &'static str {
        match self {
            HookKind::PreReceive => "pre-receive",
            HookKind::PrePush => "pre-push",
        }
    }

    fn example(self) -> &'static str {
        match self {
            HookKind::PreReceive => include_str!("../../examples/hooks/pre-receive"),
            HookKind::PrePush => include_str!("../../examples/hooks/pre-push"),
        }
    }
}

/// The line of each example naming the binary that installed it: empty there.
const INSTALLED_LINE: &str = "installed=''\n";

/// Every hook this tool writes says so on a line starting with this; a hook
/// without it is someone else's.
const MARKER: &str = "# baseline hook: ";

/// A hook in place.
#[derive(Debug)]
pub struct Hook {
    pub kind: HookKind,
    pub path: PathBuf,
}

/// What `install` found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Installed {
    /// There was no hook.
    New,
    /// The same hook was already there.
    Unchanged,
    /// An earlier hook of this tool's (another binary or version) was replaced.
    Updated,
    /// Someone else's hook was replaced, as `--force` asked.
    Replaced,
}

/// What `remove` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removed {
    Removed,
    /// There was no hook to remove.
    Absent,
}

/// The hook script for `kind` that runs `binary` (unless `BASELINE` names another).
pub fn script(kind: HookKind, binary: &Path) -> Result<String> {
    let binary = binary.to_str().ok_or_else(|| {
        Error::refused(
            format!(
                "the path of this baseline binary, {}, is not UTF-8 and cannot be written into a hook",
                binary.display()
            ),
            "move the binary to a folder whose name is plain text, or set BASELINE=/path/to/baseline in the environment git runs hooks with",
        )
    })?;
    let line = format!("installed={}\n", shell_quoted(binary));
    // A checkout on Windows may have given the examples CRLF line ends, which sh misreads.
    Ok(kind
        .example()
        .replace("\r\n", "\n")
        .replacen(INSTALLED_LINE, &line, 1))
}

/// `text` as one sh word: single-quoted, each `'` closed, escaped and reopened.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Writes the hook for this repository, running `binary`. A different hook
/// already there is replaced only with `force`, unless this tool wrote it.
pub fn install(repo: &Repo, binary: &Path, force: bool) -> Result<(Hook, Installed)> {
    let hook = hook_for(repo)?;
    let text = script(hook.kind, binary)?;
    let installed = match existing(&hook.path)? {
        None => Installed::New,
        Some(old) if old == text => Installed::Unchanged,
        Some(old) if old.contains(MARKER) => Installed::Updated,
        Some(_) if force => Installed::Replaced,
        Some(_) => return Err(someone_elses(&hook, "install --force")),
    };
    if installed == Installed::Unchanged {
        make_executable(&hook.path)?;
    } else {
        write_executable(&hook.path, &text)?;
    }
    Ok((hook, installed))
}

/// Removes this tool's hook from the repository; someone else's only with `force`.
pub fn remove(repo: &Repo, force: bool) -> Result<(Hook, Removed)> {
    let hook = hook_for(repo)?;
    match existing(&hook.path)? {
        None => return Ok((hook, Removed::Absent)),
        Some(old) if !old.contains(MARKER) && !force => {
            return Err(someone_elses(&hook, "remove --force"));
        }
        Some(_) => {}
    }
    std::fs::remove_file(&hook.path).map_err(io_at(&hook.path))?;
    Ok((hook, Removed::Removed))
}

/// Which hook the repository gets, and where git looks for it.
pub fn hook_for(repo: &Repo) -> Result<Hook> {
    let kind = HookKind::for_repo(repo);
    Ok(Hook {
        kind,
        path: hooks_dir(repo)?.join(kind.name()),
    })
}

/// git's rule: `core.hooksPath` if set (relative to where hooks run — the top
/// of the working tree, or a bare repository's own folder), else `hooks` in the
/// git folder shared by every worktree.
fn hooks_dir(repo: &Repo) -> Result<PathBuf> {
    let config = repo.git().config()?;
    match config.get_path("core.hooksPath") {
        Ok(path) => Ok(repo.root().join(path)),
        Err(err) if err.code() == git2::ErrorCode::NotFound => {
            Ok(repo.git().commondir().join("hooks"))
        }
        Err(err) => Err(Error::from(err).context("core.hooksPath")),
    }
}

/// The hook at `path`, if there is one. A binary hook is someone else's too.
fn existing(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(io_at(path)(err)),
    }
}

fn someone_elses(hook: &Hook, forced: &str) -> Error {
    Error::refused(
        format!(
            "{} holds a {} hook that baseline did not write",
            hook.path.display(),
            hook.kind.name()
        ),
        format!(
            "keep it and add the checks `baseline hook show` prints to it, or replace it with `baseline hook {forced}`"
        ),
    )
}

/// Writes `text` to `path` whole or not at all (git may run the hook at any
/// moment), as an executable file.
fn write_executable(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io_at(dir))?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(io_at(dir))?;
    file.write_all(text.as_bytes())
        .map_err(io_at(file.path()))?;
    make_executable(file.path())?;
    file.persist(path).map_err(|err| io_at(path)(err.error))?;
    Ok(())
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(io_at(path))
}

/// Git for Windows runs a hook through its own sh whatever the file's mode.
#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The installed script is the example with only the binary's line filled in.
    #[test]
    fn the_script_is_the_example_with_the_binary_named() {
        for kind in [HookKind::PreReceive, HookKind::PrePush] {
            let text = script(kind, Path::new("/opt/it's here/baseline")).unwrap();
            let changed: Vec<(&str, &str)> = kind
                .example()
                .lines()
                .zip(text.lines())
                .filter(|(a, b)| a != b)
                .collect();
            assert_eq!(
                changed,
                [("installed=''", r"installed='/opt/it'\''s here/baseline'")],
                "{}",
                kind.name()
            );
            assert!(text.contains(MARKER), "{}", kind.name());
        }
    }
}
