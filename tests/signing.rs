//! Signed baselines and the approvers list (issue 20): who signed, with what
//! meaning, and whether they were entitled to, with SSH keys made with
//! ssh-keygen in temporary folders; every attack is done with plain git.
//! OpenPGP keys are tested in signing_openpgp.rs.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;

use common::signing::{copy_of, replace_tag_object, signing_base, unsigned_message};
use common::{Design, copy_dir, finding_codes, verify_report};

/// The keys and the two repositories every test starts from, made once.
struct Fixture {
    _dir: tempfile::TempDir,
    keys: PathBuf,
    /// DOC with draft 0.1, DEC1 approved, approvers alice (dag-chair, from
    /// 2023-06-01, the date of DEC1 that appoints them), bob (reviewer), carol (dag-chair, 2023-06-01 to
    /// 2023-06-30); git set to sign with alice's key.
    base: PathBuf,
    /// `base` with DOC 1.0 baselined on 2023-07-03, signed by alice.
    signed: PathBuf,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

/// ssh-keygen must be here: without it these tests fail, never skip.
fn require_ssh_keygen() {
    let found = std::process::Command::new("ssh-keygen")
        .arg("-?")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        found,
        "ssh-keygen is needed to test signed baselines: install OpenSSH's client (Debian/Ubuntu: openssh-client)"
    );
}

