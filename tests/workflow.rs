//! The design team's everyday path: init, add, draft, decide, baseline — checked
//! against the files, commits and tags it leaves in a real git repository.

mod common;

use common::{Design, WHO, baseline_in, git_in};

#[test]
fn init_creates_a_repository_in_an_empty_directory() {
    let design = Design::new();
    assert!(
        design
            .read("baseline.toml")
            .contains("programme = \"Test Programme\"")
    );
    assert_eq!(design.commit_count(), 1);
    assert_eq!(
        design.git(&["symbolic-ref", "HEAD"]).trim(),
        "refs/heads/main"
    );
    assert_eq!(design.git(&["status", "--porcelain"]), "");
    design.assert_fsck_clean();
}

#[test]
fn init_keeps_an_existing_repository_and_its_files() {
    let dir = tempfile::tempdir().unwrap();
    git_in(dir.path(), &["init", "-q", "-b", "trunk"]);
    std::fs::write(dir.path().join("notes.txt"), "kept\n").unwrap();
    git_in(dir.path(), &["add", "notes.txt"]);
    git_in(dir.path(), &["commit", "-qm", "Existing work"]);
    std::fs::write(dir.path().join("untracked.txt"), "mine\n").unwrap();

    baseline_in(dir.path())
        .args(["init", "--programme", "MHHS"])
        .assert()
        .success();

    assert_eq!(
        git_in(dir.path(), &["rev-list", "--count", "trunk"]).trim(),
        "2"
    );
    assert_eq!(git_in(dir.path(), &["show", "trunk:notes.txt"]), "kept\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("untracked.txt")).unwrap(),
        "mine\n"
    );
    assert_eq!(
        git_in(dir.path(), &["status", "--porcelain"]),
        "?? untracked.txt\n"
    );
    let again = baseline_in(dir.path()).arg("init").output().unwrap();
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn add_registers_the_artefact_and_its_working_content() {
    let design = Design::new();
    design.write("in/des196.csv", "D-Flow,Name\nD0012,Reading\n");
    let out = design.ok(&[
        "add",
        "DES196",
        "--title",
        "D-Flow and Interface Mapping",
        "--key",
        "D-Flow",
        "--owner",
        "Design",
        "in/des196.csv",
    ]);
    assert!(out.contains("Registered DES196"), "{out}");
    let record = design.read("artefacts/DES196/artefact.toml");
    for line in [
        "id = \"DES196\"",
        "kind = \"table\"",
        "format = \"csv\"",
        "key = \"D-Flow\"",
        "file = \"des196.csv\"",
        "owner = \"Design\"",
    ] {
        assert!(record.contains(line), "{line} missing from\n{record}");
    }
    assert!(record.contains(&format!("registered_by = \"{WHO}\"")));
    assert_eq!(
        design.read("artefacts/DES196/des196.csv"),
        "D-Flow,Name\nD0012,Reading\n"
    );
    assert_eq!(design.git(&["status", "--porcelain"]), "?? in/\n");
    assert_eq!(
        design.git(&["log", "-1", "--format=%s"]).trim(),
        "Register DES196 D-Flow and Interface Mapping"
    );
}

#[test]
fn drafts_take_the_next_minor_and_record_the_exact_bytes() {
    let design = Design::with_artefacts();
    let record = design.read("artefacts/DOC/versions/0.1.toml");
    let bytes = std::fs::read(design.file("artefacts/DOC/doc.md")).unwrap();
    let sha = sha256(&bytes);
    assert!(record.contains(&format!("sha256 = \"{sha}\"")), "{record}");
    assert!(record.contains("status = \"draft\""));
    assert!(record.contains(&format!("size = {}", bytes.len())));
    let blob = design.git(&["hash-object", "artefacts/DOC/doc.md"]);
    assert!(record.contains(&format!("blob = \"{}\"", blob.trim())));

    design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nThe second text.\n");
    design.ok(&["draft", "DOC", "-m", "Second pass", "--date", "2023-06-02"]);
    let second = design.read("artefacts/DOC/versions/0.2.toml");
    assert!(second.contains("note = \"Second pass\""));
    assert_eq!(
        design.git(&["log", "-1", "--format=%s"]).trim(),
        "Draft DOC v0.2"
    );
    let message = design.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains("Baseline-Artefact: DOC\nBaseline-Version: 0.2\n"),
        "{message}"
    );
    assert_eq!(design.git(&["status", "--porcelain", "artefacts"]), "");
    design.assert_fsck_clean();
}

