//! Signed baselines with X.509 certificates (gpgsm): self-signed certificates
//! made with gpgsm in a temporary home, baselines signed by `approve --sign`
//! through git (`gpg.format x509`), and verify's findings attacked with
//! plain git and gpgsm.
//!
//! Without gpgsm these tests are skipped, unless BASELINE_REQUIRE_GPG=1 (CI),
//! where they fail. Every gpg-agent a test starts is stopped when it ends.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use common::signing::{
    GnupgHome, approver_add, copy_of, gnupg_in, listed_fingerprint, private_dir,
    replace_tag_object, signing_base, stop_agent, unsigned_message,
};
use common::{Design, copy_dir, finding_codes};

/// The certificates and the two repositories every test starts from, made once.
struct Fixture {
    _dir: tempfile::TempDir,
    /// A gpgsm home with every certificate and its secret key, each trusted
    /// as a root (trustlist.txt); no agent left running in it.
    gnupg: PathBuf,
    /// Certificates: alice.pem, bob.der (DER), carol.pem, mallory.pem; dave
    /// and dave.pub (SSH).
    keys: PathBuf,
    fingerprints: Vec<(&'static str, String)>,
    /// DOC with draft 0.1, DEC1 approved; approvers alice (X.509,
    /// dag-chair), bob (X.509, reviewer), carol (X.509, dag-chair, until
    /// 2023-06-30), dave (SSH, reviewer); git signs with alice's certificate
    /// (gpg.format x509).
    base: PathBuf,
    /// `base` with DOC 1.0 baselined on 2023-07-03, signed by alice.
    signed: PathBuf,
}

static FIXTURE: OnceLock<Option<Fixture>> = OnceLock::new();

const PEOPLE: [&str; 4] = ["alice", "bob", "carol", "mallory"];

/// The fixture, or None where gpgsm is missing and not required.
fn fixture() -> Option<&'static Fixture> {
    FIXTURE.get_or_init(make_fixture).as_ref()
}