fn fixture() -> &'static Fixture {
    FIXTURE.get_or_init(|| {
        require_ssh_keygen();
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        std::fs::create_dir(&keys).unwrap();
        for who in ["alice", "bob", "carol", "mallory", "dave"] {
            let status = std::process::Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", who, "-f"])
                .arg(keys.join(who))
                .status()
                .unwrap();
            assert!(status.success());
        }
        let base = dir.path().join("base");
        signing_base(
            &base,
            None,
            &keys,
            &[
                ("alice", "alice.pub", "dag-chair", None),
                ("bob", "bob.pub", "reviewer", None),
                ("carol", "carol.pub", "dag-chair", Some("2023-06-30")),
            ],
        );
        let ok = |repo: &Path, args: &[&str]| {
            let out = common::baseline_in(repo).args(args).output().unwrap();
            assert!(
                out.status.success(),
                "baseline {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        common::git_in(&base, &["config", "gpg.format", "ssh"]);
        let alice = keys.join("alice");
        common::git_in(
            &base,
            &["config", "user.signingkey", alice.to_str().unwrap()],
        );
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
        Fixture {
            _dir: dir,
            keys,
            base,
            signed,
        }
    })
}

/// A bare repository that `base` syncs with, as its origin.
fn shared(base: &Design) -> tempfile::TempDir {
    let server = tempfile::tempdir().unwrap();
    common::git_in(
        server.path(),
        &["init", "--quiet", "--bare", "--initial-branch=main"],
    );
    base.git(&["remote", "add", "origin", server.path().to_str().unwrap()]);
    base.ok(&["sync"]);
    server
}

/// A clone of `server` set to sign with `who`'s key.
fn signer_clone(server: &Path, who: &str) -> Design {
    let dir = tempfile::tempdir().unwrap();
    common::git_in(
        dir.path(),
        &["clone", "--quiet", server.to_str().unwrap(), "."],
    );
    let design = Design { dir };
    design.git(&["config", "gpg.format", "ssh"]);
    design.git(&["config", "user.signingkey", &key(who)]);
    design
}

fn key(who: &str) -> String {
    fixture().keys.join(who).to_str().unwrap().to_string()
}

fn codes(design: &Design) -> Vec<String> {
    let (_, report) = verify_report(design.path(), &["--no-cache"]);
    let mut codes = finding_codes(&report);
    codes.sort();
    codes
}

/// Makes the tag again by hand, with `message`, signed by `signer` (or not).
fn remake_tag(design: &Design, tag: &str, message: &str, signer: Option<&str>) {
    let commit = design.git(&["rev-parse", &format!("{tag}^{{commit}}")]);
    design.write("msg.txt", message);
    let msg = design.file("msg.txt");
    design.git(&["tag", "-d", tag]);
    let signing = signer.map(|who| format!("user.signingkey={}", key(who)));
    let mut args = vec![];
    if let Some(signing) = &signing {
        args.extend(["-c", "gpg.format=ssh", "-c", signing, "tag", "-s"]);
    } else {
        args.extend(["tag", "-a"]);
    }
    args.extend([
        "--cleanup=verbatim",
        "-F",
        msg.to_str().unwrap(),
        tag,
        commit.trim(),
    ]);
    design.git(&args);
    std::fs::remove_file(msg).unwrap();
}

#[test]
fn a_signed_baseline_says_who_signed_when_and_with_what_meaning() {
    let design = copy_of(&fixture().signed);
    // The tag is signed by git with alice's key, and states its meaning.
    let raw = design.git(&["cat-file", "tag", "DOC/v1.0"]);
    assert!(raw.contains("-----BEGIN SSH SIGNATURE-----"), "{raw}");
    let sha = design.json(&["show", "DOC@1.0"])["version"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let meaning = format!("Baselined DOC v1.0 under DEC1 on 2023-07-03, sha256 {sha}");
    assert!(
        raw.contains(&format!(
            "{meaning}; signed by alice@example.org as dag-chair with key SHA256:"
        )),
        "{raw}"
    );
    // git itself reads the approvers file as its allowed signers.
    design.git(&[
        "-c",
        "gpg.ssh.allowedSignersFile=approvers",
        "verify-tag",
        "DOC/v1.0",
    ]);
    let record = design.read("artefacts/DOC/versions/1.0.toml");
    assert!(
        record.contains(
            "[signed_by]\nname = \"alice@example.org\"\nrole = \"dag-chair\"\nkey = \"SHA256:"
        ),
        "{record}"
    );
    // show, trace (text and JSON), the register.
    let shown = design.ok(&["show", "DOC@1.0"]);
    assert!(
        shown.contains("signed by:   alice@example.org as dag-chair, key SHA256:"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("meaning:     {meaning}")),
        "{shown}"
    );
    let logged = design.ok(&["log", "DOC"]);
    assert!(
        logged.contains("signed by: alice@example.org as dag-chair"),
        "{logged}"
    );
    let traced = design.ok(&["trace", "DOC@1.0"]);
    assert!(traced.contains("signature:   ssh key SHA256:"), "{traced}");
    assert!(
        traced.contains("(the key the record names), signed 20"),
        "{traced}"
    );
    let json = design.json(&["trace", "DOC@1.0"]);
    assert_eq!(json["meaning"], meaning.as_str());
    assert_eq!(json["tag"]["signature"]["format"], "ssh");
    assert_eq!(
        json["tag"]["signature"]["key"],
        json["version"]["signed_by"]["key"]
    );
    let csv = design.ok(&["list", "--format", "csv"]);
    assert!(csv.lines().next().unwrap().contains("Signed by"), "{csv}");
    assert!(
        csv.contains("alice@example.org (dag-chair, key SHA256:"),
        "{csv}"
    );
    let listed = design.json(&["list"]);
    assert_eq!(
        listed[0]["baseline"]["signed_by"]["name"],
        "alice@example.org"
    );
    // The release pack's register names the signer too.
    design.ok(&[
        "release",
        "create",
        "IR1",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-04",
        "--all-baselined",
    ]);
    let packs = tempfile::tempdir().unwrap();
    let pack = packs.path().join("IR1");
    design.ok(&["publish", "IR1", pack.to_str().unwrap()]);
    let note = std::fs::read_to_string(pack.join("release-note.md")).unwrap();
    assert!(note.contains("| alice@example.org (dag-chair) |"), "{note}");
    let register = std::fs::read_to_string(pack.join("register.csv")).unwrap();
    assert!(
        register.contains("alice@example.org (dag-chair, key SHA256:"),
        "{register}"
    );
    assert_eq!(codes(&design), Vec::<String>::new());
}

#[test]
fn approvers_are_listed_changed_only_under_a_decision_and_read_by_ssh_keygen() {
    let design = copy_of(&fixture().base);
    let text = design.read("approvers");
    assert!(
        text.contains("alice@example.org namespaces=\"git\",valid-after=\"20230601\" ssh-ed25519 "),
        "{text}"
    );
    assert!(
        text.contains(",valid-before=\"20230701\" ssh-ed25519 "),
        "{text}"
    );
    assert!(text.contains(" role=dag-chair\n"), "{text}");
    let listed = design.json(&["approver", "list"]);
    assert_eq!(listed[2]["name"], "carol@example.org");
    assert_eq!(listed[2]["until"], "2023-06-30");
    assert_eq!(listed[2]["added"]["decision"], "DEC1");
    let human = design.ok(&["approver", "list"]);
    assert!(
        human.contains("from 2023-06-01 until 2023-06-30 (not today)"),
        "{human}"
    );
    // ssh-keygen finds a signer by the file, as it is.
    let payload = design.file("payload");
    std::fs::write(&payload, "hello").unwrap();
    let signed = std::process::Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", "git", "-f", &key("bob")])
        .arg(&payload)
        .output()
        .unwrap();
    assert!(signed.status.success());
    let found = std::process::Command::new("ssh-keygen")
        .args(["-Y", "find-principals", "-f"])
        .arg(design.file("approvers"))
        .arg("-s")
        .arg(design.file("payload.sig"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&found.stdout), "bob@example.org\n");
    std::fs::remove_file(payload).unwrap();
    std::fs::remove_file(design.file("payload.sig")).unwrap();

    let mallory = format!("{}.pub", key("mallory"));
    design.decision("DEC2", "2023-06-02", "rejected", &[]);
    let refused = design.refused(&[
        "approver",
        "add",
        "mallory",
        "--key",
        &mallory,
        "--role",
        "chair",
        "--decision",
        "DEC2",
    ]);
    assert!(
        refused.contains("decision DEC2 (rejected on 2023-06-02) cannot change the approvers"),
        "{refused}"
    );
    let refused = design.refused(&[
        "approver",
        "add",
        "alice@example.org",
        "--key",
        &mallory,
        "--role",
        "chair",
        "--decision",
        "DEC1",
    ]);
    assert!(
        refused.contains("alice@example.org is already an approver"),
        "{refused}"
    );
    let alice = format!("{}.pub", key("alice"));
    let refused = design.refused(&[
        "approver",
        "add",
        "eve",
        "--key",
        &alice,
        "--role",
        "chair",
        "--decision",
        "DEC1",
    ]);
    assert!(
        refused.contains("is already alice@example.org's"),
        "{refused}"
    );
    let refused = design.refused(&[
        "approver",
        "add",
        "eve",
        "--key",
        &key("mallory"),
        "--role",
        "chair",
        "--decision",
        "DEC1",
    ]);
    assert!(refused.contains("is a private key"), "{refused}");
    let out = design.run(&[
        "approver",
        "add",
        "eve smith",
        "--key",
        &mallory,
        "--role",
        "chair",
        "--decision",
        "DEC1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let refused = design.refused(&["approver", "remove", "nobody", "--decision", "DEC1"]);
    assert!(refused.contains("nobody is not an approver"), "{refused}");
    // Removing bob is one commit citing the decision; verify stays clean.
    design.ok(&[
        "approver",
        "remove",
        "bob@example.org",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-05",
    ]);
    let message = design.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("Remove approver bob@example.org (reviewer) under DEC1"),
        "{message}"
    );
    assert!(
        message.contains("Baseline-Approver-Removed: bob@example.org"),
        "{message}"
    );
    assert!(!design.read("approvers").contains("bob@"));
    assert_eq!(codes(&design), Vec::<String>::new());
}

#[test]
fn approve_refuses_to_sign_with_a_key_that_may_not_and_unsigned_under_the_policy() {
    let design = copy_of(&fixture().base);
    let sign = |date: &str| {
        vec![
            "approve",
            "DOC",
            "--decision",
            "DEC1",
            "--date",
            date,
            "--sign",
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>()
    };
    let refused =
        |args: Vec<String>| design.refused(&args.iter().map(String::as_str).collect::<Vec<_>>());
    design.git(&["config", "user.signingkey", &key("mallory")]);
    let said = refused(sign("2023-06-10"));
    assert!(
        said.contains("is not an approver's: the approvers file does not list it"),
        "{said}"
    );
    design.git(&["config", "user.signingkey", &key("carol")]);
    let said = refused(sign("2023-07-10"));
    assert!(
        said.contains(
            "carol@example.org's key may sign from 2023-06-01 until 2023-06-30, and a baseline dated 2023-07-10 signed today"
        ),
        "{said}"
    );
    design.git(&["config", "gpg.format", "smime"]);
    let said = refused(sign("2023-06-10"));
    assert!(
        said.contains("gpg.format = smime is not a signing format git knows"),
        "{said}"
    );
    assert!(
        said.contains("hint: set up git to sign with an SSH key (`git config gpg.format ssh`"),
        "{said}"
    );
    design.git(&["config", "gpg.format", "ssh"]);
    design.git(&["config", "user.signingkey", &key("bob")]);
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
    let said = refused(sign("2023-06-10"));
    assert!(
        said.contains(
            "bob@example.org is an approver as reviewer, and the policy lets only dag-chair sign"
        ),
        "{said}"
    );
    design.ok(&[
        "policy",
        "set",
        "require_signed_baselines",
        "true",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-02",
    ]);
    let said = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-10",
    ]);
    assert!(
        said.contains("the policy requires signed baselines (require_signed_baselines = true)"),
        "{said}"
    );
    assert!(
        said.contains("hint: add --sign; set up git to sign"),
        "{said}"
    );
    let shown = design.json(&["policy", "show"]);
    assert!(shown.to_string().contains("\"require_signed_baselines\""));
    design.git(&["config", "user.signingkey", &key("alice")]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-10",
        "--sign",
    ]);
    assert_eq!(codes(&design), Vec::<String>::new());
}

#[test]
fn a_tag_signed_again_by_another_key_is_found() {
    // By a key no approver has.
    let design = copy_of(&fixture().signed);
    let message = unsigned_message(&design, "DOC/v1.0");
    design.ok(&["verify"]);
    remake_tag(&design, "DOC/v1.0", &message, Some("mallory"));
    // A verify from the cache of a clean one sees the tag changed since.
    let (_, report) = verify_report(design.path(), &[]);
    let mut cached = finding_codes(&report);
    cached.sort();
    assert_eq!(cached, ["signer-unknown DOC/v1.0", "tag-resigned DOC/v1.0"]);
    assert_eq!(
        codes(&design),
        ["signer-unknown DOC/v1.0", "tag-resigned DOC/v1.0"]
    );
    // By another approver's, valid and in a role that may sign: the record
    // names alice's key.
    remake_tag(&design, "DOC/v1.0", &message, Some("bob"));
    assert_eq!(codes(&design), ["tag-resigned DOC/v1.0"]);
}

#[test]
fn a_signature_over_different_content_is_found() {
    let design = copy_of(&fixture().signed);
    let raw = design.git(&["cat-file", "tag", "DOC/v1.0"]);
    // The same message the record names, another tagger time: the signature
    // no longer covers the tag as it stands.
    let tagger = raw.lines().find(|l| l.starts_with("tagger ")).unwrap();
    let mut parts: Vec<&str> = tagger.rsplitn(3, ' ').collect();
    let earlier = (parts[1].parse::<i64>().unwrap() - 3600).to_string();
    parts[1] = &earlier;
    let forged_tagger = format!("{} {} {}", parts[2], parts[1], parts[0]);
    replace_tag_object(&design, "DOC/v1.0", &raw.replace(tagger, &forged_tagger));
    assert_eq!(codes(&design), ["signature-bad DOC/v1.0"]);
    // A payload naming other content (another sha256) under the old signature.
    let sha = design.json(&["show", "DOC@1.0"])["version"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    replace_tag_object(&design, "DOC/v1.0", &raw.replace(&sha, &"0".repeat(64)));
    assert_eq!(
        codes(&design),
        ["signature-bad DOC/v1.0", "tag-message-mismatch DOC/v1.0"]
    );
}

#[test]
fn a_key_signing_outside_its_validity_is_found() {
    let design = copy_of(&fixture().base);
    // An unsigned baseline dated after carol's key expired, its tag then
    // signed by carol with plain git.
    design.approve("DOC", "DEC1", "2023-07-10");
    let message = unsigned_message(&design, "DOC/v1.0");
    remake_tag(&design, "DOC/v1.0", &message, Some("carol"));
    assert_eq!(
        codes(&design),
        ["signer-outside-validity DOC/v1.0", "tag-resigned DOC/v1.0"]
    );
    let (_, report) = verify_report(design.path(), &["--no-cache"]);
    let said = report.to_string();
    assert!(
        said.contains("whose key may sign from 2023-06-01 until 2023-06-30, and the baseline is dated 2023-07-10 (recorded "),
        "{said}"
    );
}

#[test]
fn an_unsigned_tag_where_a_signature_is_required_is_found() {
    // The record names a signer; the tag is made again unsigned.
    let design = copy_of(&fixture().signed);
    let message = unsigned_message(&design, "DOC/v1.0");
    remake_tag(&design, "DOC/v1.0", &message, None);
    assert_eq!(codes(&design), ["baseline-unsigned DOC/v1.0"]);
    // The policy requires signatures; a baseline's record is added by hand
    // beside an unsigned tag.
    let design = copy_of(&fixture().base);
    design.ok(&[
        "policy",
        "set",
        "require_signed_baselines",
        "true",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-02",
    ]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-03",
        "--sign",
    ]);
    let record = design.read("artefacts/DOC/versions/1.0.toml");
    let unsigned = record[..record.find("\n[signed_by]").unwrap()].to_string() + "\n";
    let forged = unsigned.replace("version = \"1.0\"", "version = \"2.0\"");
    design.write("artefacts/DOC/versions/2.0.toml", &forged);
    design.git(&["add", "artefacts/DOC/versions/2.0.toml"]);
    design.git(&["commit", "-q", "-m", "Baseline DOC v2.0 (DEC1)"]);
    let message = unsigned_message(&design, "DOC/v1.0").replace("DOC v1.0", "DOC v2.0");
    let message = message[..message.find("\n\nBaselined").unwrap()].to_string() + "\n";
    design.write("msg.txt", &message);
    let msg = design.file("msg.txt");
    design.git(&[
        "tag",
        "-a",
        "--cleanup=verbatim",
        "-F",
        msg.to_str().unwrap(),
        "DOC/v2.0",
        "HEAD",
    ]);
    std::fs::remove_file(msg).unwrap();
    // Also a rule broken: under change control, no change request is cited.
    assert_eq!(
        codes(&design),
        [
            "baseline-unsigned DOC/v2.0",
            "rule-broken artefacts/DOC/versions/2.0.toml"
        ]
    );
}

#[test]
fn an_approvers_file_edited_by_a_plain_commit_is_found_and_not_believed() {
    let design = copy_of(&fixture().base);
    // mallory lists herself with plain git, then signs a baseline.
    let key = std::fs::read_to_string(format!("{}.pub", key("mallory"))).unwrap();
    let key: Vec<&str> = key.split_whitespace().take(2).collect();
    let mut text = design.read("approvers");
    text.push_str(&format!(
        "mallory@example.org namespaces=\"git\",valid-after=\"20230101\" {} role=dag-chair\n",
        key.join(" ")
    ));
    design.write("approvers", &text);
    design.git(&["commit", "-q", "-am", "Add an approver"]);
    design.git(&["config", "user.signingkey", &self::key("mallory")]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-03",
        "--sign",
    ]);
    assert_eq!(
        codes(&design),
        ["approvers-unrecorded approvers", "signer-unknown DOC/v1.0"]
    );
    let (_, report) = verify_report(design.path(), &["--no-cache"]);
    assert!(
        report
            .to_string()
            .contains("the commit is not an `approver add` or `approver remove`")
    );
    // An `approver add` commit that also changes another line is not believed either.
    let design = copy_of(&fixture().base);
    design.ok(&[
        "approver",
        "add",
        "dave",
        "--key",
        &format!("{}.pub", self::key("mallory")),
        "--role",
        "reviewer",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-03",
    ]);
    let edited = design
        .read("approvers")
        .replace("role=reviewer\nc", "role=dag-chair\nc");
    assert_ne!(edited, design.read("approvers"));
    design.write("approvers", &edited);
    let message = design.git(&["log", "-1", "--format=%B"]);
    design.git(&["commit", "-q", "-a", "--amend", "-m", message.trim()]);
    assert_eq!(codes(&design), ["approvers-unrecorded approvers"]);
    // As a pre-receive hook checks a push: the range that holds the edit.
    let (code, report) = verify_report(design.path(), &["--range", "HEAD~1..HEAD"]);
    assert_eq!(
        (code, finding_codes(&report)),
        (1, vec!["approvers-unrecorded approvers".to_string()])
    );
}