#[test]
fn draft_with_a_file_replaces_the_working_content() {
    let design = Design::with_artefacts();
    design.write("elsewhere/new.md", "# 1 Scope\n\nReplaced.\n");
    design.ok(&["draft", "DOC", "elsewhere/new.md", "--date", "2023-06-03"]);
    assert_eq!(
        design.read("artefacts/DOC/doc.md"),
        "# 1 Scope\n\nReplaced.\n"
    );
    assert_eq!(design.ok(&["cat", "DOC@0.2"]), "# 1 Scope\n\nReplaced.\n");
    assert_eq!(
        design.ok(&["cat", "DOC@0.1"]),
        "# 1 Scope\n\nThe first text.\n"
    );
}

#[test]
fn approve_baselines_the_draft_byte_for_byte_with_a_tag() {
    let design = Design::with_artefacts();
    design.decision("DAG-DEC57", "2023-07-12", "approved", &["DOC"]);
    let before = design.commit_count();
    let out = design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DAG-DEC57",
        "--date",
        "2023-07-12",
    ]);
    assert!(out.contains("Baselined DOC 1.0"), "{out}");
    assert_eq!(design.commit_count(), before + 1);

    let draft = design.read("artefacts/DOC/versions/0.1.toml");
    let baseline = design.read("artefacts/DOC/versions/1.0.toml");
    let field = |text: &str, key: &str| {
        text.lines()
            .find(|l| l.starts_with(key))
            .unwrap()
            .to_string()
    };
    assert_eq!(field(&draft, "sha256"), field(&baseline, "sha256"));
    assert_eq!(field(&draft, "blob"), field(&baseline, "blob"));
    assert!(baseline.contains("status = \"baselined\"\n"));
    assert!(baseline.contains("promotes = \"0.1\"\n"));
    assert!(baseline.contains("decisions = [\"DAG-DEC57\"]\n"));

    assert_eq!(design.git(&["cat-file", "-t", "DOC/v1.0"]).trim(), "tag");
    assert_eq!(
        design.git(&["rev-parse", "DOC/v1.0^{commit}"]),
        design.git(&["rev-parse", "HEAD"])
    );
    let tag = design.git(&["tag", "-l", "--format=%(contents)", "DOC/v1.0"]);
    assert!(tag.contains("Decisions: DAG-DEC57"), "{tag}");
    assert!(tag.contains(&field(&baseline, "sha256")[10..74]), "{tag}");
    assert_eq!(
        design.git(&["log", "-1", "--format=%s"]).trim(),
        "Baseline DOC v1.0 (DAG-DEC57)"
    );
    design.assert_fsck_clean();
}

#[test]
fn a_later_baseline_under_change_control_takes_the_next_major() {
    let design = Design::with_artefacts();
    design.decision("DEC1", "2023-07-01", "approved", &[]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-01",
    ]);
    design.ok(&[
        "change",
        "add",
        "CR001",
        "--title",
        "Rework scope",
        "--affects",
        "DOC",
        "--date",
        "2023-07-02",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR001",
        "impact-assessment",
        "--date",
        "2023-07-03",
    ]);
    design.decision("DEC2", "2023-07-10", "approved", &["DOC"]);
    design.ok(&[
        "change",
        "set",
        "CR001",
        "approved",
        "--decision",
        "DEC2",
        "--date",
        "2023-07-10",
    ]);
    design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nReworked.\n");
    let drafted = design.ok(&["draft", "DOC", "--change", "CR001", "--date", "2023-07-11"]);
    assert!(drafted.contains("DOC 1.1"), "{drafted}");
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC2",
        "--change",
        "CR001",
        "--date",
        "2023-07-12",
    ]);
    let record = design.read("artefacts/DOC/versions/2.0.toml");
    assert!(
        record.contains("promotes = \"1.1\"") && record.contains("changes = [\"CR001\"]"),
        "{record}"
    );
    assert_eq!(design.git(&["tag", "-l"]), "DOC/v1.0\nDOC/v2.0\n");
}

