//! The HTML redline in a real headless browser: nothing from the document runs.
//! Needs Chromium. Without one the test says so and passes, unless
//! `BASELINE_REQUIRE_BROWSER=1` is set (as `.ci/run` does): then it fails.

use std::path::Path;

#[test]
fn hostile_documents_render_as_text_in_chromium() {
    let chromium = ["chromium", "chromium-browser"].iter().find(|name| {
        std::process::Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(chromium) = chromium else {
        assert!(
            std::env::var_os("BASELINE_REQUIRE_BROWSER").is_none_or(|v| v != "1"),
            "BASELINE_REQUIRE_BROWSER=1 but no chromium or chromium-browser runs here \
             (apt-get install chromium)"
        );
        eprintln!(
            "skipped: no chromium on this machine (apt-get install chromium to run it; \
             BASELINE_REQUIRE_BROWSER=1 makes this a failure)"
        );
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-html-in-browser.sh");
    let run = std::process::Command::new("bash")
        .arg(&script)
        .arg(out.path())
        .env("BASELINE_BIN", assert_cmd::cargo::cargo_bin("baseline"))
        .env("CHROMIUM", chromium)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(printed.contains("all browser checks passed"), "{printed}");
}
