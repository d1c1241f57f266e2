//! The DAG026 scenario runs as the README says, and leaves the repository the
//! headline report describes.

mod common;

use std::path::Path;

fn json(repo: &Path, args: &[&str]) -> serde_json::Value {
    let out = common::baseline_in(repo)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_dag026_meeting_is_recorded_as_the_report_says() {
    let (_dir, repo, printed) = common::example();
    assert!(
        printed.contains("(refused as expected)"),
        "the refusal is shown"
    );

    let register = json(&repo, &["list"]);
    let baselines: Vec<(String, String, String)> = register
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["baseline"].is_null())
        .map(|r| {
            (
                r["id"].as_str().unwrap().into(),
                r["baseline"]["version"].as_str().unwrap().into(),
                r["baseline"]["decisions"][0].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        baselines,
        [
            ("DES196".into(), "1.0".into(), "DAG-DEC57".into()),
            ("DIP-ICC".into(), "1.0".into(), "DAG-DEC56".into()),
            ("DIP-PKI-CP".into(), "1.0".into(), "DAG-DEC56".into()),
            ("DIP-PKI-POL".into(), "1.0".into(), "DAG-DEC56".into()),
        ]
    );
    let oc = register
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "OC")
        .unwrap();
    assert!(oc["baseline"].is_null());
    assert_eq!(oc["pending_draft"]["changes"][0], "CR018");

    let cat = |reference: &str| {
        let out = common::baseline_in(&repo)
            .args(["cat", reference])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let draft = cat("DES196@0.1");
    let baseline = cat("DES196@1.0");
    assert!(draft.lines().any(|l| l.starts_with("D0012,")));
    assert!(!baseline.lines().any(|l| l.starts_with("D0012,")));
    for kept in ["D0300,", "D0379,", "D0275,"] {
        assert!(baseline.lines().any(|l| l.starts_with(kept)), "{kept} kept");
    }
    assert_eq!(
        baseline,
        cat("DES196@0.2"),
        "1.0 promotes 0.2 byte for byte"
    );

    let last_step = |id: &str| {
        let change = json(&repo, &["change", "show", id]);
        let step = change["history"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        (
            step["state"].as_str().unwrap().to_string(),
            step["decision"].as_str().unwrap_or("").to_string(),
        )
    };
    assert_eq!(last_step("CR017"), ("rejected".into(), "DAG-DEC60".into()));
    assert_eq!(last_step("CR018"), ("approved".into(), "DAG-DEC60".into()));
    assert_eq!(last_step("CR025"), ("approved".into(), "DAG-DEC59".into()));
    assert_eq!(
        last_step("CR027"),
        ("impact-assessment".into(), "DAG-DEC58".into())
    );
    assert_eq!(last_step("CR024"), ("impact-assessment".into(), "".into()));

    let decisions: Vec<String> = json(&repo, &["decision", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        decisions,
        [
            "DAG-DEC55",
            "DAG-DEC56",
            "DAG-DEC57",
            "DAG-DEC58",
            "DAG-DEC59",
            "DAG-DEC60"
        ]
    );

    let trace = json(&repo, &["trace", "DES196@1.0"]);
    assert_eq!(trace["tag"]["matches"], true);
    assert_eq!(trace["decisions"][0]["meeting"], "DAG026");

    assert_eq!(
        common::git_in(&repo, &["tag", "-l"]),
        "DES196/v1.0\nDIP-ICC/v1.0\nDIP-PKI-CP/v1.0\nDIP-PKI-POL/v1.0\n"
    );
    assert_eq!(common::git_in(&repo, &["status", "--porcelain"]), "");
    let fsck = std::process::Command::new("git")
        .args(["fsck", "--strict", "--no-dangling"])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert!(fsck.status.success() && fsck.stdout.is_empty() && fsck.stderr.is_empty());
}