#[test]
fn approve_can_promote_an_older_draft_and_set_the_number() {
    let design = Design::with_artefacts();
    design.write("artefacts/DOC/doc.md", "newer\n");
    design.ok(&["draft", "DOC", "--date", "2023-06-02"]);
    design.decision("DEC1", "2023-07-01", "approved", &[]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--draft",
        "0.1",
        "--version",
        "3.0",
        "--date",
        "2023-07-01",
    ]);
    assert_eq!(
        design.ok(&["cat", "DOC@3.0"]),
        design.ok(&["cat", "DOC@0.1"])
    );
    assert_eq!(
        design.ok(&["cat", "DOC@baseline"]),
        "# 1 Scope\n\nThe first text.\n"
    );
    assert_eq!(
        design.ok(&["cat", "DOC@latest"]),
        "# 1 Scope\n\nThe first text.\n"
    );
    assert_eq!(design.ok(&["cat", "DOC@working"]), "newer\n");
}

#[test]
fn references_resolve_every_way() {
    let design = Design::with_artefacts();
    design.write("artefacts/DOC/doc.md", "edited, not recorded\n");
    let shown = design.json(&["show", "DOC@working"]);
    assert_eq!(shown["kind"], "working");
    assert_eq!(shown["working"]["latest"], "0.1");
    assert!(shown["working"]["same_as"].is_null());
    let latest = design.json(&["show", "DOC@latest"]);
    assert_eq!(latest["kind"], "version");
    assert_eq!(latest["version"]["version"], "0.1");
    let artefact = design.json(&["show", "DOC"]);
    assert_eq!(artefact["kind"], "artefact");
    assert_eq!(artefact["versions"].as_array().unwrap().len(), 1);
    let err = design.refused(&["show", "DOC@baseline"]);
    assert!(err.contains("DOC has no baseline yet"), "{err}");
    let bad = design.run(&["show", "DOC@newest"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// The terminal columns `text` takes, for the characters the test below uses:
/// CJK ideographs and the emoji take two, a combining accent none.
fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| match c {
            '\u{0300}'..='\u{036F}' => 0,
            '\u{4E00}'..='\u{9FFF}' | '\u{1F300}'..='\u{1FAFF}' => 2,
            _ => 1,
        })
        .sum()
}

#[test]
fn register_columns_line_up_whatever_the_script_of_a_title() {
    let design = Design::new();
    for (id, title) in [
        ("CAT", "設計書 Interface Catalogue"),
        ("DRAW", "📐 Drawings"),
        ("MENU", "Cafe\u{301} menu"),
        ("PLAIN", "Plain title"),
    ] {
        let file = format!("in/{id}.md");
        design.write(&file, &format!("# {title}\n"));
        design.ok(&["add", id, "--title", title, &file]);
    }
    let listed = design.ok(&["list"]);
    let lines: Vec<&str> = listed
        .lines()
        .skip_while(|l| !l.starts_with("ARTEFACT"))
        .take(5)
        .collect();
    assert_eq!(lines.len(), 5, "{listed}");
    // Where each cell starts, in terminal columns (cells are set apart by at
    // least two spaces; the titles hold single spaces only).
    let starts = |line: &str| -> Vec<usize> {
        let mut starts = Vec::new();
        let mut rest = line;
        while !rest.is_empty() {
            starts.push(columns(&line[..line.len() - rest.len()]));
            let end = rest.find("  ").unwrap_or(rest.len());
            rest = rest[end..].trim_start_matches(' ');
        }
        starts
    };
    // ARTEFACT is 8 wide, then 2 spaces; the widest title, 設計書 Interface
    // Catalogue, takes 3 × 2 + 20 = 26 columns, then 2 spaces: BASELINE at 38.
    for line in &lines {
        assert_eq!(starts(line)[..3], [0, 10, 38], "{line:?} in\n{listed}");
        assert_eq!(starts(line), starts(lines[0]), "{line:?} in\n{listed}");
    }
}

#[test]
fn register_log_and_status_report_the_state() {
    let design = Design::with_artefacts();
    design.decision("DEC1", "2023-07-01", "approved", &[]);
    design.ok(&[
        "approve",
        "TAB",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-01",
    ]);
    design.ok(&[
        "change",
        "add",
        "CR9",
        "--title",
        "T",
        "--affects",
        "TAB",
        "--date",
        "2023-07-02",
    ]);

    let register = design.json(&["list"]);
    let rows = register.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], "DOC");
    assert!(rows[0]["baseline"].is_null());
    assert_eq!(rows[0]["pending_draft"]["version"], "0.1");
    assert_eq!(rows[1]["baseline"]["version"], "1.0");
    assert_eq!(rows[1]["baseline"]["decisions"][0], "DEC1");
    assert_eq!(rows[1]["open_changes"][0], "CR9");
    let table = design.ok(&["list"]);
    assert!(
        table.contains("Test Programme design register — 2 artefacts"),
        "{table}"
    );
    assert!(
        table.lines().any(|l| l.starts_with("TAB")
            && l.contains("1.0")
            && l.contains("DEC1")
            && l.contains("CR9")),
        "{table}"
    );

    let log = design.json(&["log", "TAB"]);
    assert_eq!(log[0]["version"], "1.0");
    assert_eq!(log[1]["version"], "0.1");

    design.write("artefacts/TAB/tab.csv", "D-Flow,Name\nD0300,Dispute\n");
    let status = design.json(&["status"]);
    let states: Vec<(String, String)> = status["artefacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["working"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        states,
        vec![
            ("DOC".into(), "unchanged".into()),
            ("TAB".into(), "modified".into())
        ]
    );
    let human = design.ok(&["status"]);
    assert!(human.contains("baseline draft TAB"), "{human}");
}