#[test]
fn a_missing_signed_tag_is_repaired_only_with_the_signers_key() {
    let design = copy_of(&fixture().signed);
    design.git(&["tag", "-d", "DOC/v1.0"]);
    design.git(&["config", "user.signingkey", &key("bob")]);
    let out = design.run(&["verify", "--repair"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("must be signed by alice@example.org"),
        "{said}"
    );
    design.git(&["config", "user.signingkey", &key("alice")]);
    design.ok(&["verify", "--repair"]);
    assert!(
        design
            .git(&["cat-file", "tag", "DOC/v1.0"])
            .contains("SSH SIGNATURE")
    );
    assert_eq!(codes(&design), Vec::<String>::new());
}

#[test]
fn sync_signs_a_replayed_baselines_tag_again_with_the_same_key() {
    let base = copy_of(&fixture().base);
    let server = shared(&base);
    let clone = |who: &str| signer_clone(server.path(), who);
    let (a, b) = (clone("alice"), clone("bob"));
    a.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-03",
        "--sign",
    ]);
    let signed_at = a.git(&["rev-parse", "DOC/v1.0^{commit}"]);
    b.decision("DEC2", "2023-07-01", "approved", &[]);
    b.ok(&["sync"]);
    // The tag is signed again only with the key that signed it.
    a.git(&["config", "user.signingkey", &key("bob")]);
    let said = a.refused(&["sync"]);
    assert!(
        said.contains("git signed the tag DOC/v1.0 with another key"),
        "{said}"
    );
    a.git(&["config", "user.signingkey", &key("alice")]);
    a.ok(&["sync"]);
    assert_ne!(a.git(&["rev-parse", "DOC/v1.0^{commit}"]), signed_at);
    let raw = a.git(&["cat-file", "tag", "DOC/v1.0"]);
    assert!(raw.contains("-----BEGIN SSH SIGNATURE-----"), "{raw}");
    let fresh = clone("bob");
    for repo in [&a, &fresh] {
        assert_eq!(codes(repo), Vec::<String>::new());
        repo.git(&[
            "-c",
            "gpg.ssh.allowedSignersFile=approvers",
            "verify-tag",
            "DOC/v1.0",
        ]);
    }
    // Two approvers added at once in two clones: the second sync is refused,
    // naming both, and changes nothing.
    let mallory = format!("{}.pub", key("mallory"));
    let dave = format!("{}.pub", key("carol"));
    a.ok(&[
        "approver",
        "remove",
        "carol@example.org",
        "--decision",
        "DEC1",
    ]);
    a.ok(&[
        "approver",
        "add",
        "dave",
        "--key",
        &dave,
        "--role",
        "reviewer",
        "--decision",
        "DEC1",
    ]);
    a.ok(&["sync"]);
    b.ok(&[
        "approver",
        "add",
        "mallory",
        "--key",
        &mallory,
        "--role",
        "reviewer",
        "--decision",
        "DEC1",
    ]);
    let said = b.refused(&["sync"]);
    assert!(said.contains("approvers"), "{said}");
    drop(base);
}

