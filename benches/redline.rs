//! Redline benchmark: whole-process time of `baseline redline` against
//! `git diff --no-index --word-diff=porcelain` on the same two files, in the same
//! run, interleaved (41 runs each, median) — for two 5 MB / 100,000-line texts
//! with 1 % of lines edited word-wise, and
//! two 20,000-row CSV tables with 1 % of cells changed.
//!
//! Then a redline of two 50 MB texts, once, with its peak memory (the limit is 1 GB).
//!
//! Run: `cargo bench --bench redline`. Environment:
//! - `BASELINE_BIN=PATH` times another binary;
//! - `BENCH_KEEP=DIR` keeps the design repository (artefacts TEXT and TABLE) in DIR;
//! - `BENCH_SKIP_HUGE=1` skips the 50 MB redline.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::run;

const RUNS: usize = 41;
const LINES: usize = 100_000;
const ROWS: usize = 20_000;

fn main() {
    let bin = std::env::var_os("BASELINE_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_baseline")),
        PathBuf::from,
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let repo =
        std::env::var_os("BENCH_KEEP").map_or_else(|| dir.path().join("design"), PathBuf::from);
    std::fs::create_dir_all(&repo).expect("create the repository folder");
    run(&bin, &repo, &["init", "--programme", "Bench"]);

    let (old_text, new_text) = texts();
    let (old_table, new_table) = tables();
    println!(
        "inputs: text {:.1} MB / {} lines (1 % of lines edited); table {} rows × 6 columns (1 % of cells changed)",
        old_text.len() as f64 / 1e6,
        LINES,
        ROWS
    );
    let mut results = Vec::new();
    for (id, file, old, new, key) in [
        ("TEXT", "text.md", &old_text, &new_text, None),
        ("TABLE", "table.csv", &old_table, &new_table, Some("Key")),
    ] {
        let (a, b) = (
            dir.path().join(format!("old-{file}")),
            dir.path().join(format!("new-{file}")),
        );
        std::fs::write(&a, old).expect("write FROM");
        std::fs::write(&b, new).expect("write TO");
        let mut add = vec!["add", id, "--title", "Benchmark input"];
        if let Some(key) = key {
            add.extend(["--key", key]);
        }
        let a_text = a.to_str().expect("utf-8 path");
        let renamed = repo.join(file);
        std::fs::copy(a_text, &renamed).expect("copy FROM");
        add.push(file);
        run(&bin, &repo, &add);
        run(&bin, &repo, &["draft", id, "--date", "2024-01-01"]);
        run(
            &bin,
            &repo,
            &[
                "draft",
                id,
                b.to_str().expect("utf-8 path"),
                "--date",
                "2024-01-02",
            ],
        );

        let [git, json, html] = interleaved_medians([
            &mut || {
                Command::new("git")
                    .args(["diff", "--no-index", "--word-diff=porcelain"])
                    .arg(&a)
                    .arg(&b)
                    .stdout(Stdio::null())
                    .status()
                    .expect("git diff");
            },
            &mut || {
                run_quiet(
                    &bin,
                    &repo,
                    &["redline", id, "0.1", "0.2", "--format", "json"],
                )
            },
            &mut || {
                run_quiet(
                    &bin,
                    &repo,
                    &["redline", id, "0.1", "0.2", "--format", "html"],
                )
            },
        ]);
        results.push((id, git, json, html));
    }
    println!();
    println!(
        "| input | git diff --word-diff=porcelain ms | redline json ms | json / git | redline html ms | html / git |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (id, git, json, html) in results {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {} | {:.1} | {:.1} | {:.2} (target ≤ 0.60) | {:.1} | {:.2} (target ≤ 1.00) |",
            if id == "TEXT" {
                "5 MB text"
            } else {
                "20,000-row CSV"
            },
            ms(git),
            ms(json),
            ms(json) / ms(git),
            ms(html),
            ms(html) / ms(git)
        );
    }
    if std::env::var_os("BENCH_SKIP_HUGE").is_none() {
        huge(&bin, &repo, dir.path());
    }
}

