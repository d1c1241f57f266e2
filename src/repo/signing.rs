//! Signed baseline tags: made with the user's own git signing setup by the
//! `git` program (`git tag -s`), and checked with `ssh-keygen -Y verify` (SSH)
//! or gpg in a throwaway home (OpenPGP, see [`super::openpgp`]), or gpgsm in
//! one (X.509, see [`super::x509`]).
//!
//! `git tag -s` would create the tag's ref at once, before the transaction
//! moves the branch. So it runs in a scratch repository inside `.git/baseline/`
//! that borrows this one's objects (git's alternates): the signed tag object
//! is copied into this repository's object store, and the transaction's
//! journal makes the ref with the branch, as it does for every tag.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::Repo;
use crate::error::{Error, Result, io_at};
use crate::model::approvers::{PublicKey, SignatureFormat, split_signed, ssh_signature_key};
use crate::model::openpgp;

/// How to set signing up, said wherever signing is refused.
pub const SETUP_HINT: &str = "set up git to sign with an SSH key (`git config gpg.format ssh` and `git config user.signingkey ~/.ssh/id_ed25519`, the private key or its .pub with ssh-agent), an OpenPGP key (`git config gpg.format openpgp` and `git config user.signingkey FINGERPRINT`) or an X.509 certificate (`git config gpg.format x509` and `git config user.signingkey FINGERPRINT`); an approver's key is listed with `baseline approver add NAME --key FILE --role ROLE --decision DEC`";

impl Repo {
    /// The public key git would sign with, as `gpg.format` says (OpenPGP when
    /// unset, as for git): an SSH key that `user.signingkey` names, the
    /// OpenPGP key gpg finds for it, or the X.509 certificate gpgsm finds.
    pub fn signing_key(&self) -> Result<PublicKey> {
        let config = self.git.config()?.snapshot()?;
        let format = config
            .get_string("gpg.format")
            .unwrap_or_else(|_| "openpgp".into());
        match format.as_str() {
            "ssh" => self.ssh_signing_key(&config),
            "openpgp" => self.openpgp_signing_key(&config),
            "x509" => self.x509_signing_key(&config),
            _ => Err(Error::refused(
                format!(
                    "gpg.format = {} is not a signing format git knows",
                    format.escape_debug()
                ),
                SETUP_HINT,
            )),
        }
    }

    /// The SSH public key `user.signingkey` names: a file, or `key::…` /
    /// `ssh-…` itself.
    fn ssh_signing_key(&self, config: &git2::Config) -> Result<PublicKey> {
        let Ok(configured) = config.get_string("user.signingkey") else {
            return Err(Error::refused(
                "git has no signing key set (user.signingkey)",
                SETUP_HINT,
            ));
        };
        let configured = configured.trim();
        if let Some(literal) = configured.strip_prefix("key::") {
            return PublicKey::parse(literal, "user.signingkey");
        }
        if configured.starts_with("ssh-")
            || configured.starts_with("ecdsa-")
            || configured.starts_with("sk-")
        {
            return PublicKey::parse(configured, "user.signingkey");
        }
        let path = self.key_path(configured);
        let text = std::fs::read_to_string(&path).map_err(|err| {
            Error::refused(
                format!(
                    "user.signingkey names {}, which cannot be read: {err}",
                    path.display()
                ),
                SETUP_HINT,
            )
        })?;
        if !text.trim_start().starts_with("-----BEGIN") {
            return PublicKey::parse(&text, &path.display().to_string());
        }
        // A private key: its public half is beside it.
        let public = PathBuf::from(format!("{}.pub", path.display()));
        let text = std::fs::read_to_string(&public).map_err(|err| {
            Error::refused(
                format!(
                    "user.signingkey names the private key {}, and its public key {} cannot be read: {err}",
                    path.display(),
                    public.display()
                ),
                "keep the .pub file ssh-keygen made beside the private key",
            )
        })?;
        PublicKey::parse(&text, &public.display().to_string())
    }

    /// A key file's path as git reads `user.signingkey`: `~/` is the home folder.
    fn key_path(&self, configured: &str) -> PathBuf {
        let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
        match (configured.strip_prefix("~/"), home) {
            (Some(rest), Some(home)) => Path::new(&home).join(rest),
            _ => self.root.join(configured),
        }
    }

