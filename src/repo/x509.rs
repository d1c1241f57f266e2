//! X.509 signatures through the `gpgsm` program.
//!
//! Signing uses the user's own gpgsm (their keybox, agent and passphrase), as
//! `git tag -s` does with `gpg.format x509`. Checking never does: a
//! [`GpgsmChecker`] is a throwaway gpgsm home inside `.git/baseline/` holding
//! only the approvers' certificates, each trusted as its own root there
//! (`trustlist.txt`, flag `relax`), with no network (no dirmngr, no CRL,
//! OCSP or policy checks). gpgsm asks gpg-agent whether a root is trusted, so
//! an agent starts in that home; when the checker is dropped it is stopped
//! (`gpgconf --kill all`) and the home removed.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output};

use super::Repo;
use super::signing::run_or;
use crate::error::{Error, Result, io_at};
use crate::model::approvers::PublicKey;
use crate::model::x509::{self, Verdict};

/// How to install gpgsm, said wherever it is missing.
const INSTALL_HINT: &str = "install GnuPG's gpgsm (Debian/Ubuntu: gpgsm) and make sure `gpgsm` and `gpgconf` are on the PATH";

/// Where the user's own gpgsm cannot run.
const USER_GPGSM_HINT: &str = "install gpgsm (Debian/Ubuntu: gpgsm), or set gpg.x509.program to it; or sign with an SSH key: `git config gpg.format ssh` and `git config user.signingkey ~/.ssh/id_ed25519`";

/// The program git signs X.509 with: `gpg.x509.program`, else `gpgsm`.
fn user_gpgsm_program(config: &git2::Config) -> String {
    config
        .get_string("gpg.x509.program")
        .unwrap_or_else(|_| "gpgsm".to_string())
}

impl Repo {
    /// The X.509 certificate git would sign with: `user.signingkey` (a
    /// fingerprint, key id, subject or email), or, unset, the committer's
    /// identity as git passes it to gpgsm; looked up among the user's
    /// certificates with a secret key, and exported from their keybox.
    pub(crate) fn x509_signing_key(&self, config: &git2::Config) -> Result<PublicKey> {
        let spec = self.signing_key_spec(config)?;
        self.x509_secret_key(&spec)
    }

    /// The certificate whose secret key the user's gpgsm has for `spec`, as
    /// their keybox exports it.
    pub(crate) fn x509_secret_key(&self, spec: &str) -> Result<PublicKey> {
        let config = self.git.config()?.snapshot()?;
        let program = user_gpgsm_program(&config);
        let listed = run_or(
            Command::new(&program).args([
                "--batch",
                "--with-colons",
                "--list-secret-keys",
                "--",
                spec,
            ]),
            "find your signing certificate",
            USER_GPGSM_HINT,
        )?;
        let listing = String::from_utf8_lossy(&listed.stdout);
        let Some(fingerprint) = x509::listed_fingerprints(&listing).into_iter().next() else {
            return Err(Error::refused(
                format!(
                    "gpgsm has no certificate with a secret key for `{}` to sign with",
                    spec.escape_debug()
                ),
                super::signing::SETUP_HINT,
            ));
        };
        let exported = run_or(
            Command::new(&program).args(["--batch", "--export", "--", &fingerprint]),
            "export your certificate",
            USER_GPGSM_HINT,
        )?;
        if x509::fingerprint(&exported.stdout) != fingerprint {
            return Err(Error::failed(
                format!("gpgsm did not export the certificate {fingerprint} alone"),
                "check `gpgsm --export FINGERPRINT` writes your certificate",
            ));
        }
        Ok(PublicKey::from_x509(&exported.stdout))
    }

    /// Checks that an X.509 key read from a file (`what`) is one certificate,
    /// as gpgsm reads it: imported into a throwaway home, it is listed alone,
    /// with the fingerprint of the bytes given.
    pub(crate) fn check_x509_certificate(&self, key: &PublicKey, what: &str) -> Result<()> {
        let mut checker = GpgsmChecker::new(self)?;
        checker.import(&[key])?;
        let listed = checker.listed()?;
        if listed != [key.fingerprint.as_str()] {
            return Err(Error::refused(
                format!(
                    "{what} is not one X.509 certificate as gpgsm reads it ({} listed from it)",
                    listed.len()
                ),
                "give one certificate, PEM or DER, as `gpgsm --export --armor FINGERPRINT > cert.pem` writes it",
            ));
        }
        Ok(())
    }
}

