//! Verify at scale (issue 16): whole-process time and peak memory of
//! `baseline verify --no-cache` on generated design repositories, against
//! `git rev-list --objects --all` (git reading the same history) in the same
//! run, interleaved; and `baseline verify` after one new baseline on a
//! repository an earlier verify found clean (from its cache).
//!
//! Each artefact is registered, drafted nine times, decided and baselined:
//! twelve commits and ten versions. Run: `cargo bench --bench verify`.
//! Environment:
//! - `BENCH_SIZES=1000,2000,4000` the artefact counts (10000 takes about six
//!   minutes to generate and half a minute a run);
//! - `BENCH_RUNS=3` runs of each timed command (median);
//! - `BENCH_KEEP=DIR` keeps each repository in `DIR/<size>`;
//! - `BASELINE_BIN=PATH` times another binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
#[allow(dead_code)] // shared with the scale benchmark, which uses all of it
#[path = "common/generate.rs"]
mod generate;

const CACHE: &str = ".git/baseline/verify-cache.json";

fn main() {
    let bin = std::env::var_os("BASELINE_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_baseline")),
        PathBuf::from,
    );
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "1000,2000,4000".into())
        .split(',')
        .map(|n| {
            n.trim()
                .parse()
                .expect("BENCH_SIZES: artefact counts, e.g. 1000,2000")
        })
        .collect();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let temporary = tempfile::tempdir().expect("a temporary directory");
    let base =
        std::env::var_os("BENCH_KEEP").map_or_else(|| temporary.path().into(), PathBuf::from);

    println!(
        "| artefacts | commits | git rev-list --objects --all | verify --no-cache | ratio (≤ 1.5) | peak MB: rev-list / verify | verify after one new baseline (≤ 1,000 ms) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for size in sizes {
        let repo = base.join(size.to_string());
        let started = Instant::now();
        generate::generate(&repo, size, 0);
        let generated = started.elapsed();
        let commits = generate::git_output(&repo, &["rev-list", "--count", "HEAD"]);
        eprintln!(
            "generated {size} artefacts, {} commits, in {:.0} s",
            commits.trim(),
            generated.as_secs_f64()
        );

        let rev_list = || command("git", &repo, &["rev-list", "--objects", "--all"]);
        let verify_all = || command(&bin, &repo, &["verify", "--no-cache"]);
        let mut times = [Vec::new(), Vec::new()];
        for _ in 0..runs {
            times[0].push(timed(&mut rev_list()));
            times[1].push(timed(&mut verify_all()));
        }
        let (git_ms, verify_ms) = (median_ms(&mut times[0]), median_ms(&mut times[1]));
        let peaks = [peak_mb(&mut rev_list()), peak_mb(&mut verify_all())];

        let since_ms = verify_after_one_baseline(&bin, &repo, runs);
        println!(
            "| {size} | {} | {git_ms:.0} ms | {verify_ms:.0} ms | {:.2} | {} / {} | {since_ms:.0} ms |",
            commits.trim(),
            verify_ms / git_ms,
            peaks[0],
            peaks[1],
        );
    }
}

/// `baseline verify` from the cache of a clean verify, after one new artefact
/// was registered, drafted, decided and baselined (five commits, one tag):
/// each run starts from that same cache.
fn verify_after_one_baseline(bin: &Path, repo: &Path, runs: usize) -> f64 {
    timed(&mut command(bin, repo, &["verify"]));
    let cache = std::fs::read(repo.join(CACHE)).expect("a clean verify leaves its cache");
    std::fs::write(repo.join("new.md"), "# New\n\nA new design note.\n").expect("write new.md");
    let run = |args: &[&str]| common::run(bin, repo, args);
    run(&["add", "NEW", "--title", "A new note", "new.md"]);
    run(&["draft", "NEW", "--date", "2025-06-01"]);
    run(&[
        "decision",
        "add",
        "DEC-NEW",
        "--date",
        "2025-06-01",
        "--outcome",
        "approved",
        "--text",
        "Approved.",
        "--artefact",
        "NEW",
    ]);
    run(&[
        "approve",
        "NEW",
        "--decision",
        "DEC-NEW",
        "--date",
        "2025-06-01",
    ]);
    let mut times = Vec::new();
    for _ in 0..runs {
        std::fs::write(repo.join(CACHE), &cache).expect("restore the cache");
        times.push(timed(&mut command(bin, repo, &["verify"])));
    }
    median_ms(&mut times)
}

fn command(program: impl AsRef<std::ffi::OsStr>, repo: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(repo)
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    command
}

/// Runs a command that must succeed; its wall time.
fn timed(command: &mut Command) -> Duration {
    let started = Instant::now();
    let status = command.status().expect("run the command");
    let elapsed = started.elapsed();
    assert!(status.success(), "{command:?} failed");
    elapsed
}

fn median_ms(times: &mut [Duration]) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

/// Peak resident memory in MB, where `/usr/bin/time` can say (Linux);
/// resident memory counts the pack files the process maps and touches.
fn peak_mb(command: &mut Command) -> String {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return "n/a".into();
    }
    let mut measured = Command::new(time);
    measured
        .args(["-f", "%M"])
        .arg(command.get_program())
        .args(command.get_args())
        .current_dir(command.get_current_dir().expect("a folder"))
        .stdout(Stdio::null());
    let output = measured.output().expect("run /usr/bin/time");
    assert!(output.status.success(), "{command:?} failed");
    let kb: f64 = String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("/usr/bin/time -f %M prints kilobytes");
    format!("{:.0}", kb / 1000.0)
}