fn gpgsm_found() -> bool {
    let found = |program: &str| {
        Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    found("gpgsm") && found("gpgconf")
}

fn make_fixture() -> Option<Fixture> {
    if !gpgsm_found() {
        assert!(
            std::env::var("BASELINE_REQUIRE_GPG").as_deref() != Ok("1"),
            "gpgsm is needed to test X.509-signed baselines: install it (Debian/Ubuntu: gpgsm)"
        );
        eprintln!("gpgsm is not installed here: the X.509 signing tests are skipped");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let gnupg = dir.path().join("gnupg");
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    private_dir(&gnupg);
    // Offline: no CRLs to fetch for these self-signed certificates.
    std::fs::write(gnupg.join("gpgsm.conf"), "disable-crl-checks\n").unwrap();
    let mut fingerprints = Vec::new();
    let mut trustlist = String::new();
    for who in PEOPLE {
        let der = keys.join(format!("{who}.der"));
        let parameters =
            format!("Key-Usage: sign\nName-DN: CN={who}\nName-Email: {who}@example.org\n");
        make_certificate(&gnupg, &parameters, &der);
        gpgsm_in(&gnupg, &["--import", der.to_str().unwrap()]);
        let fpr = fingerprint_in(&gnupg, who);
        trustlist.push_str(&format!("{fpr} S relax\n"));
        fingerprints.push((who, fpr));
        let pem = gpgsm_in(
            &gnupg,
            &["--export", "--armor", &format!("{who}@example.org")],
        );
        std::fs::write(keys.join(format!("{who}.pem")), &pem.stdout).unwrap();
    }
    std::fs::write(gnupg.join("trustlist.txt"), trustlist).unwrap();
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
            ("alice", "alice.pem", "dag-chair", None),
            ("bob", "bob.der", "reviewer", None),
            ("carol", "carol.pem", "dag-chair", Some("2023-06-30")),
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
    common::git_in(&base, &["config", "gpg.format", "x509"]);
    common::git_in(&base, &["config", "user.signingkey", &fingerprints[0].1]);
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

/// Makes a key and its self-signed certificate (RSA, until 2099) in gpgsm's
/// `home` from the key `parameters` that name and use it, written to `der`.
fn make_certificate(home: &Path, parameters: &str, der: &Path) {
    let file = der.with_extension("params");
    let parameters = format!(
        "%no-protection\nKey-Type: RSA\nKey-Length: 2048\nSerial: random\nNot-After: 2099-01-01\n{parameters}%commit\n"
    );
    std::fs::write(&file, parameters).unwrap();
    // gpgsm exits 2 for the warning that `%no-protection` (which it needs to
    // make the key without a passphrase) is not a control it knows: the
    // certificate is made all the same.
    let made = Command::new("gpgsm")
        .args([
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--gen-key",
            "--output",
        ])
        .arg(der)
        .arg(&file)
        .env("GNUPGHOME", home)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        std::fs::metadata(der).is_ok_and(|m| m.len() > 0),
        "gpgsm --gen-key: {}",
        String::from_utf8_lossy(&made.stderr)
    );
}

/// gpgsm in `home`, which must succeed.
fn gpgsm_in(home: &Path, args: &[&str]) -> Output {
    gnupg_in("gpgsm", &["--batch", "--disable-dirmngr"], home, args)
}

fn fingerprint_in(home: &Path, who: &str) -> String {
    let who = format!("{who}@example.org");
    listed_fingerprint(&gpgsm_in(home, &["--with-colons", "--list-keys", &who]))
}

impl GnupgHome {
    /// Makes the tag again by hand with `message`, signed with gpgsm by `signer`.
    fn remake_tag(&self, design: &Design, tag: &str, message: &str, signer: &str) {
        let commit = design.git(&["rev-parse", &format!("{tag}^{{commit}}")]);
        design.write("msg.txt", message);
        let msg = design.file("msg.txt");
        design.git(&["tag", "-d", tag]);
        let signing = format!("user.signingkey={}", fingerprint(signer));
        self.git(
            design,
            &[
                "-c",
                "gpg.format=x509",
                "-c",
                &signing,
                "tag",
                "-s",
                "--cleanup=verbatim",
                "-F",
                msg.to_str().unwrap(),
                tag,
                commit.trim(),
            ],
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

/// verify's report, run with an empty gpg home of the user's: it must need
/// none of theirs.
fn verify(design: &Design) -> serde_json::Value {
    let empty = tempfile::tempdir().unwrap();
    let out = design
        .cmd()
        .env("GNUPGHOME", empty.path())
        .args(["verify", "--format", "json", "--no-cache"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// verify's finding codes, sorted.
fn codes(design: &Design) -> Vec<String> {
    let mut codes = finding_codes(&verify(design));
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
fn an_x509_signed_baseline_is_listed_shown_and_verified_offline() {
    let Some(fixture) = fixture() else { return };
    let design = copy_of(&fixture.signed);
    let gpgsm = GnupgHome::copy_of(&fixture.gnupg);
    let alice = fingerprint("alice");
    // The approvers file: one self-contained line per X.509 approver, behind
    // a comment mark that ssh-keygen skips; the DER in base64.
    let text = design.read("approvers");
    let line = text.lines().find(|l| l.contains("alice@")).unwrap();
    assert!(
        line.starts_with("#x509 alice@example.org valid-after=\"20230601\" x509 MII"),
        "{line}"
    );
    assert!(line.ends_with(" role=dag-chair"), "{line}");
    assert!(
        text.contains(
            "#x509 carol@example.org valid-after=\"20230601\",valid-before=\"20230701\" x509 "
        ),
        "{text}"
    );
    // The fingerprint is gpgsm's (SHA-1 of the DER), from PEM and from DER.
    let listed = design.json(&["approver", "list"]);
    assert_eq!(listed[0]["key"]["format"], "x509");
    assert_eq!(listed[0]["key"]["type"], "x509");
    assert_eq!(listed[0]["key"]["fingerprint"], alice.as_str());
    assert_eq!(listed[1]["key"]["fingerprint"], fingerprint("bob").as_str());
    assert_eq!(listed[3]["key"]["format"], "ssh");
    let human = design.ok(&["approver", "list"]);
    assert!(human.contains(&format!("x509    {alice}")), "{human}");
    // ssh-keygen reads past the X.509 lines to the SSH approver.
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
    // The tag is signed with gpgsm, and git itself finds the signature good.
    let raw = design.git(&["cat-file", "tag", "DOC/v1.0"]);
    assert!(raw.contains("-----BEGIN SIGNED MESSAGE-----"), "{raw}");
    assert!(
        raw.contains(&format!(
            "; signed by alice@example.org as dag-chair with key {alice}."
        )),
        "{raw}"
    );
    gpgsm.git(&design, &["verify-tag", "DOC/v1.0"]);
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
        traced.contains("signature:   x509 certificate (unread: its record names it)"),
        "{traced}"
    );
    assert!(traced.contains(&alice), "{traced}");
    let json = design.json(&["trace", "DOC@1.0"]);
    assert_eq!(json["tag"]["signature"]["format"], "x509");
    assert_eq!(json["version"]["signed_by"]["key"], alice.as_str());
    assert_eq!(json["version"]["signed_by"]["role"], "dag-chair");
    let csv = design.ok(&["list", "--format", "csv"]);
    assert!(
        csv.contains(&format!("alice@example.org (dag-chair, key {alice}")),
        "{csv}"
    );
    // verify needs no gpgsm home of the user's, and leaves nothing behind.
    assert_eq!(codes(&design), Vec::<String>::new());
    let state: Vec<String> = std::fs::read_dir(design.file(".git/baseline"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gpgsm-") || n.starts_with("sign-"))
        .collect();
    assert_eq!(state, Vec::<String>::new());
}

#[test]
fn an_x509_tag_signed_again_or_edited_is_found() {
    let Some(fixture) = fixture() else { return };
    let design = copy_of(&fixture.signed);
    let gpgsm = GnupgHome::copy_of(&fixture.gnupg);
    let message = unsigned_message(&design, "DOC/v1.0");
    let raw = design.git(&["cat-file", "tag", "DOC/v1.0"]);
    // Signed again by a certificate no approver has.
    gpgsm.remake_tag(&design, "DOC/v1.0", &message, "mallory");
    assert_eq!(
        codes(&design),
        ["signer-unknown DOC/v1.0", "tag-resigned DOC/v1.0"]
    );
    let report = verify(&design).to_string();
    assert!(
        report.contains("the tag is signed with a certificate no approver had"),
        "{report}"
    );
    // By another approver, valid and in a role that may sign.
    gpgsm.remake_tag(&design, "DOC/v1.0", &message, "bob");
    assert_eq!(codes(&design), ["tag-resigned DOC/v1.0"]);
    // By alice herself, over a message naming other content.
    let sha = design.json(&["show", "DOC@1.0"])["version"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    gpgsm.remake_tag(
        &design,
        "DOC/v1.0",
        &message.replace(&sha, &"1".repeat(64)),
        "alice",
    );
    assert_eq!(codes(&design), ["tag-message-mismatch DOC/v1.0"]);
    // alice's signature kept over a payload naming another sha256.
    replace_tag_object(&design, "DOC/v1.0", &raw.replace(&sha, &"0".repeat(64)));
    assert_eq!(
        codes(&design),
        ["signature-bad DOC/v1.0", "tag-message-mismatch DOC/v1.0"]
    );
    // A signature block that is no signature.
    let armor = raw.find("-----BEGIN SIGNED MESSAGE-----").unwrap();
    let garbage = format!(
        "{}-----BEGIN SIGNED MESSAGE-----\nnot a signature\n-----END SIGNED MESSAGE-----\n",
        &raw[..armor]
    );
    replace_tag_object(&design, "DOC/v1.0", &garbage);
    assert_eq!(codes(&design), ["signature-bad DOC/v1.0"]);
    // Stripped of its signature.
    replace_tag_object(&design, "DOC/v1.0", &raw[..armor]);
    assert_eq!(codes(&design), ["baseline-unsigned DOC/v1.0"]);
}

#[test]
fn x509_signers_out_of_validity_role_or_name_are_found() {
    let Some(fixture) = fixture() else { return };
    let gpgsm = GnupgHome::copy_of(&fixture.gnupg);
    // carol's certificate may sign only until before the baseline's date.
    let design = copy_of(&fixture.base);
    design.approve("DOC", "DEC1", "2023-07-10");
    let message = unsigned_message(&design, "DOC/v1.0");
    gpgsm.remake_tag(&design, "DOC/v1.0", &message, "carol");
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
    gpgsm.remake_tag(&design, "DOC/v1.0", &message, "bob");
    assert_eq!(
        codes(&design),
        ["signer-role-unsuitable DOC/v1.0", "tag-resigned DOC/v1.0"]
    );
    // bob signs; his record and tag are then rewritten to say alice did.
    let design = copy_of(&fixture.base);
    design.git(&["config", "user.signingkey", &fingerprint("bob")]);
    gpgsm.ok(&design, &APPROVE_SIGNED);
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
    gpgsm.remake_tag(&design, "DOC/v1.0", &message, "bob");
    assert_eq!(codes(&design), ["signer-misnamed DOC/v1.0"]);
}

#[test]
fn x509_certificates_that_may_not_sign_or_be_listed_are_refused() {
    let Some(fixture) = fixture() else { return };
    let gpgsm = GnupgHome::copy_of(&fixture.gnupg);
    let design = copy_of(&fixture.base);
    design.git(&["config", "user.signingkey", &fingerprint("mallory")]);
    let said = gpgsm.refused(&design, &APPROVE_SIGNED);
    assert!(
        said.contains(&format!(
            "your signing key {} is not an approver's",
            fingerprint("mallory")
        )),
        "{said}"
    );
    design.git(&["config", "user.signingkey", &fingerprint("carol")]);
    let said = gpgsm.refused(&design, &APPROVE_SIGNED);
    assert!(
        said.contains("carol@example.org's key may sign from 2023-06-01 until 2023-06-30"),
        "{said}"
    );
    design.git(&["config", "user.signingkey", "nobody@example.org"]);
    let said = gpgsm.refused(&design, &APPROVE_SIGNED);
    assert!(
        said.contains(
            "gpgsm has no certificate with a secret key for `nobody@example.org` to sign with"
        ),
        "{said}"
    );
    // Certificate files that are not one certificate, or hold a private key.
    let add = |file: &Path| {
        let file = file.to_str().unwrap().to_string();
        let args = [
            "approver",
            "add",
            "erin@example.org",
            "--key",
            &file,
            "--role",
            "reviewer",
            "--decision",
            "DEC1",
            "--date",
            "2023-06-01",
        ]
        .map(String::from);
        gpgsm.refused(
            &design,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        )
    };
    let pem = std::fs::read_to_string(key_file("mallory.pem")).unwrap();
    let two = design.file("two.pem");
    std::fs::write(&two, format!("{pem}{pem}")).unwrap();
    let said = add(&two);
    assert!(said.contains("is not one X.509 certificate"), "{said}");
    let private = design.file("private.pem");
    std::fs::write(
        &private,
        format!("{pem}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
    )
    .unwrap();
    let said = add(&private);
    assert!(said.contains("holds a private key"), "{said}");
    // DER that gpgsm does not read as one certificate.
    let mut der = std::fs::read(key_file("mallory.der")).unwrap();
    der.extend(std::fs::read(key_file("bob.der")).unwrap());
    let doubled = design.file("doubled.der");
    std::fs::write(&doubled, der).unwrap();
    let said = add(&doubled);
    assert!(
        said.contains("is not one X.509 certificate as gpgsm reads it"),
        "{said}"
    );
    for file in [two, private, doubled] {
        std::fs::remove_file(file).unwrap();
    }
    // alice's certificate is already hers.
    let args = [
        "approver",
        "add",
        "erin@example.org",
        "--key",
        &key_file("alice.der"),
        "--role",
        "reviewer",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-01",
    ];
    let said = gpgsm.refused(&design, &args);
    assert!(said.contains("is already alice@example.org's"), "{said}");
}

#[test]
fn verify_without_gpgsm_says_so_and_fails() {
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
    assert!(said.contains("could not run gpgsm to"), "{said}");
    assert!(said.contains("hint: install GnuPG's gpgsm"), "{said}");
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
        said.contains("could not run gpgsm to find your signing certificate"),
        "{said}"
    );
    assert_eq!(before, design.snapshot());
    // The program named is the one git would run, where one is configured.
    design.git(&["config", "gpg.x509.program", "/nonexistent/gpgsm2"]);
    let out = design.cmd().args(APPROVE_SIGNED).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("could not run /nonexistent/gpgsm2 to find your signing certificate"),
        "{said}"
    );
    assert_eq!(before, design.snapshot());
}

#[test]
fn an_x509_signed_tag_is_signed_again_by_sync_and_repaired_only_by_its_signer() {
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
        design.git(&["config", "gpg.format", "x509"]);
        design.git(&["config", "user.signingkey", &fingerprint("alice")]);
        design
    };
    let (a, b) = (clone(), clone());
    gpg.ok(&a, &APPROVE_SIGNED);
    let signed_at = a.git(&["rev-parse", "DOC/v1.0^{commit}"]);
    b.decision("DEC2", "2023-07-01", "approved", &[]);
    b.ok(&["sync"]);
    // a's baseline is replayed onto b's decision, its tag signed again with alice's certificate.
    gpg.ok(&a, &["sync"]);
    assert_ne!(a.git(&["rev-parse", "DOC/v1.0^{commit}"]), signed_at);
    let raw = a.git(&["cat-file", "tag", "DOC/v1.0"]);
    assert!(raw.contains("-----BEGIN SIGNED MESSAGE-----"), "{raw}");
    let fresh = clone();
    for repo in [&a, &fresh] {
        assert_eq!(codes(repo), Vec::<String>::new());
        gpg.git(repo, &["verify-tag", "DOC/v1.0"]);
    }
    // A lost signed tag is made again only with the certificate its record names.
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
            .contains("-----BEGIN SIGNED MESSAGE-----")
    );
    assert_eq!(codes(&fresh), Vec::<String>::new());
}

/// Most people's certificates are issued by their organisation's CA: the
/// approvers file lists the certificate alone, and verify checks the
/// signature with it, without the CA (the approvers file, not the chain, says
/// who may sign).
#[test]
fn a_baseline_signed_with_a_ca_issued_certificate_verifies_without_the_ca() {
    let Some(fixture) = fixture() else { return };
    let gpgsm = GnupgHome::copy_of(&fixture.gnupg);
    let home = gpgsm.path();
    let dir = tempfile::tempdir().unwrap();
    let make = |name: &str, parameters: &str| -> PathBuf {
        let der = dir.path().join(format!("{name}.der"));
        make_certificate(&home, parameters, &der);
        gpgsm_in(&home, &["--import", der.to_str().unwrap()]);
        der
    };
    make("ca", "Key-Usage: cert\nName-DN: CN=Test CA\n");
    let listed = gpgsm_in(
        &home,
        &[
            "--with-colons",
            "--with-keygrip",
            "--list-keys",
            "CN=Test CA",
        ],
    );
    let listed = String::from_utf8(listed.stdout).unwrap();
    let field = |record: &str| {
        let line = listed.lines().find(|l| l.starts_with(record)).unwrap();
        line.split(':').nth(9).unwrap().to_string()
    };
    let (ca, grip) = (field("fpr:"), field("grp:"));
    let trustlist = home.join("trustlist.txt");
    let trusted = std::fs::read_to_string(&trustlist).unwrap();
    std::fs::write(&trustlist, format!("{trusted}{ca} S\n")).unwrap();
    // The agent reads the trust list when it starts.
    stop_agent(&home);
    make(
        "erin",
        &format!(
            "Key-Usage: sign\nName-DN: CN=erin\nName-Email: erin@example.org\nIssuer-DN: CN=Test CA\nSigning-Key: {grip}\n"
        ),
    );
    let erin = fingerprint_in(&home, "erin");
    let pem = gpgsm_in(&home, &["--export", "--armor", &erin]);
    let pem_file = dir.path().join("erin.pem");
    std::fs::write(&pem_file, &pem.stdout).unwrap();
    let design = copy_of(&fixture.base);
    gpgsm.ok(
        &design,
        &approver_add("erin@example.org", pem_file.to_str().unwrap(), "dag-chair"),
    );
    design.git(&["config", "user.signingkey", &erin]);
    gpgsm.ok(&design, &APPROVE_SIGNED);
    let record = design.read("artefacts/DOC/versions/1.0.toml");
    assert!(record.contains(&format!("key = \"{erin}\"")), "{record}");
    gpgsm.git(&design, &["verify-tag", "DOC/v1.0"]);
    assert_eq!(codes(&design), Vec::<String>::new());
}