/// Drafts two 50 MB texts and redlines them once as JSON and once as HTML,
/// reporting wall time and peak resident memory (from `/usr/bin/time`).
fn huge(bin: &Path, repo: &Path, dir: &Path) {
    let (old, new) = texts_of(1_000_000);
    let (a, b) = (dir.join("huge-old.md"), dir.join("huge-new.md"));
    std::fs::write(&a, &old).expect("write FROM");
    std::fs::write(&b, &new).expect("write TO");
    std::fs::copy(&a, repo.join("huge.md")).expect("copy FROM");
    run(
        bin,
        repo,
        &["add", "HUGE", "--title", "Huge input", "huge.md"],
    );
    run(bin, repo, &["draft", "HUGE", "--date", "2024-01-01"]);
    run(
        bin,
        repo,
        &[
            "draft",
            "HUGE",
            b.to_str().expect("utf-8 path"),
            "--date",
            "2024-01-02",
        ],
    );
    println!();
    println!("| 50 MB redline | wall s | peak memory MB | limit |");
    println!("|---|---:|---:|---|");
    for format in ["json", "html"] {
        let output = Command::new("/usr/bin/time")
            .args(["-f", "%e %M"])
            .arg(bin)
            .args([
                "redline",
                "HUGE",
                "0.1",
                "0.2",
                "--format",
                format,
                "-o",
                "/dev/null",
            ])
            .current_dir(repo)
            .output()
            .expect("run /usr/bin/time");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut last = stderr.lines().last().unwrap_or("").split_whitespace();
        let seconds = last.next().unwrap_or("?");
        let kb: f64 = last.next().and_then(|k| k.parse().ok()).unwrap_or(f64::NAN);
        println!(
            "| {format} ({:.0} MB each side) | {seconds} | {:.0} | {} |",
            old.len() as f64 / 1e6,
            kb / 1024.0,
            if kb / 1024.0 < 1024.0 {
                "PASS (< 1 GB)"
            } else {
                "FAIL (≥ 1 GB)"
            }
        );
    }
}

fn run_quiet(bin: &Path, repo: &Path, args: &[&str]) {
    let status = Command::new(bin)
        .args(args)
        .current_dir(repo)
        .stdout(Stdio::null())
        .status()
        .expect("run baseline");
    assert!(status.success(), "baseline {args:?} failed");
}

/// The median time of each command, run in turn (one of each, then again) so
/// that a slow spell of a shared machine weighs on all of them alike.
fn interleaved_medians<const N: usize>(mut commands: [&mut dyn FnMut(); N]) -> [Duration; N] {
    commands.iter_mut().for_each(|f| f());
    let mut times: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(RUNS));
    for _ in 0..RUNS {
        for (f, times) in commands.iter_mut().zip(times.iter_mut()) {
            let started = Instant::now();
            f();
            times.push(started.elapsed());
        }
    }
    times.map(|mut t| {
        t.sort();
        t[RUNS / 2]
    })
}

/// A cheap, repeatable pseudo-random sequence.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

const WORDS: [&str; 16] = [
    "settlement",
    "flow",
    "meter",
    "the",
    "data",
    "service",
    "registration",
    "of",
    "interface",
    "half",
    "hourly",
    "consumption",
    "party",
    "and",
    "design",
    "message",
];

/// 100,000 lines of ~50 bytes, then the same with one word changed in 1 % of lines.
fn texts() -> (String, String) {
    texts_of(LINES)
}

fn texts_of(lines: usize) -> (String, String) {
    let mut rng = Lcg(42);
    let mut old = String::new();
    let mut new = String::new();
    for n in 0..lines {
        let words: Vec<&str> = (0..7).map(|_| WORDS[(rng.next() % 16) as usize]).collect();
        let line = format!("{n:07} {}\n", words.join(" "));
        old.push_str(&line);
        if rng.next().is_multiple_of(100) {
            let mut edited = words.clone();
            edited[(rng.next() % 7) as usize] = "amended";
            new.push_str(&format!("{n:07} {}\n", edited.join(" ")));
        } else {
            new.push_str(&line);
        }
    }
    (old, new)
}

/// 20,000 rows keyed by D-flow-like ids, then the same with 1 % of cells changed.
fn tables() -> (String, String) {
    let mut rng = Lcg(7);
    let header = "Key,Name,Interface,Retained,Owner,Commentary\n";
    let (mut old, mut new) = (header.to_string(), header.to_string());
    for n in 0..ROWS {
        let mut cells: Vec<String> = vec![
            format!("D{n:05}"),
            WORDS[(rng.next() % 16) as usize].to_string(),
            ["DTN", "DIP"][(rng.next() % 2) as usize].to_string(),
            ["Yes", "No", "Under review"][(rng.next() % 3) as usize].to_string(),
            "Programme".to_string(),
            format!(
                "\"{} {} {}\"",
                WORDS[(rng.next() % 16) as usize],
                WORDS[(rng.next() % 16) as usize],
                WORDS[(rng.next() % 16) as usize]
            ),
        ];
        old.push_str(&cells.join(","));
        old.push('\n');
        for cell in cells.iter_mut().skip(1) {
            if rng.next().is_multiple_of(100) {
                *cell = "changed".to_string();
            }
        }
        new.push_str(&cells.join(","));
        new.push('\n');
    }
    (old, new)
}
