//! Signed baselines with OpenPGP keys (issue 20): keys made with gpg in
//! temporary homes, baselines signed by `approve --sign` through git, and
//! every verify finding attacked with plain git and gpg.
//!
//! Without gpg these tests are skipped, unless BASELINE_REQUIRE_GPG=1 (CI),
//! where they fail. Every gpg-agent a test starts is stopped when it ends.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use common::signing::{
    GnupgHome, copy_of, gnupg_in, listed_fingerprint, private_dir, replace_tag_object,
    signing_base, stop_agent, unsigned_message,
};
use common::{Design, copy_dir, finding_codes, verify_report};

/// The keys and the two repositories every test starts from, made once.
struct Fixture {
    _dir: tempfile::TempDir,
    /// A gpg home with every key's secret half; no agent left running in it.
    gnupg: PathBuf,
    /// Public key exports: alice.asc, bob.pgp (binary), carol.asc,
    /// mallory.asc; dave and dave.pub (SSH).
    keys: PathBuf,
    fingerprints: Vec<(&'static str, String)>,
    /// DOC with draft 0.1, DEC1 approved; approvers alice (OpenPGP,
    /// dag-chair), bob (OpenPGP, reviewer), carol (OpenPGP, dag-chair, until
    /// 2023-06-30), dave (SSH, reviewer); git signs with alice's key, with
    /// gpg.format left unset (OpenPGP, git's default).
    base: PathBuf,
    /// `base` with DOC 1.0 baselined on 2023-07-03, signed by alice.
    signed: PathBuf,
}

static FIXTURE: OnceLock<Option<Fixture>> = OnceLock::new();

const PEOPLE: [&str; 4] = ["alice", "bob", "carol", "mallory"];

/// The fixture, or None where gpg is missing and not required.
fn fixture() -> Option<&'static Fixture> {
    FIXTURE.get_or_init(make_fixture).as_ref()
}

