//! What the signing tests share: private copies of fixture repositories,
//! tags rewritten by hand, and gpg homes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::{Design, baseline_in, copy_dir};

/// The lines a tag's signature block begins with: SSH, OpenPGP and X.509 (CMS).
const SIGNATURE_BEGINS: [&str; 3] = [
    "-----BEGIN SSH SIGNATURE-----",
    "-----BEGIN PGP SIGNATURE-----",
    "-----BEGIN SIGNED MESSAGE-----",
];

/// A private copy of a fixture repository.
pub fn copy_of(from: &Path) -> Design {
    let dir = tempfile::tempdir().unwrap();
    std::fs::remove_dir(dir.path()).unwrap();
    copy_dir(from, dir.path());
    Design { dir }
}

/// The tag's message as it was signed: without its signature block.
pub fn unsigned_message(design: &Design, tag: &str) -> String {
    let raw = design.git(&["cat-file", "tag", tag]);
    let message = raw.split_once("\n\n").unwrap().1;
    let block = SIGNATURE_BEGINS
        .iter()
        .filter_map(|begin| message.find(begin))
        .min();
    message[..block.unwrap_or(message.len())].to_string()
}

/// Writes `raw` as a tag object and points `tag` at it, as `git mktag` would.
pub fn replace_tag_object(design: &Design, tag: &str, raw: &str) {
    use std::io::Write;
    let mut child = Command::new("git")
        .args(["hash-object", "-t", "tag", "-w", "--stdin"])
        .current_dir(design.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(raw.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let id = String::from_utf8(out.stdout).unwrap();
    design.git(&["update-ref", &format!("refs/tags/{tag}"), id.trim()]);
}

/// A folder only its owner may read, as gpg and gpgsm want their home.
#[cfg(unix)]
pub fn private_dir(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if !path.exists() {
        std::fs::create_dir(path).unwrap();
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).unwrap();
}

/// Stops every gpg process (agent, keybox daemon) of the home `home`.
pub fn stop_agent(home: &Path) {
    let status = Command::new("gpgconf")
        .args(["--kill", "all"])
        .env("GNUPGHOME", home)
        .status()
        .unwrap();
    assert!(status.success());
}

/// An approver a signing fixture lists: who, their key's file in the
/// fixture's keys folder, their role, and the day their validity ends, if
/// it does.
pub type Listed<'a> = (&'a str, &'a str, &'a str, Option<&'a str>);

/// The design every signing fixture starts from, made in `base` with
/// `gnupg` as the gpg home where given: artefact DOC with draft 0.1, decision
/// DEC1 (2023-06-01), and `approvers` listed from that day citing DEC1.
pub fn signing_base(base: &Path, gnupg: Option<&Path>, keys: &Path, approvers: &[Listed<'_>]) {
    std::fs::create_dir(base).unwrap();
    let ok = |args: &[&str]| {
        let mut command = baseline_in(base);
        if let Some(home) = gnupg {
            command.env("GNUPGHOME", home);
        }
        let out = command.args(args).output().unwrap();
        assert!(
            out.status.success(),
            "baseline {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    ok(&["init", "--programme", "Test Programme"]);
    std::fs::write(base.join("doc.md"), "# 1 Scope\n\nThe first text.\n").unwrap();
    ok(&["add", "DOC", "--title", "A document", "doc.md"]);
    std::fs::remove_file(base.join("doc.md")).unwrap();
    ok(&["draft", "DOC", "--date", "2023-06-01"]);
    ok(&[
        "decision",
        "add",
        "DEC1",
        "--date",
        "2023-06-01",
        "--outcome",
        "approved",
        "--text",
        "Decided.",
    ]);
    for (who, file, role, until) in approvers {
        let key = keys.join(file);
        let name = format!("{who}@example.org");
        let mut args = approver_add(&name, key.to_str().unwrap(), role);
        if let Some(until) = until {
            args.extend(["--until", until]);
        }
        ok(&args);
    }
}

/// `approver add NAME --key KEY --role ROLE`, valid from 2023-06-01 under
/// the fixtures' decision DEC1.
pub fn approver_add<'a>(name: &'a str, key: &'a str, role: &'a str) -> Vec<&'a str> {
    vec![
        "approver",
        "add",
        name,
        "--key",
        key,
        "--role",
        role,
        "--from",
        "2023-06-01",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-01",
    ]
}

/// A test's own copy of a fixture's gpg or gpgsm home, whose agent is
/// stopped when it drops; baseline and git run with it.
pub struct GnupgHome {
    home: tempfile::TempDir,
}

impl GnupgHome {
    pub fn copy_of(fixture_home: &Path) -> GnupgHome {
        let home = tempfile::tempdir().unwrap();
        let copy = home.path().join("g");
        copy_dir(fixture_home, &copy);
        private_dir(&copy);
        GnupgHome { home }
    }

    pub fn path(&self) -> PathBuf {
        self.home.path().join("g")
    }

    /// baseline in `design` with this home.
    pub fn run(&self, design: &Design, args: &[&str]) -> Output {
        design
            .cmd()
            .env("GNUPGHOME", self.path())
            .args(args)
            .output()
            .unwrap()
    }

    pub fn ok(&self, design: &Design, args: &[&str]) -> String {
        let out = self.run(design, args);
        assert!(
            out.status.success(),
            "baseline {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A refusal (exit 1, with a hint, nothing changed); its standard error.
    pub fn refused(&self, design: &Design, args: &[&str]) -> String {
        let before = design.snapshot();
        let out = self.run(design, args);
        let said = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
        assert!(said.contains("\nhint: "), "{said}");
        assert_eq!(before, design.snapshot(), "{args:?} changed the repository");
        said
    }

    /// git in `design` with this home.
    pub fn git(&self, design: &Design, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(design.path())
            .env("GNUPGHOME", self.path())
            .env("GIT_COMMITTER_NAME", "Test Designer")
            .env("GIT_COMMITTER_EMAIL", "designer@example.org")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for GnupgHome {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .args(["--kill", "all"])
            .env("GNUPGHOME", self.path())
            .status();
    }
}

/// gpg or gpgsm (`program`, with `fixed` arguments first) in `home`, which
/// must succeed.
pub fn gnupg_in(program: &str, fixed: &[&str], home: &Path, args: &[&str]) -> Output {
    let out = Command::new(program)
        .args(fixed)
        .args(args)
        .env("GNUPGHOME", home)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The fingerprint of the first key or certificate a `--with-colons`
/// listing names.
pub fn listed_fingerprint(listing: &Output) -> String {
    let text = String::from_utf8_lossy(&listing.stdout);
    let line = text.lines().find(|l| l.starts_with("fpr:")).unwrap();
    line.split(':').nth(9).unwrap().to_string()
}
