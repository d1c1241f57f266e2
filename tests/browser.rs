//! The HTML redline in a real headless browser: nothing from the document runs.
//! Needs Chromium (`.ci/run` installs it); without one the test says so and passes.

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
        eprintln!("skipped: no chromium on this machine (apt-get install chromium to run it)");
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
