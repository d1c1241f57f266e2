//! OpenPGP signatures through the `gpg` program.
//!
//! Signing uses the user's own gpg (their keyring, agent and passphrase), as
//! `git tag -s` does. Checking never does: a [`GpgChecker`] is a throwaway
//! gpg home inside `.git/baseline/` holding only the approvers' keys, so that
//! no key, trust setting or configuration of the user's can vouch for a
//! signature. It starts no agent (`--no-autostart`), and when dropped stops
//! any gpg process that ran in it (`gpgconf --kill all`) and removes itself.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::Repo;
use super::signing::run_or;
use crate::error::{Error, Result, io_at};
use crate::model::approvers::PublicKey;
use crate::model::openpgp::{self, Verdict};

/// How to install gpg, said wherever it is missing.
const INSTALL_HINT: &str =
    "install GnuPG (Debian/Ubuntu: gnupg) and make sure `gpg` and `gpgconf` are on the PATH";

/// The program git signs OpenPGP with: `gpg.openpgp.program`, else
/// `gpg.program`, else `gpg`.
pub(crate) fn user_gpg_program(config: &git2::Config) -> String {
    ["gpg.openpgp.program", "gpg.program"]
        .iter()
        .find_map(|key| config.get_string(key).ok())
        .unwrap_or_else(|| "gpg".to_string())
}

fn run(command: &mut Command, what: &str) -> Result<Output> {
    run_or(command, what, INSTALL_HINT)
}

/// Where the user's own gpg cannot run: git signs with OpenPGP (its default)
/// unless told otherwise.
const USER_GPG_HINT: &str = "install GnuPG (Debian/Ubuntu: gnupg), or set gpg.program to it; or sign with an SSH key: `git config gpg.format ssh` and `git config user.signingkey ~/.ssh/id_ed25519`";

impl Repo {
    /// The OpenPGP key git would sign with: `user.signingkey` (a fingerprint,
    /// key id or user id), or, unset, the committer's identity as git passes
    /// it to gpg; looked up among the user's secret keys, and its public key
    /// exported from their keyring.
    pub(crate) fn openpgp_signing_key(&self, config: &git2::Config) -> Result<PublicKey> {
        let spec = self.signing_key_spec(config)?;
        self.openpgp_secret_key(&spec)
    }

    /// The OpenPGP key whose secret half the user's gpg has for `spec` (a
    /// fingerprint, key id or user id), as their keyring exports it.
    pub(crate) fn openpgp_secret_key(&self, spec: &str) -> Result<PublicKey> {
        let config = self.git.config()?.snapshot()?;
        let program = user_gpg_program(&config);
        let listed = run_or(
            Command::new(&program).args([
                "--batch",
                "--with-colons",
                "--fixed-list-mode",
                "--list-secret-keys",
                "--",
                spec,
            ]),
            "find your signing key",
            USER_GPG_HINT,
        )?;
        let listing = String::from_utf8_lossy(&listed.stdout);
        let Some(fingerprint) = primary_fingerprint(&listing) else {
            return Err(Error::refused(
                format!(
                    "gpg has no secret key for `{}` to sign with",
                    spec.escape_debug()
                ),
                super::signing::SETUP_HINT,
            ));
        };
        let exported = run_or(
            Command::new(&program).args(["--batch", "--export", "--", &fingerprint]),
            "export your public key",
            USER_GPG_HINT,
        )?;
        let key = openpgp::key_from_binary(exported.stdout).map_err(|_| {
            Error::failed(
                format!("gpg did not export the public key {fingerprint} as one OpenPGP key"),
                "check `gpg --export KEYID` writes your key",
            )
        })?;
        if key.fingerprint != fingerprint {
            return Err(Error::failed(
                format!("gpg exported the key {} for {fingerprint}", key.fingerprint),
                "report this with the output of `gpg --export KEYID | gpg --list-packets`",
            ));
        }
        Ok(PublicKey::from_openpgp(&key))
    }
}