#[test]
fn a_signature_git_cannot_make_leaves_nothing_behind() {
    let design = copy_of(&fixture().base);
    // The public key alone, named in the configuration, with no ssh-agent to
    // hold its private half.
    let public = std::fs::read_to_string(format!("{}.pub", key("alice"))).unwrap();
    design.git(&[
        "config",
        "user.signingkey",
        &format!("key::{}", public.trim()),
    ]);
    let said = design
        .cmd()
        .env_remove("SSH_AUTH_SOCK")
        .args([
            "approve",
            "DOC",
            "--decision",
            "DEC1",
            "--date",
            "2023-07-03",
            "--sign",
        ])
        .output()
        .unwrap();
    assert_eq!(said.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&said.stderr);
    assert!(
        stderr.contains("git could not sign the tag DOC/v1.0"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: set up git to sign"), "{stderr}");
    assert!(!design.file("artefacts/DOC/versions/1.0.toml").exists());
    assert_eq!(design.git(&["tag", "-l"]), "");
    let state = std::fs::read_dir(design.file(".git/baseline")).unwrap();
    let left: Vec<String> = state
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("sign-") || n.starts_with("journal"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
    assert_eq!(codes(&design), Vec::<String>::new());
}

#[test]
fn a_signer_in_a_role_the_policy_does_not_let_sign_is_found() {
    let design = copy_of(&fixture().base);
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
    // An unsigned baseline, its tag then signed by bob, a reviewer, with plain git.
    design.approve("DOC", "DEC1", "2023-07-10");
    let message = unsigned_message(&design, "DOC/v1.0");
    remake_tag(&design, "DOC/v1.0", &message, Some("bob"));
    assert_eq!(
        codes(&design),
        ["signer-role-unsuitable DOC/v1.0", "tag-resigned DOC/v1.0"]
    );
}

/// `approver` with `args`, which must be refused; returns standard error.
fn approver_refused(design: &Design, args: &[&str]) -> String {
    design.refused(&[&["approver"][..], args].concat())
}

#[test]
fn a_record_naming_another_approver_than_the_key_that_signed_is_found() {
    let design = copy_of(&fixture().base);
    design.git(&["config", "user.signingkey", &key("bob")]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-03",
        "--sign",
    ]);
    // bob's record and tag rewritten by hand to say alice signed, as dag-chair.
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
    remake_tag(&design, "DOC/v1.0", &message, Some("bob"));
    assert_eq!(codes(&design), ["signer-misnamed DOC/v1.0"]);
}

#[test]
fn an_expired_key_cannot_sign_a_baseline_dated_back_into_its_validity() {
    let design = copy_of(&fixture().base);
    design.git(&["config", "user.signingkey", &key("carol")]);
    let refused = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-15",
        "--sign",
    ]);
    assert!(
        refused.contains("a baseline dated 2023-06-15 signed today"),
        "{refused}"
    );
}