    /// A signed annotated tag `name` on `commit` with `message`, made by
    /// `git tag -s` with the user's setup; returns the tag object, now in this
    /// repository's object store. Refused unless it was signed by `key`.
    pub(crate) fn signed_tag(
        &self,
        name: &str,
        commit: git2::Oid,
        message: &str,
        key: &PublicKey,
    ) -> Result<git2::Oid> {
        let scratch = self.scratch_dir("sign-")?;
        let dir = scratch.path();
        let objects = self.git.commondir().join("objects");
        for folder in ["objects/info", "refs/heads", "refs/tags"] {
            std::fs::create_dir_all(dir.join(folder)).map_err(io_at(dir))?;
        }
        let write = |file: &str, text: &str| {
            std::fs::write(dir.join(file), text).map_err(io_at(&dir.join(file)))
        };
        write("HEAD", "ref: refs/heads/main\n")?;
        write(
            "objects/info/alternates",
            &format!("{}\n", objects.display()),
        )?;
        write("TAG_MESSAGE", message)?;
        let identity = self.signature()?;
        let config = self.git.config()?.snapshot()?;
        let mut command = Command::new("git");
        command.arg(format!("--git-dir={}", dir.display()));
        // The setup as this repository's own configuration has it (a scratch
        // repository reads only the user's and the system's).
        for key in [
            "gpg.format",
            "gpg.program",
            "gpg.ssh.program",
            "gpg.openpgp.program",
            "gpg.x509.program",
        ] {
            if let Ok(value) = config.get_string(key) {
                command.arg("-c").arg(format!("{key}={value}"));
            }
        }
        for setting in self.signing_key_settings(&config, key) {
            command.arg("-c").arg(setting);
        }
        let output = command
            .args(["tag", "-s", "--cleanup=verbatim", "-F"])
            .arg(dir.join("TAG_MESSAGE"))
            // A name starting with `-` is still a name.
            .arg("--")
            .arg(name)
            .arg(commit.to_string())
            .current_dir(dir)
            .env("GIT_COMMITTER_NAME", identity.name().unwrap_or("?"))
            .env("GIT_COMMITTER_EMAIL", identity.email().unwrap_or("?"))
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
            .env_remove("GIT_NAMESPACE")
            .stdin(Stdio::null())
            .output()
            .map_err(|err| {
                Error::failed(
                    format!("could not run git to sign the tag: {err}"),
                    "install git and make sure the `git` program is on the PATH",
                )
            })?;
        if !output.status.success() {
            let said = super::remote::printable(String::from_utf8_lossy(&output.stderr).trim());
            return Err(Error::refused(
                format!("git could not sign the tag {name}:\n{said}"),
                SETUP_HINT,
            ));
        }
        let scratch_repo = git2::Repository::open_bare(dir)?;
        let tag = scratch_repo.refname_to_id(&crate::model::paths::tag_ref(name))?;
        let scratch_odb = scratch_repo.odb()?;
        let object = scratch_odb.read(tag)?;
        let copied = self
            .git
            .odb()?
            .write(git2::ObjectType::Tag, object.data())?;
        let signed_with = self.tag_signed_with(object.data(), key)?;
        if signed_with.as_deref() != Some(key.fingerprint.as_str()) {
            return Err(Error::refused(
                format!(
                    "git signed the tag {name} with another key ({}) than the one it must carry ({})",
                    signed_with.as_deref().unwrap_or("none"),
                    key.fingerprint
                ),
                "set user.signingkey to that key (`baseline approver list` shows whose key it is), then run the command again",
            ));
        }
        Ok(copied)
    }

    /// The `user.signingkey` settings that make git sign with `key`: for SSH
    /// the key itself, and the configured key file as an absolute path
    /// (git runs elsewhere); for OpenPGP the key's fingerprint, which gpg
    /// finds in the user's keyring (a signing subkey of it signs, if it has
    /// one); for X.509 the certificate's fingerprint, which gpgsm finds.
    fn signing_key_settings(&self, config: &git2::Config, key: &PublicKey) -> Vec<String> {
        if key.format != SignatureFormat::Ssh {
            return vec![format!("user.signingkey={}", key.fingerprint)];
        }
        let mut settings = vec![format!("user.signingkey=key::{}", key.line())];
        if let Ok(value) = config.get_string("user.signingkey") {
            let configured = value.trim();
            let literal = configured.starts_with("key::")
                || configured.starts_with("ssh-")
                || configured.starts_with("ecdsa-")
                || configured.starts_with("sk-");
            if !literal {
                settings.push(format!(
                    "user.signingkey={}",
                    self.key_path(configured).display()
                ));
            }
        }
        settings
    }

    /// The fingerprint of the key that signed a tag object just made: read
    /// from an SSH signature; for OpenPGP, the primary key gpg names when it
    /// checks the signature against `key` alone; for X.509, the certificate
    /// gpgsm names when it checks the signature against `key` alone.
    fn tag_signed_with(&self, raw: &[u8], key: &PublicKey) -> Result<Option<String>> {
        let (payload, signature) = split_signed(raw);
        let Some(signature) = signature else {
            return Ok(None);
        };
        match signature.format {
            SignatureFormat::Ssh => {
                Ok(ssh_signature_key(&signature.armored).map(|k| k.fingerprint))
            }
            SignatureFormat::Openpgp => {
                let mut checker = super::openpgp::GpgChecker::new(self)?;
                checker.import(&[key])?;
                Ok(match checker.check(payload, &signature.armored)? {
                    crate::model::openpgp::Verdict::Good { primary, .. } => Some(primary),
                    _ => None,
                })
            }
            SignatureFormat::X509 => {
                let mut checker = super::x509::GpgsmChecker::new(self)?;
                checker.import(&[key])?;
                Ok(match checker.check(payload, &signature.armored)? {
                    crate::model::x509::Verdict::Good { fingerprint, .. } => Some(fingerprint),
                    _ => None,
                })
            }
        }
    }
}

