//! Large documents: `add` and `draft` store them as they read them, so their
//! memory does not grow with the document, and what is recorded is the file
//! byte for byte.

mod common;

use common::Design;
use sha2::{Digest, Sha256};

/// A text document of about `megabytes` MB: lines of words, one of them
/// non-ASCII so that characters fall across the pieces the file is read in.
fn large_text(megabytes: usize) -> Vec<u8> {
    let line = "D0012 half-hourly settlement réading of the meter, as the DIP sends it\n";
    line.repeat(megabytes * 1_000_000 / line.len()).into_bytes()
}

fn sha256(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(&Sha256::digest(bytes))
}

/// Runs baseline under `/usr/bin/time` and returns its peak resident memory
/// in kilobytes.
#[cfg(target_os = "linux")]
fn peak_kilobytes(design: &Design, args: &[&str]) -> u64 {
    let report = design.file("peak.txt");
    let time = std::path::Path::new("/usr/bin/time");
    assert!(
        time.exists(),
        "this test measures memory with /usr/bin/time (GNU time): install it (Debian: apt-get install time)"
    );
    let output = std::process::Command::new(time)
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(assert_cmd::cargo::cargo_bin("baseline"))
        .args(args)
        .current_dir(design.path())
        .env("GIT_AUTHOR_NAME", "Test Designer")
        .env("GIT_AUTHOR_EMAIL", "designer@example.org")
        .env("GIT_COMMITTER_NAME", "Test Designer")
        .env("GIT_COMMITTER_EMAIL", "designer@example.org")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "baseline {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let peak = std::fs::read_to_string(&report).unwrap();
    std::fs::remove_file(&report).unwrap();
    peak.trim().parse().unwrap()
}

/// A whole-file read would need at least the document's 40 MB; streamed, the
/// command holds a mebibyte of it at a time. What the command needs whatever
/// the document (the program, libgit2's caches) is measured on an 8 MB one:
/// the 40 MB document may take little more than that, and less than itself.
#[cfg(target_os = "linux")]
#[test]
fn a_large_document_is_added_and_drafted_in_bounded_memory() {
    const GROWTH_KB: u64 = 8_000;
    let small = Design::new();
    std::fs::create_dir_all(small.file("in")).unwrap();
    std::fs::write(small.file("in/small.txt"), large_text(8)).unwrap();
    let floor = peak_kilobytes(
        &small,
        &["add", "SMALL", "--title", "Small", "in/small.txt"],
    );

    let design = Design::new();
    let mut text = large_text(40);
    design.write("in/big.txt", "");
    std::fs::write(design.file("in/big.txt"), &text).unwrap();
    let bounded = |what: &str, peak: u64| {
        assert!(
            peak < floor + GROWTH_KB && peak < 40_000,
            "{what} of 40 MB peaked at {peak} KB, of 8 MB at {floor} KB"
        );
    };

    let added = peak_kilobytes(&design, &["add", "BIG", "--title", "Big", "in/big.txt"]);
    bounded("add", added);
    assert!(std::fs::read(design.file("artefacts/BIG/big.txt")).unwrap() == text);

    text.extend_from_slice("one more réading\n".as_bytes());
    std::fs::write(design.file("artefacts/BIG/big.txt"), &text).unwrap();
    let drafted = peak_kilobytes(&design, &["draft", "BIG"]);
    bounded("draft", drafted);

    let record = design.read("artefacts/BIG/versions/0.1.toml");
    assert!(
        record.contains(&format!("sha256 = \"{}\"", sha256(&text))),
        "{record}"
    );
    assert!(
        record.contains(&format!("size = {}", text.len())),
        "{record}"
    );
    let blob = design.git(&["rev-parse", "HEAD:artefacts/BIG/big.txt"]);
    let stored = std::process::Command::new("git")
        .args(["cat-file", "blob", blob.trim()])
        .current_dir(design.path())
        .output()
        .unwrap()
        .stdout;
    assert!(stored == text, "the blob in git is not the file");
    assert!(
        design
            .cmd()
            .args(["cat", "BIG@0.1"])
            .output()
            .unwrap()
            .stdout
            == text
    );
    // The working file is staged with its stat data, as `git add` leaves it:
    // git need not hash it again.
    let entry = design.git(&["ls-files", "--debug", "artefacts/BIG/big.txt"]);
    assert!(entry.contains(&format!("size: {}", text.len())), "{entry}");
    assert_eq!(
        design.git(&["status", "--porcelain", "--untracked-files=no"]),
        ""
    );
}

#[test]
fn a_large_document_is_refused_where_it_stops_being_text() {
    let design = Design::new();
    let mut text = large_text(3);
    let lines = text.iter().filter(|&&b| b == b'\n').count();
    let at = text.len();
    text.extend_from_slice(b"caf\xe9\n");
    std::fs::write(design.file("big.md"), &text).unwrap();
    let refused = design.refused(&["add", "BIG", "--title", "Big", "big.md"]);
    assert!(
        refused.contains(&format!(
            "big.md is not UTF-8 text (line {}, byte {})",
            lines + 1,
            at + 3
        )),
        "{refused}"
    );
}

#[test]
fn a_large_table_is_checked_for_its_key_from_its_header_row() {
    let design = Design::new();
    let mut table = b"Key,Name\n".to_vec();
    for row in 0..200_000 {
        table.extend_from_slice(format!("K{row:08},R").as_bytes());
        table.extend_from_slice(b"\xe9ading\n");
    }
    // Windows-1252, as Excel saves "CSV": é is one byte, not UTF-8.
    std::fs::write(design.file("big.csv"), &table).unwrap();
    let refused = design.refused(&["add", "BIG", "--title", "Big", "--key", "Id", "big.csv"]);
    assert!(
        refused.contains("the table has no key column \"Id\" (its columns are Key, Name)"),
        "{refused}"
    );
    design.ok(&["add", "BIG", "--title", "Big", "--key", "Key", "big.csv"]);
    design.ok(&["draft", "BIG"]);
    assert!(
        design
            .cmd()
            .args(["cat", "BIG@0.1"])
            .output()
            .unwrap()
            .stdout
            == table
    );
}