#[test]
fn output_has_no_colour_when_piped_or_under_no_color() {
    let design = Design::with_artefacts();
    let out = design
        .cmd()
        .args(["list"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    // A failed command prints nothing, with no colour either: each run must list.
    let listed = |out: &std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(text.contains("A document"), "{text}");
        text
    };
    assert!(!listed(&out).contains('\u{1b}'));
    let forced = design
        .cmd()
        .args(["list"])
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(listed(&forced).contains('\u{1b}'), "colour can be forced");
    let no_color = design
        .cmd()
        .args(["list"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!listed(&no_color).contains('\u{1b}'), "NO_COLOR wins");
}

fn sha256(bytes: &[u8]) -> String {
    let output = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(bytes)?;
            child.wait_with_output()
        })
        .unwrap();
    String::from_utf8(output.stdout).unwrap()[..64].to_string()
}

#[test]
fn the_git_index_matches_head_after_every_write_whatever_its_format() {
    for (version, skip_hash) in [
        ("2", "false"),
        ("3", "false"),
        ("4", "false"),
        ("2", "true"),
    ] {
        let design = Design::with_artefacts();
        design.git(&["config", "index.skipHash", skip_hash]);
        design.git(&["update-index", "--index-version", version]);
        design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nSecond.\n");
        design.ok(&["draft", "DOC", "--date", "2023-06-02"]);
        design.decision("DEC1", "2023-07-01", "approved", &[]);
        design.ok(&[
            "approve",
            "DOC",
            "--decision",
            "DEC1",
            "--date",
            "2023-07-01",
        ]);
        assert_eq!(
            design.git(&["diff-index", "--cached", "HEAD"]),
            "",
            "index version {version}"
        );
        assert_eq!(
            design.git(&["status", "--porcelain"]),
            "?? in/\n",
            "index version {version}"
        );
        let staged = design.git(&["ls-files", "-s", "artefacts/DOC"]);
        let committed = design.git(&["ls-tree", "-r", "HEAD", "artefacts/DOC"]);
        assert_eq!(
            staged.lines().count(),
            committed.lines().count(),
            "{staged}\n{committed}"
        );
        let index = std::fs::read(design.file(".git/index")).unwrap();
        let trailer_is_zero = index[index.len() - 20..].iter().all(|&b| b == 0);
        assert_eq!(
            trailer_is_zero,
            skip_hash == "true" && version != "4",
            "index version {version}"
        );
    }
}