#[test]
fn an_approver_is_appointed_only_from_their_decision_and_again_only_by_a_later_one() {
    let design = copy_of(&fixture().base);
    let mallory = format!("{}.pub", key("mallory"));
    let early = approver_refused(
        &design,
        &[
            "add",
            "mallory@example.org",
            "--key",
            &mallory,
            "--role",
            "dag-chair",
            "--from",
            "2020-01-01",
            "--decision",
            "DEC1",
            "--date",
            "2023-06-02",
        ],
    );
    assert!(
        early.contains("would sign from 2020-01-01, before DEC1 appointed them on 2023-06-01"),
        "{early}"
    );
    design.ok(&[
        "decision",
        "add",
        "DEC70",
        "--date",
        "2023-06-05",
        "--outcome",
        "approved",
        "--text",
        "Remove carol.",
    ]);
    let with_carol = design.read("approvers");
    let carol_added = design.git(&["log", "-1", "--format=%B", "--grep=^Add approver carol"]);
    design.ok(&[
        "approver",
        "remove",
        "carol@example.org",
        "--decision",
        "DEC70",
        "--date",
        "2023-06-05",
    ]);
    let carol = format!("{}.pub", key("carol"));
    let again = approver_refused(
        &design,
        &[
            "add",
            "carol@example.org",
            "--key",
            &carol,
            "--role",
            "dag-chair",
            "--from",
            "2023-06-06",
            "--decision",
            "DEC1",
            "--date",
            "2023-06-06",
        ],
    );
    assert!(
        again.contains(
            "DEC1 was decided on 2023-06-01, before carol@example.org was removed on 2023-06-05"
        ),
        "{again}"
    );
    // The same put back by hand, under the message of her first appointment.
    design.write("approvers", &with_carol);
    design.git(&["commit", "-q", "-a", "-m", carol_added.trim()]);
    let (_, report) = verify_report(design.path(), &["--no-cache"]);
    assert_eq!(finding_codes(&report), ["approvers-unrecorded approvers"]);
    assert!(
        report.to_string().contains("it cannot appoint them again"),
        "{report}"
    );
}

