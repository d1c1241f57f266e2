//! The team's shared repository: fetching and pushing through the user's own
//! `git` program, so that ssh keys, credential helpers and proxies work as
//! they do for git itself; and how far the local branch is from its remote.

use std::process::Command;

use super::Repo;
use crate::error::{Error, Result};

/// The remote and branch a clone syncs with.
#[derive(Debug, Clone)]
pub struct Upstream {
    pub remote: String,
    /// The remote's branch (`main`): the one this branch tracks, else the
    /// one of the same name.
    pub branch: String,
}

impl Upstream {
    /// Where `git fetch` keeps the remote's branch.
    pub fn tracking_ref(&self) -> String {
        format!("refs/remotes/{}/{}", self.remote, self.branch)
    }

    /// Where sync keeps the remote's tags as fetched, apart from the local
    /// ones, so that a tag made on both sides is compared, not clobbered.
    pub fn tags_namespace(&self) -> String {
        format!("refs/baseline/remote-tags/{}/", self.remote)
    }
}

/// What a push came to.
pub enum Pushed {
    Done,
    /// The remote's branch moved since it was fetched: fetch and try again.
    RemoteMoved,
}

impl Repo {
    /// The remote to sync with: the one named, else the branch's upstream
    /// (`branch.<name>.remote`), else `origin`; refused if it is not configured.
    pub fn upstream(&self, remote: Option<&str>) -> Result<Upstream> {
        let branch_ref = self.branch_ref()?;
        let branch = branch_ref
            .strip_prefix("refs/heads/")
            .unwrap_or(&branch_ref)
            .to_string();
        let config = self.git.config()?;
        let configured = config.get_string(&format!("branch.{branch}.remote")).ok();
        // The remote's branch this one tracks, where it is set (`git branch -u`).
        let branch = config
            .get_string(&format!("branch.{branch}.merge"))
            .ok()
            .and_then(|merge| merge.strip_prefix("refs/heads/").map(str::to_string))
            .unwrap_or(branch);
        let remote = remote
            .map(str::to_string)
            .or(configured)
            .unwrap_or_else(|| "origin".to_string());
        if self.git.find_remote(&remote).is_err() {
            return Err(Error::refused(
                format!("this clone has no remote named `{remote}`"),
                "name the shared repository with `git remote add origin URL`, or name another remote: `baseline sync REMOTE`",
            ));
        }
        Ok(Upstream { remote, branch })
    }

    /// Commits the branch has that its remote-tracking branch lacks, and the
    /// reverse, as of the last fetch; none when it was never fetched.
    pub fn ahead_behind(&self, upstream: &Upstream) -> Result<Option<(usize, usize)>> {
        let (Ok(local), Ok(remote)) = (
            self.git.refname_to_id(&self.branch_ref()?),
            self.git.refname_to_id(&upstream.tracking_ref()),
        ) else {
            return Ok(None);
        };
        Ok(Some(self.git.graph_ahead_behind(local, remote)?))
    }

    /// Fetches the remote's branches, and its tags into a namespace of their own.
    pub fn fetch(&self, upstream: &Upstream) -> Result<()> {
        let heads = format!("+refs/heads/*:refs/remotes/{}/*", upstream.remote);
        let tags = format!("+refs/tags/*:{}*", upstream.tags_namespace());
        let args = [
            "fetch",
            "--quiet",
            "--no-tags",
            "--prune",
            &upstream.remote,
            &heads,
            &tags,
        ];
        let output = self.run_git(&args)?;
        if !output.status.success() {
            return Err(git_failed("fetch from", upstream, &output));
        }
        Ok(())
    }

    /// Pushes `head` as the remote's branch and each tag (name, tag object),
    /// all or none.
    pub fn push(
        &self,
        upstream: &Upstream,
        head: git2::Oid,
        tags: &[(String, git2::Oid)],
    ) -> Result<Pushed> {
        let mut args = vec![
            "push".to_string(),
            "--atomic".to_string(),
            "--porcelain".to_string(),
            upstream.remote.clone(),
            format!("{head}:refs/heads/{}", upstream.branch),
        ];
        args.extend(
            tags.iter()
                .map(|(name, tag)| format!("{tag}:{}", crate::model::paths::tag_ref(name))),
        );
        let output = self.run_git(&args)?;
        if output.status.success() {
            return Ok(Pushed::Done);
        }
        let said = String::from_utf8_lossy(&output.stdout);
        let moved = said.lines().any(|line| {
            line.contains("[rejected]")
                && (line.contains("fetch first") || line.contains("non-fast-forward"))
        });
        if moved {
            return Ok(Pushed::RemoteMoved);
        }
        Err(git_failed("push to", upstream, &output))
    }

    fn run_git<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Result<std::process::Output> {
        Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(args)
            .env_remove("GIT_DIR")
            .output()
            .map_err(|err| {
                Error::failed(
                    format!("could not run git: {err}"),
                    "install git and make sure the `git` program is on the PATH",
                )
            })
    }
}

/// Text from git or from other people's commits, safe to print: control
/// characters (escape sequences among them) other than line breaks and tabs
/// are dropped.
pub fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .filter(|c| !crate::model::is_bidi_control(*c))
        .collect()
}

fn git_failed(what: &str, upstream: &Upstream, output: &std::process::Output) -> Error {
    let said = [&output.stderr, &output.stdout]
        .iter()
        .map(|text| printable(String::from_utf8_lossy(text).trim()))
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    Error::refused(
        format!("git could not {what} `{}`:\n{said}", upstream.remote),
        format!(
            "check that `git {} {}` works from this clone (network, credentials, the server's checks)",
            what.split(' ').next().unwrap_or(what),
            upstream.remote
        ),
    )
}