#[test]
fn the_git_index_keeps_what_git_put_there() {
    let design = Design::with_artefacts();
    design.write("notes/a.txt", "staged by the user\n");
    design.git(&["add", "notes/a.txt"]);
    design.git(&["commit", "-qm", "User work with a cache tree"]);
    design.write("notes/b.txt", "staged, not committed\n");
    design.git(&["add", "notes/b.txt"]);
    design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nSecond.\n");
    design.ok(&["draft", "DOC", "--date", "2023-06-02"]);
    assert_eq!(
        design.git(&["status", "--porcelain"]),
        "A  notes/b.txt\n?? in/\n"
    );
    design.git(&["commit", "-qm", "The user's commit still works"]);
    design.assert_fsck_clean();
}

#[test]
fn the_register_cache_follows_every_change_and_survives_damage() {
    let design = Design::with_artefacts();
    assert_eq!(design.json(&["list"])[0]["pending_draft"]["version"], "0.1");
    design.write("artefacts/DOC/doc.md", "changed\n");
    design.ok(&["draft", "DOC", "--date", "2023-06-02"]);
    assert_eq!(design.json(&["list"])[0]["pending_draft"]["version"], "0.2");
    std::fs::write(design.file(".git/baseline/register.json"), "{ not json").unwrap();
    assert_eq!(design.json(&["list"])[0]["pending_draft"]["version"], "0.2");
    design.git(&["reset", "-q", "--hard", "HEAD~1"]);
    assert_eq!(
        design.json(&["list"])[0]["pending_draft"]["version"],
        "0.1",
        "history moved back"
    );
}

#[test]
fn version_numbers_are_written_one_way() {
    let design = Design::with_artefacts();
    design.write("artefacts/DOC/doc.md", "changed\n");
    design.ok(&["draft", "DOC", "--version", "0.5.0", "--date", "2023-06-02"]);
    assert!(design.file("artefacts/DOC/versions/0.5.toml").exists());
    assert!(!design.file("artefacts/DOC/versions/0.5.0.toml").exists());
    let record = design.read("artefacts/DOC/versions/0.5.toml");
    assert!(record.contains("version = \"0.5\"\n"), "{record}");
    assert_eq!(design.json(&["log", "DOC"])[0]["version"], "0.5");
}

#[test]
fn a_note_cannot_pose_as_a_trailer() {
    let design = Design::with_artefacts();
    design.write("artefacts/DOC/doc.md", "changed\n");
    design.ok(&[
        "draft",
        "DOC",
        "-m",
        "Baseline-Version: 0.1\nBaseline-Artefact: DOC",
        "--date",
        "2023-06-02",
    ]);
    let first = design.json(&["trace", "DOC@0.1"]);
    let recorded = design.git(&["rev-list", "-1", "--grep=^Draft DOC v0.1$", "HEAD"]);
    assert_eq!(first["commit"], recorded.trim());
    let noted = design.json(&["trace", "DOC@0.2"]);
    assert_eq!(noted["commit"], design.git(&["rev-parse", "HEAD"]).trim());
    assert_ne!(noted["commit"], first["commit"]);
    assert_eq!(design.json(&["log", "DOC"])[0]["version"], "0.2");
}