fn gpg_found() -> bool {
    let found = |program: &str| {
        Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    found("gpg") && found("gpgconf")
}

fn make_fixture() -> Option<Fixture> {
    if !gpg_found() {
        assert!(
            std::env::var("BASELINE_REQUIRE_GPG").as_deref() != Ok("1"),
            "gpg is needed to test OpenPGP-signed baselines: install GnuPG (Debian/Ubuntu: gnupg)"
        );
        eprintln!("gpg is not installed here: the OpenPGP signing tests are skipped");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let gnupg = dir.path().join("gnupg");
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    private_dir(&gnupg);
    let mut fingerprints = Vec::new();
    for who in PEOPLE {
        let uid = format!("{who} <{who}@example.org>");
        gpg_in(
            &gnupg,
            &[
                "--passphrase",
                "",
                "--pinentry-mode",
                "loopback",
                "--quick-gen-key",
                &uid,
                "ed25519",
                "sign",
                "never",
            ],
        );
        let exported = gpg_in(
            &gnupg,
            &["--export", "--armor", &format!("{who}@example.org")],
        );
        std::fs::write(keys.join(format!("{who}.asc")), &exported.stdout).unwrap();
        fingerprints.push((who, fingerprint_in(&gnupg, who)));
    }
    let binary = gpg_in(&gnupg, &["--export", "bob@example.org"]);
    std::fs::write(keys.join("bob.pgp"), &binary.stdout).unwrap();
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "dave", "-f"])
        .arg(keys.join("dave"))
        .status()
        .unwrap();
    assert!(status.success());
    let base = dir.path().join("base");
    signing_base(
        &base,
        Some(&gnupg),
        &keys,
        &[
            ("alice", "alice.asc", "dag-chair", None),
            ("bob", "bob.pgp", "reviewer", None),
            ("carol", "carol.asc", "dag-chair", Some("2023-06-30")),
            ("dave", "dave.pub", "reviewer", None),
        ],
    );
    let ok = |repo: &Path, args: &[&str]| {
        let out = common::baseline_in(repo)
            .env("GNUPGHOME", &gnupg)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "baseline {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let alice = &fingerprints[0].1;
    common::git_in(&base, &["config", "user.signingkey", alice]);
    let signed = dir.path().join("signed");
    copy_dir(&base, &signed);
    ok(
        &signed,
        &[
            "approve",
            "DOC",
            "--decision",
            "DEC1",
            "--date",
            "2023-07-03",
            "--sign",
        ],
    );
    stop_agent(&gnupg);
    Some(Fixture {
        _dir: dir,
        gnupg,
        keys,
        fingerprints,
        base,
        signed,
    })
}

/// gpg in `home`, which must succeed.
fn gpg_in(home: &Path, args: &[&str]) -> Output {
    gnupg_in("gpg", &["--batch"], home, args)
}

fn fingerprint_in(home: &Path, who: &str) -> String {
    let who = format!("{who}@example.org");
    listed_fingerprint(&gpg_in(home, &["--with-colons", "--list-keys", &who]))
}

/// Tags made again by hand in a test, signed with gpg.
impl GnupgHome {
    /// Makes the tag again by hand with `message`, signed with gpg by `signer`.
    fn remake_tag(&self, design: &Design, tag: &str, message: &str, signer: &str) {
        self.remake_tag_dated(design, tag, message, signer, None);
    }

    /// As `remake_tag`, with the tagger's time set to `date` where given.
    fn remake_tag_dated(
        &self,
        design: &Design,
        tag: &str,
        message: &str,
        signer: &str,
        date: Option<&str>,
    ) {
        let commit = design.git(&["rev-parse", &format!("{tag}^{{commit}}")]);
        design.write("msg.txt", message);
        let msg = design.file("msg.txt");
        design.git(&["tag", "-d", tag]);
        let signing = format!("user.signingkey={}", fingerprint(signer));
        let mut git = Command::new("git");
        git.args(["-c", "gpg.format=openpgp", "-c", &signing, "tag", "-s"])
            .args(["--cleanup=verbatim", "-F", msg.to_str().unwrap(), tag])
            .arg(commit.trim())
            .current_dir(design.path())
            .env("GNUPGHOME", self.path())
            .env("GIT_COMMITTER_NAME", "Test Designer")
            .env("GIT_COMMITTER_EMAIL", "designer@example.org");
        if let Some(date) = date {
            git.env("GIT_COMMITTER_DATE", date);
        }
        let out = git.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::remove_file(msg).unwrap();
    }
}

fn fingerprint(who: &str) -> String {
    let fixture = fixture().unwrap();
    let (_, fpr) = fixture
        .fingerprints
        .iter()
        .find(|(w, _)| *w == who)
        .unwrap();
    fpr.clone()
}

fn key_file(file: &str) -> String {
    fixture()
        .unwrap()
        .keys
        .join(file)
        .to_str()
        .unwrap()
        .to_string()
}

/// verify's finding codes, sorted. verify is run without any gpg home: it
/// must need none.
fn codes(design: &Design) -> Vec<String> {
    let (_, report) = verify_report(design.path(), &["--no-cache"]);
    let mut codes = finding_codes(&report);
    codes.sort();
    codes
}

const APPROVE_SIGNED: [&str; 7] = [
    "approve",
    "DOC",
    "--decision",
    "DEC1",
    "--date",
    "2023-07-03",
    "--sign",
];

#[test]
fn an_openpgp_signed_baseline_is_listed_shown_and_verified_offline() {
    let Some(fixture) = fixture() else { return };
    let design = copy_of(&fixture.signed);
    let gpg = GnupgHome::copy_of(&fixture.gnupg);
    let alice = fingerprint("alice");
    // The approvers file: one self-contained line per OpenPGP approver, behind
    // a comment mark that ssh-keygen skips.
    let text = design.read("approvers");
    let line = text.lines().find(|l| l.contains("alice@")).unwrap();
    assert!(
        line.starts_with("#openpgp alice@example.org valid-after=\"20230601\" openpgp mDME"),
        "{line}"
    );
    assert!(line.ends_with(" role=dag-chair"), "{line}");
    assert!(
        text.contains(
            "#openpgp carol@example.org valid-after=\"20230601\",valid-before=\"20230701\" openpgp "
        ),
        "{text}"
    );
    // The key read from a binary export is bob's.
    let listed = design.json(&["approver", "list"]);
    assert_eq!(listed[0]["key"]["format"], "openpgp");
    assert_eq!(listed[0]["key"]["fingerprint"], alice.as_str());
    assert_eq!(listed[1]["key"]["fingerprint"], fingerprint("bob").as_str());
    assert_eq!(listed[3]["key"]["format"], "ssh");
    let human = design.ok(&["approver", "list"]);
    assert!(human.contains(&format!("openpgp  {alice}")), "{human}");
    // ssh-keygen reads past the OpenPGP lines to the SSH approver.
    let payload = design.file("payload");
    std::fs::write(&payload, "hello").unwrap();
    let signed = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", "git", "-f", &key_file("dave")])
        .arg(&payload)
        .output()
        .unwrap();
    assert!(signed.status.success());
    let found = Command::new("ssh-keygen")
        .args(["-Y", "find-principals", "-f"])
        .arg(design.file("approvers"))
        .arg("-s")
        .arg(design.file("payload.sig"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&found.stdout), "dave@example.org\n");
    std::fs::remove_file(payload).unwrap();
    std::fs::remove_file(design.file("payload.sig")).unwrap();
    // The tag is signed with gpg, and git itself finds the signature good.
    let raw = design.git(&["cat-file", "tag", "DOC/v1.0"]);
    assert!(raw.contains("-----BEGIN PGP SIGNATURE-----"), "{raw}");
    assert!(
        raw.contains(&format!(
            "; signed by alice@example.org as dag-chair with key {alice}."
        )),
        "{raw}"
    );
    gpg.git(&design, &["verify-tag", "DOC/v1.0"]);
    let record = design.read("artefacts/DOC/versions/1.0.toml");
    assert!(
        record.contains(&format!(
            "[signed_by]\nname = \"alice@example.org\"\nrole = \"dag-chair\"\nkey = \"{alice}\""
        )),
        "{record}"
    );
    let shown = design.ok(&["show", "DOC@1.0"]);
    assert!(
        shown.contains(&format!(
            "signed by:   alice@example.org as dag-chair, key {alice}"
        )),
        "{shown}"
    );
    let traced = design.ok(&["trace", "DOC@1.0"]);
    assert!(
        traced.contains(&format!(
            "signature:   openpgp key {alice} (the key the record names)"
        )),
        "{traced}"
    );
    let json = design.json(&["trace", "DOC@1.0"]);
    assert_eq!(json["tag"]["signature"]["format"], "openpgp");
    assert_eq!(json["version"]["signed_by"]["key"], alice.as_str());
    let csv = design.ok(&["list", "--format", "csv"]);
    assert!(
        csv.contains(&format!("alice@example.org (dag-chair, key {alice}")),
        "{csv}"
    );
    // verify needs no gpg home of the user's, and leaves nothing behind.
    assert_eq!(codes(&design), Vec::<String>::new());
    let state: Vec<String> = std::fs::read_dir(design.file(".git/baseline"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gpg-") || n.starts_with("sign-"))
        .collect();
    assert_eq!(state, Vec::<String>::new());
}

#[test]
fn an_openpgp_tag_signed_again_or_edited_is_found() {
    let Some(fixture) = fixture() else { return };
    let design = copy_of(&fixture.signed);
    let gpg = GnupgHome::copy_of(&fixture.gnupg);
    let message = unsigned_message(&design, "DOC/v1.0");
    let raw = design.git(&["cat-file", "tag", "DOC/v1.0"]);
    // Signed again by a key no approver has.
    gpg.remake_tag(&design, "DOC/v1.0", &message, "mallory");
    assert_eq!(
        codes(&design),
        ["signer-unknown DOC/v1.0", "tag-resigned DOC/v1.0"]
    );
    let (_, report) = verify_report(design.path(), &["--no-cache"]);
    assert!(
        report
            .to_string()
            .contains(&format!("no approver had key {}", fingerprint("mallory"))),
        "{report}"
    );
    // By another approver, valid and in a role that may sign.
    gpg.remake_tag(&design, "DOC/v1.0", &message, "bob");
    assert_eq!(codes(&design), ["tag-resigned DOC/v1.0"]);
    // By alice herself, over a message naming other content.
    let sha = design.json(&["show", "DOC@1.0"])["version"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    gpg.remake_tag(
        &design,
        "DOC/v1.0",
        &message.replace(&sha, &"1".repeat(64)),
        "alice",
    );
    assert_eq!(codes(&design), ["tag-message-mismatch DOC/v1.0"]);
    // alice's signature kept over a tag whose tagger time changed.
    let tagger = raw.lines().find(|l| l.starts_with("tagger ")).unwrap();
    let mut parts: Vec<&str> = tagger.rsplitn(3, ' ').collect();
    let earlier = (parts[1].parse::<i64>().unwrap() - 3600).to_string();
    parts[1] = &earlier;
    let forged = format!("{} {} {}", parts[2], parts[1], parts[0]);
    replace_tag_object(&design, "DOC/v1.0", &raw.replace(tagger, &forged));
    assert_eq!(codes(&design), ["signature-bad DOC/v1.0"]);
    // ... and over a payload naming another sha256.
    replace_tag_object(&design, "DOC/v1.0", &raw.replace(&sha, &"0".repeat(64)));
    assert_eq!(
        codes(&design),
        ["signature-bad DOC/v1.0", "tag-message-mismatch DOC/v1.0"]
    );
    // A signature block that is no signature.
    let armor = raw.find("-----BEGIN PGP SIGNATURE-----").unwrap();
    let garbage = format!(
        "{}-----BEGIN PGP SIGNATURE-----\n\nnot a signature\n-----END PGP SIGNATURE-----\n",
        &raw[..armor]
    );
    replace_tag_object(&design, "DOC/v1.0", &garbage);
    assert_eq!(codes(&design), ["signature-bad DOC/v1.0"]);
    // Stripped of its signature.
    replace_tag_object(&design, "DOC/v1.0", &raw[..armor]);
    assert_eq!(codes(&design), ["baseline-unsigned DOC/v1.0"]);
}

#[test]
fn openpgp_signers_out_of_validity_role_or_name_are_found() {
    let Some(fixture) = fixture() else { return };
    let gpg = GnupgHome::copy_of(&fixture.gnupg);
    // carol's key expired before the baseline's date.
    let design = copy_of(&fixture.base);
    design.approve("DOC", "DEC1", "2023-07-10");
    let message = unsigned_message(&design, "DOC/v1.0");
    gpg.remake_tag(&design, "DOC/v1.0", &message, "carol");
    assert_eq!(
        codes(&design),
        ["signer-outside-validity DOC/v1.0", "tag-resigned DOC/v1.0"]
    );
    // bob, a reviewer, where only a dag-chair may sign.
    let design = copy_of(&fixture.base);
    design.ok(&[
        "policy",
        "set",
        "signing_roles",
        "dag-chair",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-02",
    ]);
    design.approve("DOC", "DEC1", "2023-07-10");
    let message = unsigned_message(&design, "DOC/v1.0");
    gpg.remake_tag(&design, "DOC/v1.0", &message, "bob");
    assert_eq!(
        codes(&design),
        ["signer-role-unsuitable DOC/v1.0", "tag-resigned DOC/v1.0"]
    );
    // bob signs; his record and tag are then rewritten to say alice did.
    let design = copy_of(&fixture.base);
    design.git(&["config", "user.signingkey", &fingerprint("bob")]);
    gpg.ok(&design, &APPROVE_SIGNED);
    let record = "artefacts/DOC/versions/1.0.toml";
    let forged = design
        .read(record)
        .replace("name = \"bob@example.org\"", "name = \"alice@example.org\"")
        .replace("role = \"reviewer\"", "role = \"dag-chair\"");
    design.write(record, &forged);
    design.git(&["commit", "-q", "-a", "--amend", "--no-edit"]);
    let message = unsigned_message(&design, "DOC/v1.0").replace(
        "bob@example.org as reviewer",
        "alice@example.org as dag-chair",
    );
    design.git(&["tag", "-f", "-a", "DOC/v1.0", "-m", "moved", "HEAD"]);
    gpg.remake_tag(&design, "DOC/v1.0", &message, "bob");
    assert_eq!(codes(&design), ["signer-misnamed DOC/v1.0"]);
    // carol, whose key may sign only until 2023-06-30, signs today and dates
    // the record, the commit and the tag back into her time: her signature
    // states the day it was made.
    let design = copy_of(&fixture.base);
    design.approve("DOC", "DEC1", "2023-06-20");
    let backdated = "2023-06-20T10:00:00Z";
    let record = "artefacts/DOC/versions/1.0.toml";
    let forged: String = design
        .read(record)
        .lines()
        .map(|line| match line.starts_with("recorded_at = ") {
            true => format!("recorded_at = \"{backdated}\"\n"),
            false => format!("{line}\n"),
        })
        .collect();
    let carol = fingerprint("carol");
    let signer = format!(
        "\n[signed_by]\nname = \"carol@example.org\"\nrole = \"dag-chair\"\nkey = \"{carol}\"\n"
    );
    design.write(record, &(forged + &signer));
    let amend = ["commit", "-q", "-a", "--amend", "--no-edit"];
    let out = Command::new("git")
        .args(amend)
        .current_dir(design.path())
        .env("GIT_COMMITTER_DATE", backdated)
        .env("GIT_AUTHOR_DATE", backdated)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sha = design.json(&["show", "DOC@1.0"])["version"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let message = format!(
        "{}\nBaselined DOC v1.0 under DEC1 on 2023-06-20, sha256 {sha}; signed by carol@example.org as dag-chair with key {carol}.\n",
        unsigned_message(&design, "DOC/v1.0")
    );
    design.git(&["tag", "-f", "-a", "DOC/v1.0", "-m", "moved", "HEAD"]);
    gpg.remake_tag_dated(&design, "DOC/v1.0", &message, "carol", Some(backdated));
    let tagged = design.git(&["cat-file", "tag", "DOC/v1.0"]);
    assert!(tagged.contains(" 1687255200 +0000"), "{tagged}");
    let (_, report) = verify_report(design.path(), &["--no-cache"]);
    assert_eq!(finding_codes(&report), ["signer-outside-validity DOC/v1.0"]);
    let said = report["findings"][0]["message"]
        .as_str()
        .unwrap_or_default();
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date();
    assert!(said.contains(&format!("signed {today}")), "{report}");
}

#[test]
fn openpgp_keys_that_may_not_sign_or_be_listed_are_refused() {
    let Some(fixture) = fixture() else { return };
    let gpg = GnupgHome::copy_of(&fixture.gnupg);
    let design = copy_of(&fixture.base);
    design.git(&["config", "user.signingkey", &fingerprint("mallory")]);
    let said = gpg.refused(&design, &APPROVE_SIGNED);
    assert!(
        said.contains(&format!(
            "your signing key {} is not an approver's",
            fingerprint("mallory")
        )),
        "{said}"
    );
    design.git(&["config", "user.signingkey", "carol@example.org"]);
    let said = gpg.refused(&design, &APPROVE_SIGNED);
    assert!(
        said.contains("carol@example.org's key may sign from 2023-06-01 until 2023-06-30"),
        "{said}"
    );
    design.git(&["config", "user.signingkey", "nobody@example.org"]);
    let said = gpg.refused(&design, &APPROVE_SIGNED);
    assert!(
        said.contains("gpg has no secret key for `nobody@example.org` to sign with"),
        "{said}"
    );
    design.git(&["config", "gpg.format", "smime"]);
    let said = gpg.refused(&design, &APPROVE_SIGNED);
    assert!(
        said.contains("gpg.format = smime is not a signing format git knows"),
        "{said}"
    );
    assert!(said.contains("hint: set up git to sign with"), "{said}");
    // Key files that are not one OpenPGP public key.
    let secret = gpg_in(
        &gpg.path(),
        &[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--export-secret-keys",
            "--armor",
            "mallory@example.org",
        ],
    );
    design.write("secret.asc", &String::from_utf8(secret.stdout).unwrap());
    let two = gpg_in(
        &gpg.path(),
        &["--export", "mallory@example.org", "bob@example.org"],
    );
    std::fs::write(design.file("two.pgp"), &two.stdout).unwrap();
    design.write(
        "garbage.asc",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY BLOCK-----\n",
    );
    let add = |file: &str| {
        let path = design.file(file);
        gpg.refused(
            &design,
            &[
                "approver",
                "add",
                "eve@example.org",
                "--key",
                path.to_str().unwrap(),
                "--role",
                "reviewer",
                "--decision",
                "DEC1",
            ],
        )
    };
    assert!(add("secret.asc").contains("is an OpenPGP secret key"));
    assert!(add("two.pgp").contains("holds 2 primary keys"));
    assert!(add("garbage.asc").contains("is not an OpenPGP public key"));
    std::fs::copy(key_file("bob.pgp"), design.file("again.pgp")).unwrap();
    assert!(add("again.pgp").contains("is already bob@example.org's"));
    for file in ["secret.asc", "two.pgp", "garbage.asc", "again.pgp"] {
        std::fs::remove_file(design.file(file)).unwrap();
    }
    // An OpenPGP approver's line edited by hand: refused where the file is
    // read, and found by verify.
    let text = design.read("approvers");
    let broken = text.replacen(" openpgp mDME", " openpgp mDMZ!", 1);
    design.write("approvers", &broken);
    design.git(&["commit", "-q", "-am", "Tidy"]);
    let said = gpg.refused(&design, &["approver", "list"]);
    assert!(
        said.contains("is not an approver's line as baseline writes them"),
        "{said}"
    );
    assert_eq!(codes(&design), ["approvers-unrecorded approvers"]);
}

#[test]
fn verify_without_gpg_says_so_and_fails() {
    let Some(fixture) = fixture() else { return };
    let design = copy_of(&fixture.signed);
    // A PATH with git alone.
    let bin = tempfile::tempdir().unwrap();
    let git = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    std::os::unix::fs::symlink(git.trim(), bin.path().join("git")).unwrap();
    let out = design
        .cmd()
        .env("PATH", bin.path())
        .args(["verify", "--no-cache"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("could not run gpg to"), "{said}");
    assert!(said.contains("hint: install GnuPG"), "{said}");
    // Nor can a baseline be signed, and nothing is written.
    let design = copy_of(&fixture.base);
    let before = design.snapshot();
    let out = design
        .cmd()
        .env("PATH", bin.path())
        .args(APPROVE_SIGNED)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("could not run gpg to find your signing key"),
        "{said}"
    );
    assert!(said.contains("or sign with an SSH key"), "{said}");
    assert_eq!(before, design.snapshot());
    // The program named is the one git would run, where one is configured.
    design.git(&["config", "gpg.program", "/nonexistent/gpg2"]);
    let out = design.cmd().args(APPROVE_SIGNED).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("could not run /nonexistent/gpg2 to find your signing key"),
        "{said}"
    );
    assert_eq!(before, design.snapshot());
}

#[test]
fn an_openpgp_signed_tag_is_signed_again_by_sync_and_repaired_only_by_its_signer() {
    let Some(fixture) = fixture() else { return };
    let gpg = GnupgHome::copy_of(&fixture.gnupg);
    let base = copy_of(&fixture.base);
    let server = tempfile::tempdir().unwrap();
    common::git_in(
        server.path(),
        &["init", "--quiet", "--bare", "--initial-branch=main"],
    );
    base.git(&["remote", "add", "origin", server.path().to_str().unwrap()]);
    base.ok(&["sync"]);
    let clone = || {
        let dir = tempfile::tempdir().unwrap();
        let url = server.path().to_str().unwrap();
        common::git_in(dir.path(), &["clone", "--quiet", url, "."]);
        let design = Design { dir };
        design.git(&["config", "user.signingkey", &fingerprint("alice")]);
        design
    };
    let (a, b) = (clone(), clone());
    gpg.ok(&a, &APPROVE_SIGNED);
    let signed_at = a.git(&["rev-parse", "DOC/v1.0^{commit}"]);
    b.decision("DEC2", "2023-07-01", "approved", &[]);
    b.ok(&["sync"]);
    // a's baseline is replayed onto b's decision, its tag signed again by alice.
    gpg.ok(&a, &["sync"]);
    assert_ne!(a.git(&["rev-parse", "DOC/v1.0^{commit}"]), signed_at);
    let raw = a.git(&["cat-file", "tag", "DOC/v1.0"]);
    assert!(raw.contains("-----BEGIN PGP SIGNATURE-----"), "{raw}");
    let fresh = clone();
    for repo in [&a, &fresh] {
        assert_eq!(codes(repo), Vec::<String>::new());
        gpg.git(repo, &["verify-tag", "DOC/v1.0"]);
    }
    // A lost signed tag is made again only with the key its record names.
    fresh.git(&["tag", "-d", "DOC/v1.0"]);
    fresh.git(&["config", "user.signingkey", &fingerprint("bob")]);
    let out = gpg.run(&fresh, &["verify", "--repair"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("must be signed by alice@example.org"),
        "{said}"
    );
    fresh.git(&["config", "user.signingkey", &fingerprint("alice")]);
    gpg.ok(&fresh, &["verify", "--repair"]);
    assert!(
        fresh
            .git(&["cat-file", "tag", "DOC/v1.0"])
            .contains("-----BEGIN PGP SIGNATURE-----")
    );
    assert_eq!(codes(&fresh), Vec::<String>::new());
}

/// Most people's OpenPGP keys sign with a subkey: the approvers file lists
/// the primary key, the record names it, and verify and trace both find the
/// subkey's signature to be that key's.
#[test]
fn a_baseline_signed_with_a_signing_subkey_is_the_primary_keys() {
    let Some(fixture) = fixture() else { return };
    let gpg = GnupgHome::copy_of(&fixture.gnupg);
    let uid = "erin <erin@example.org>";
    let no_passphrase = ["--passphrase", "", "--pinentry-mode", "loopback"];
    let mut make = no_passphrase.to_vec();
    make.extend(["--quick-gen-key", uid, "ed25519", "cert", "never"]);
    gpg_in(&gpg.path(), &make);
    let primary = fingerprint_in(&gpg.path(), "erin");
    let mut add = no_passphrase.to_vec();
    add.extend(["--quick-add-key", &primary, "ed25519", "sign", "never"]);
    gpg_in(&gpg.path(), &add);
    let export = gpg_in(&gpg.path(), &["--export", "--armor", "erin@example.org"]);
    let design = copy_of(&fixture.base);
    design.write("erin.asc", &String::from_utf8(export.stdout).unwrap());
    let key = design.file("erin.asc");
    let mut appoint = vec!["approver", "add", "erin@example.org", "--key"];
    appoint.extend([key.to_str().unwrap(), "--role", "dag-chair"]);
    appoint.extend(["--from", "2023-06-01", "--decision", "DEC1"]);
    appoint.extend(["--date", "2023-06-01"]);
    gpg.ok(&design, &appoint);
    std::fs::remove_file(key).unwrap();
    design.git(&["config", "user.signingkey", &primary]);
    gpg.ok(&design, &APPROVE_SIGNED);

    let raw = design.git(&["cat-file", "tag", "DOC/v1.0"]);
    let signature = &raw[raw.find("-----BEGIN PGP SIGNATURE-----").unwrap()..];
    let record = design.read("artefacts/DOC/versions/1.0.toml");
    assert!(record.contains(&format!("key = \"{primary}\"")), "{record}");
    assert_eq!(codes(&design), Vec::<String>::new());
    let traced = design.ok(&["trace", "DOC@1.0"]);
    assert!(
        traced.contains("(the key the record names)"),
        "{traced}\n{signature}"
    );
    let json = design.json(&["trace", "DOC@1.0"]);
    assert_eq!(json["tag"]["key_agrees"], true);
    // The signature names the subkey, not the primary key.
    assert_ne!(json["tag"]["signature"]["key"], primary.as_str(), "{json}");
}