/// What a baseline tag's signature says, read without checking it (`verify`
/// checks it).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TagSignatureInfo {
    pub format: SignatureFormat,
    /// The SSH key's fingerprint; for OpenPGP, the issuer the signature
    /// names (the signing key's fingerprint, or its key id), unchecked; null
    /// for X.509 (a CMS signature names its certificate by issuer and serial
    /// number, which only gpgsm reads: `verify` checks it).
    pub key: Option<String>,
    /// When the tag was signed (its tagger's time), RFC 3339.
    pub signed_at: Option<String>,
    /// Who git says made the tag.
    pub tagger: Option<String>,
}

impl Repo {
    /// What git asks gpg or gpgsm to sign with: `user.signingkey`, or, unset,
    /// the committer's identity as git passes it ("Name <email>").
    pub(crate) fn signing_key_spec(&self, config: &git2::Config) -> Result<String> {
        if let Ok(value) = config.get_string("user.signingkey") {
            return Ok(value.trim().to_string());
        }
        let me = self.signature()?;
        Ok(format!(
            "{} <{}>",
            me.name().unwrap_or(""),
            me.email().unwrap_or("")
        ))
    }

    /// The signature of the annotated tag `name`, if it is signed.
    pub fn tag_signature(&self, name: &str) -> Option<TagSignatureInfo> {
        let reference = self
            .git
            .find_reference(&crate::model::paths::tag_ref(name))
            .ok()?;
        let tag = reference
            .peel(git2::ObjectType::Tag)
            .ok()?
            .into_tag()
            .ok()?;
        let (_, signature) = split_signed(tag.message_bytes()?);
        let signature = signature?;
        let tagger = tag.tagger();
        Some(TagSignatureInfo {
            format: signature.format,
            key: match signature.format {
                SignatureFormat::Ssh => {
                    ssh_signature_key(&signature.armored).map(|k| k.fingerprint)
                }
                SignatureFormat::Openpgp => openpgp::signature_issuer(&signature.armored),
                SignatureFormat::X509 => None,
            },
            signed_at: tagger.as_ref().and_then(|t| {
                jiff::Timestamp::from_second(t.when().seconds())
                    .ok()
                    .map(|ts| ts.to_string())
            }),
            tagger: tagger.map(|t| {
                format!(
                    "{} <{}>",
                    String::from_utf8_lossy(t.name_bytes()),
                    String::from_utf8_lossy(t.email_bytes())
                )
            }),
        })
    }
}

/// Whether `armored`, an SSH signature made by `key`, signs `payload` in git's
/// namespace: checked by `ssh-keygen -Y verify`.
pub fn ssh_signature_holds(payload: &[u8], armored: &str, key: &PublicKey) -> Result<bool> {
    let dir = tempfile::tempdir().map_err(|err| {
        Error::failed(
            format!("could not make a temporary folder: {err}"),
            "check the temporary folder (TMPDIR) is writable",
        )
    })?;
    let path = |name: &str| dir.path().join(name);
    let write =
        |name: &str, bytes: &[u8]| std::fs::write(path(name), bytes).map_err(io_at(&path(name)));
    write(
        "allowed",
        format!("signer namespaces=\"git\" {}\n", key.line()).as_bytes(),
    )?;
    write("payload", payload)?;
    write("payload.sig", armored.as_bytes())?;
    let payload = std::fs::File::open(path("payload")).map_err(io_at(&path("payload")))?;
    let status = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-n", "git", "-I", "signer", "-f"])
        .arg(path("allowed"))
        .arg("-s")
        .arg(path("payload.sig"))
        .stdin(payload)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|err| {
            Error::failed(
                format!("could not run ssh-keygen to check a signed baseline: {err}"),
                "install OpenSSH's ssh-keygen (Debian/Ubuntu: openssh-client) and make sure it is on the PATH",
            )
        })?;
    Ok(status.success())
}

impl Repo {
    /// When `name` was last removed from the approvers by a recorded `approver
    /// remove` on the current branch, if ever.
    pub fn approver_removed_on(&self, name: &str) -> Result<Option<crate::model::Date>> {
        let Ok(head) = self.head_commit() else {
            return Ok(None);
        };
        let mut walk = self.git.revwalk()?;
        walk.push(head)?;
        for id in walk {
            let commit = self.git.find_commit(id?)?;
            let change = commit
                .message()
                .ok()
                .and_then(crate::model::trailers::approver_change);
            if let Some(change) = change
                && !change.added
                && change.name == name
            {
                return Ok(Some(change.date));
            }
        }
        Ok(None)
    }
}

/// Runs a signing tool (gpg, gpgsm, as configured) to do `what`; where it
/// cannot run, says so, naming it, with `hint`.
pub(super) fn run_or(command: &mut Command, what: &str, hint: &str) -> Result<Output> {
    let program = command.get_program().to_string_lossy().into_owned();
    command
        .stdin(Stdio::null())
        .output()
        .map_err(|err| Error::failed(format!("could not run {program} to {what}: {err}"), hint))
}