/// A throwaway gpgsm home holding approvers' certificates, to check
/// signatures against them alone.
pub struct GpgsmChecker {
    home: tempfile::TempDir,
    /// The certificates imported so far, by fingerprint, each imported once.
    imported: HashSet<String>,
}

impl GpgsmChecker {
    /// A new, empty home inside the repository's `.git/baseline/`.
    pub fn new(repo: &Repo) -> Result<Self> {
        let home = repo.scratch_dir("gpgsm-")?;
        Ok(GpgsmChecker {
            home,
            imported: HashSet::new(),
        })
    }

    /// gpgsm in this home alone, offline: no dirmngr, no CRL, OCSP or policy
    /// checks, and none of the certificates a new keybox would otherwise
    /// take in.
    fn gpgsm(&self) -> Command {
        let mut command = Command::new("gpgsm");
        command
            .arg("--homedir")
            .arg(self.home.path())
            .args([
                "--batch",
                "--no-tty",
                "--disable-dirmngr",
                "--disable-crl-checks",
                "--disable-trusted-cert-crl-check",
                "--disable-ocsp",
                "--disable-policy-checks",
                "--no-common-certs-import",
            ])
            .env_remove("GNUPGHOME");
        command
    }

    fn run(&self, command: &mut Command, what: &str) -> Result<Output> {
        run_or(command, what, INSTALL_HINT)
    }

    /// Imports the X.509 certificates among `keys` not imported yet, and
    /// trusts each as a root here (whose certificate it is, is for the
    /// approvers file to say).
    pub fn import(&mut self, keys: &[&PublicKey]) -> Result<()> {
        let mut files = Vec::new();
        let mut trusted = String::new();
        for key in keys {
            if self.imported.contains(&key.fingerprint) {
                continue;
            }
            if let Some(der) = key.x509_certificate() {
                let name = format!("cert-{}.der", self.imported.len());
                files.push(self.write(&name, &der)?);
                trusted.push_str(&format!("{} S relax\n", key.fingerprint));
                self.imported.insert(key.fingerprint.clone());
            }
        }
        if files.is_empty() {
            return Ok(());
        }
        // A certificate gpgsm will not import is simply not there: a
        // signature by it is then by an unknown certificate.
        self.run(
            self.gpgsm().arg("--import").args(&files),
            "import approvers' certificates",
        )?;
        let path = self.home.path().join("trustlist.txt");
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(trusted.as_bytes()))
            .map_err(io_at(&path))?;
        Ok(())
    }

    /// The fingerprints of the certificates this home holds.
    fn listed(&self) -> Result<Vec<String>> {
        let out = self.run(
            self.gpgsm().args(["--with-colons", "--list-keys"]),
            "list approvers' certificates",
        )?;
        Ok(x509::listed_fingerprints(&String::from_utf8_lossy(
            &out.stdout,
        )))
    }

    /// What gpgsm says of `armored`, a detached signature, over `payload`.
    pub fn check(&self, payload: &[u8], armored: &str) -> Result<Verdict> {
        let data = self.write("payload", payload)?;
        let signature = self.write("payload.sig", armored.as_bytes())?;
        let out = self.run(
            self.gpgsm()
                .args(["--status-fd", "1", "--verify"])
                .arg(&signature)
                .arg(&data),
            "check a signed baseline",
        )?;
        Ok(x509::read_status(&String::from_utf8_lossy(&out.stdout)))
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf> {
        let path = self.home.path().join(name);
        std::fs::write(&path, bytes).map_err(io_at(&path))?;
        Ok(path)
    }
}

impl Drop for GpgsmChecker {
    /// Stops the agent gpgsm started in the home; the folder then goes.
    fn drop(&mut self) {
        super::openpgp::kill_gpg_processes(self.home.path());
    }
}
