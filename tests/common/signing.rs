//! What the signing tests share: private copies of fixture repositories,
//! tags rewritten by hand, and gpg homes.

use std::path::Path;
use std::process::{Command, Stdio};

use super::{Design, copy_dir};

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
