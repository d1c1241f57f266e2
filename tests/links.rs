//! Symbolic links and special files in the design repository: what is
//! committed or planted there by plain git never makes baseline read or write
//! outside the repository, nor wait on a FIFO forever.

#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;

use common::Design;

/// DOC registered and drafted (0.1), and a secret file outside the repository.
fn design_and_secret() -> (Design, tempfile::TempDir) {
    let design = Design::new();
    design.write("in/doc.md", "# Scope\n\nThe first text.\n");
    design.ok(&["add", "DOC", "--title", "A document", "in/doc.md"]);
    design.ok(&["draft", "DOC"]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "# Secret\n\nNot the programme's.\n",
    )
    .unwrap();
    (design, outside)
}

#[test]
fn a_working_file_that_is_a_link_is_neither_read_nor_recorded() {
    let (design, outside) = design_and_secret();
    let working = design.file("artefacts/DOC/doc.md");
    std::fs::remove_file(&working).unwrap();
    symlink(outside.path().join("secret.md"), &working).unwrap();
    design.git(&["add", "-A"]);
    design.git(&["commit", "-q", "-m", "working file made a link"]);

    let stderr = design.refused(&["draft", "DOC"]);
    assert!(
        stderr.starts_with("error: artefacts/DOC/doc.md in the design repository is a symbolic link: baseline reads and writes only the repository's own files\nhint: replace artefacts/DOC/doc.md with the document itself"),
        "{stderr}"
    );
    for args in [
        &["cat", "DOC@working"][..],
        &["redline", "DOC", "0.1", "working"],
        &["redline", "DOC"],
    ] {
        let output = design.run(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("is a symbolic link"), "{args:?}: {stderr}");
        assert!(!String::from_utf8_lossy(&output.stdout).contains("Secret"));
    }
    // The register does not take the link's target for the working content.
    assert!(!design.ok(&["status"]).contains("Secret"));
}

#[test]
fn a_record_folder_that_is_a_link_is_not_written_through() {
    let (design, outside) = design_and_secret();
    let versions = design.file("artefacts/DOC/versions");
    std::fs::rename(&versions, outside.path().join("versions")).unwrap();
    symlink(outside.path().join("versions"), &versions).unwrap();
    design.write("in/next.md", "# Scope\n\nThe second text.\n");
    let stderr = design.refused(&["draft", "DOC", "in/next.md"]);
    assert!(
        stderr.contains("artefacts/DOC/versions in the design repository is a symbolic link"),
        "{stderr}"
    );
    assert!(!outside.path().join("versions/0.2.toml").exists());
}

#[test]
fn a_planted_temporary_link_is_not_written_through() {
    let (design, outside) = design_and_secret();
    let secret = outside.path().join("secret.md");
    symlink(&secret, design.file("artefacts/DOC/.doc.md.baseline-tmp")).unwrap();
    design.write("in/next.md", "# Scope\n\nThe second text.\n");
    design.ok(&["draft", "DOC", "in/next.md"]);
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "# Secret\n\nNot the programme's.\n"
    );
    assert_eq!(
        design.read("artefacts/DOC/doc.md"),
        "# Scope\n\nThe second text.\n"
    );
}

#[test]
fn a_working_file_that_is_a_fifo_is_refused_not_waited_on() {
    let (design, _outside) = design_and_secret();
    let working = design.file("artefacts/DOC/doc.md");
    std::fs::remove_file(&working).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&working)
        .status()
        .unwrap();
    assert!(made.success());
    let stderr = design.refused(&["draft", "DOC"]);
    assert!(stderr.contains("artefacts/DOC/doc.md in the design repository is a special file (a FIFO, socket or device)"), "{stderr}");
}

#[test]
fn an_artefact_record_pointing_its_file_outside_is_refused() {
    let (design, _outside) = design_and_secret();
    let record = design.read("artefacts/DOC/artefact.toml");
    design.write(
        "artefacts/DOC/artefact.toml",
        &record.replace("file = \"doc.md\"", "file = \"../../../secret.md\""),
    );
    design.git(&["commit", "-qam", "point the working file elsewhere"]);
    for args in [&["draft", "DOC"][..], &["cat", "DOC@working"]] {
        let output = design.run(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("artefacts/DOC/artefact.toml is not a record baseline wrote: it names artefact \"DOC\" and file \"../../../secret.md\""),
            "{args:?}: {stderr}"
        );
    }
}