#[test]
fn a_line_added_by_hand_is_not_believed_after_a_recorded_change_keeps_it() {
    let design = copy_of(&fixture().base);
    let key_of = |who: &str| {
        let text = std::fs::read_to_string(format!("{}.pub", key(who))).unwrap();
        text.split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut text = design.read("approvers");
    text.push_str(&format!(
        "mallory@example.org namespaces=\"git\",valid-after=\"20230601\" {} role=dag-chair\n",
        key_of("mallory")
    ));
    design.write("approvers", &text);
    design.git(&["commit", "-q", "-am", "Tidy the approvers"]);
    // A recorded change that leaves mallory's line in place.
    let dave = format!("{}.pub", key("dave"));
    design.ok(&[
        "approver",
        "add",
        "dave@example.org",
        "--key",
        &dave,
        "--role",
        "reviewer",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-02",
    ]);
    design.git(&["config", "user.signingkey", &key("mallory")]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-03",
        "--sign",
    ]);
    assert_eq!(
        codes(&design),
        ["approvers-unrecorded approvers", "signer-unknown DOC/v1.0"]
    );
}

#[test]
fn a_recorded_add_giving_an_approvers_key_to_another_name_is_not_believed() {
    let template = copy_of(&fixture().base);
    let dave = format!("{}.pub", key("dave"));
    template.ok(&[
        "approver",
        "add",
        "dave@example.org",
        "--key",
        &dave,
        "--role",
        "reviewer",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-02",
    ]);
    let message = template
        .git(&["log", "-1", "--format=%B"])
        .replace("dave@example.org", "carol2@example.org");
    let line = template
        .read("approvers")
        .lines()
        .find(|l| l.starts_with("dave@"))
        .unwrap()
        .to_string();
    let carol_key = template
        .read("approvers")
        .lines()
        .find(|l| l.starts_with("carol@"))
        .unwrap()
        .split_whitespace()
        .skip(2)
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let dave_key: String = line
        .split_whitespace()
        .skip(2)
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let forged = line
        .replace("dave@example.org", "carol2@example.org")
        .replace(&dave_key, &carol_key);
    let design = copy_of(&fixture().base);
    design.write(
        "approvers",
        &format!("{}{forged}\n", design.read("approvers")),
    );
    design.git(&["commit", "-q", "-am", message.trim()]);
    let (_, report) = verify_report(design.path(), &["--no-cache"]);
    assert_eq!(finding_codes(&report), ["approvers-unrecorded approvers"]);
    assert!(
        report
            .to_string()
            .contains("it gives carol@example.org's key to carol2@example.org"),
        "{report}"
    );
}