/// The first primary secret key's fingerprint in a `--with-colons` listing:
/// the `fpr` record that follows the first `sec` record.
fn primary_fingerprint(listing: &str) -> Option<String> {
    let mut in_primary = false;
    for line in listing.lines() {
        let mut fields = line.split(':');
        match fields.next() {
            Some("sec") => in_primary = true,
            Some("fpr") if in_primary => {
                let fpr = fields.nth(8)?;
                return openpgp::looks_like_fingerprint(fpr).then(|| fpr.to_string());
            }
            Some("ssb" | "sub" | "uid") => in_primary = false,
            _ => {}
        }
    }
    None
}

/// A throwaway gpg home holding approvers' OpenPGP keys, to check signatures
/// against them alone.
pub struct GpgChecker {
    home: tempfile::TempDir,
    /// The exports imported so far, so that each is imported once.
    imported: HashSet<String>,
}

impl GpgChecker {
    /// A new, empty home inside the repository's `.git/baseline/`.
    pub fn new(repo: &Repo) -> Result<Self> {
        let home = repo.scratch_dir("gpg-")?;
        Ok(GpgChecker {
            home,
            imported: HashSet::new(),
        })
    }

    /// gpg in this home alone, with nothing fetched, no agent, and every key
    /// trusted (whose key it is, is for the approvers file to say).
    fn gpg(&self) -> Command {
        let mut command = Command::new("gpg");
        command
            .arg("--homedir")
            .arg(self.home.path())
            .args([
                "--batch",
                "--no-tty",
                "--no-autostart",
                "--no-auto-key-retrieve",
                "--trust-model",
                "always",
            ])
            .env_remove("GNUPGHOME");
        command
    }

    /// Imports the OpenPGP keys among `keys` not imported yet.
    pub fn import(&mut self, keys: &[&PublicKey]) -> Result<()> {
        let mut bytes = Vec::new();
        for key in keys {
            if self.imported.contains(&key.base64) {
                continue;
            }
            if let Some(export) = key.openpgp_export() {
                bytes.extend(export);
                self.imported.insert(key.base64.clone());
            }
        }
        if bytes.is_empty() {
            return Ok(());
        }
        let file = self.write("import.pgp", &bytes)?;
        // A key gpg will not import (no valid self-signature, say) is simply
        // not there: a signature by it is then by an unknown key.
        run(
            self.gpg().arg("--import").arg(&file),
            "import approvers' keys",
        )?;
        Ok(())
    }

    /// What gpg says of `armored`, a detached signature, over `payload`.
    pub fn check(&self, payload: &[u8], armored: &str) -> Result<Verdict> {
        let data = self.write("payload", payload)?;
        let signature = self.write("payload.asc", armored.as_bytes())?;
        let out = run(
            self.gpg()
                .args(["--status-fd", "1", "--verify"])
                .arg(&signature)
                .arg(&data),
            "check a signed baseline",
        )?;
        Ok(openpgp::read_status(&String::from_utf8_lossy(&out.stdout)))
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<std::path::PathBuf> {
        let path = self.home.path().join(name);
        std::fs::write(&path, bytes).map_err(io_at(&path))?;
        Ok(path)
    }
}

impl Drop for GpgChecker {
    /// Stops whatever gpg left running in the home; the folder then goes.
    fn drop(&mut self) {
        kill_gpg_processes(self.home.path());
    }
}

pub(super) fn kill_gpg_processes(home: &Path) {
    let _ = Command::new("gpgconf")
        .arg("--homedir")
        .arg(home)
        .args(["--kill", "all"])
        .env_remove("GNUPGHOME")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primary_fingerprint_is_read_from_a_listing() {
        let listing = "sec:u:255:22:AAAA:1:::u:::scESC:::+:::ed25519:::0:\nfpr:::::::::0123456789ABCDEF0123456789ABCDEF01234567:\ngrp:::::::::X:\nuid:u::::1::H::Tess <tess@example.org>::::::::::0:\n";
        assert_eq!(
            primary_fingerprint(listing).as_deref(),
            Some("0123456789ABCDEF0123456789ABCDEF01234567")
        );
        assert_eq!(primary_fingerprint(""), None);
        assert_eq!(primary_fingerprint("ssb:u\nfpr:::::::::X:\n"), None);
    }
}