#[test]
fn a_closed_pipe_is_not_an_error_and_a_stray_folder_is_named() {
    let design = Design::with_artefacts();
    let bin = assert_cmd::cargo::cargo_bin("baseline");
    let out = std::process::Command::new("bash")
        .args(["-c", &format!("set -o pipefail; for i in $(seq 200); do echo; done > /dev/null; {} log DOC --format json | head -c 1", bin.display())])
        .current_dir(design.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("error"));
    design.write("artefacts/STRAY/readme.txt", "not an artefact\n");
    design.git(&["add", "artefacts/STRAY"]);
    design.git(&["commit", "-qm", "A stray folder"]);
    let out = design.cmd().args(["list"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("artefacts/STRAY holds no artefact.toml")
    );
}

#[test]
fn the_register_exports_as_csv_markdown_and_html() {
    let design = Design::with_artefacts();
    design.decision("DEC1", "2023-07-01", "approved", &[]);
    design.ok(&[
        "approve",
        "TAB",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-01",
    ]);
    let csv = design.ok(&["register", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header[..5],
        ["Artefact", "Title", "Kind", "Owner", "Baseline"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (&rows[1][0], &rows[1][4], &rows[1][5], &rows[1][6]),
        ("TAB", "1.0", "2023-07-01", "DEC1")
    );
    assert_eq!(&rows[0][9], "0.1", "DOC's pending draft");
    // Every export says what each baseline's content hashes to, and when and
    // from which commit it was made.
    let head = design.git(&["rev-parse", "HEAD"]).trim().to_string();
    let tab = design.run(&["cat", "TAB@1.0"]).stdout;
    assert_eq!(&rows[1][8], baseline::model::sha256_hex(&tab));
    assert_eq!(&header[11..], ["Made at", "From commit", "Signed by"]);
    assert_eq!(&rows[1][12], head);
    assert!(
        rows[1][11].ends_with('Z') && rows[1][11].contains('T'),
        "{rows:?}"
    );
    let json = design.json(&["list"]);
    assert_eq!(json[1]["commit"], head.as_str());
    assert_eq!(json[1]["made_at"], &rows[1][11]);
    let md = design.ok(&["list", "--format", "md"]);
    assert!(md.contains(&format!("from commit {head}.")), "{md}");
    assert!(
        md.contains("| TAB | A table | table |  | 1.0 | 2023-07-01 | DEC1 |"),
        "{md}"
    );
    design.ok(&["list", "--format", "html", "-o", "register.html"]);
    let html = design.read("register.html");
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<th scope=\"row\">TAB</th>"),
        "{html}"
    );
    assert!(html.contains(&format!("from commit {head}.")), "{html}");
}

/// A working file made executable is recorded as a plain file, and git's index
/// keeps what was committed: the user's next commit takes no mode change from
/// baseline's draft.
#[cfg(unix)]
#[test]
fn a_draft_stages_no_mode_the_commit_does_not_hold() {
    use std::os::unix::fs::PermissionsExt;
    let design = Design::with_artefacts();
    design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nSecond.\n");
    let path = design.file("artefacts/DOC/doc.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    design.ok(&["draft", "DOC", "--date", "2023-06-02"]);
    assert_eq!(
        design.git(&["diff-index", "--cached", "HEAD"]),
        "",
        "nothing staged beyond the commit"
    );
    let committed = design.git(&["ls-tree", "HEAD", "artefacts/DOC/doc.md"]);
    assert!(committed.starts_with("100644 blob "), "{committed}");
    let staged = design.git(&["ls-files", "-s", "artefacts/DOC/doc.md"]);
    assert!(staged.starts_with("100644 "), "{staged}");
}