#[test]
fn a_signed_baseline_renumbered_by_sync_is_signed_again_under_its_new_name() {
    let base = copy_of(&fixture().base);
    base.ok(&[
        "policy",
        "set",
        "change_control",
        "false",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-01",
    ]);
    let server = shared(&base);
    let clone = |who: &str| signer_clone(server.path(), who);
    let (a, b) = (clone("alice"), clone("bob"));
    let approve = [
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-03",
        "--sign",
    ];
    b.ok(&approve);
    b.ok(&["sync"]);
    a.ok(&approve);
    let said = a.ok(&["sync", "--renumber"]);
    assert!(said.contains("Renumbered DOC 1.0 is now DOC 2.0"), "{said}");
    let message = unsigned_message(&a, "DOC/v2.0");
    assert!(
        message.contains("Baselined DOC v2.0 under DEC1") && message.contains("alice@example.org"),
        "{message}"
    );
    let fresh = clone("bob");
    for repo in [&a, &fresh] {
        assert_eq!(codes(repo), Vec::<String>::new());
        for tag in ["DOC/v1.0", "DOC/v2.0"] {
            repo.git(&[
                "-c",
                "gpg.ssh.allowedSignersFile=approvers",
                "verify-tag",
                tag,
            ]);
        }
    }
    drop(base);
}
