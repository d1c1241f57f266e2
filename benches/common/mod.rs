//! What the benchmarks share: running baseline in a design repository.

use std::path::Path;
use std::process::Command;

/// Runs `bin` (a release baseline) with `args` in `repo`; it must succeed.
pub fn run(bin: &Path, repo: &Path, args: &[&str]) {
    let output = Command::new(bin)
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.invalid")
        .output()
        .expect("run baseline");
    assert!(
        output.status.success(),
        "baseline {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
