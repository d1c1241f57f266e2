//! Scale benchmark: whole-process timings of the release `baseline` binary on two
//! generated design repositories ("small" and "large"), to check that the everyday
//! commands stay fast as a programme's history grows.
//!
//! The repositories are written with `git fast-import` (the CLI would take hours for
//! 24,000 commits) but hold exactly what the tool writes: the same records, paths,
//! commit messages with trailers, and annotated tags.
//!
//! Run: `cargo bench --bench scale`. Environment:
//! - `BENCH_SCALE=small` generates and times only the small repository;
//! - `BENCH_KEEP=DIR` keeps the repositories in DIR/small and DIR/large;
//! - `BASELINE_BIN=PATH` times another binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/generate.rs"]
mod generate;
use baseline::model::paths;
use generate::*;

const WARMUP: usize = 2;
const RUNS: usize = 15;
/// The artefact (and its decision) that trace, status and draft are timed on.
const TRACED: usize = 100;
/// The business date of timed drafts and baselines: after every generated date,
/// and not in the future.
const RUN_DATE: &str = "2025-06-01";

/// What a command must meet on the large repository: a median time, and for the
/// writes, which must not slow as the design grows, a bound on large/small.
#[derive(Clone, Copy)]
struct Target {
    ms: f64,
    bounded_ratio: bool,
}

const TRACE_MS: Option<Target> = Some(Target {
    ms: 50.0,
    bounded_ratio: false,
});
const REGISTER_MS: Option<Target> = Some(Target {
    ms: 300.0,
    bounded_ratio: false,
});
const WRITE_MS: Option<Target> = Some(Target {
    ms: 300.0,
    bounded_ratio: true,
});
const VERIFY_MS: Option<Target> = Some(Target {
    ms: 10_000.0,
    bounded_ratio: false,
});
const RANGE_MS: Option<Target> = Some(Target {
    ms: 200.0,
    bounded_ratio: false,
});
/// The reference points only show what any process costs.
const REFERENCE: Option<Target> = None;
/// How much slower a write may be on the large repository than on the small one.
const MAX_RATIO: f64 = 1.20;

fn main() {
    let bin = binary();
    let scales: &[(&str, usize)] = match std::env::var("BENCH_SCALE").as_deref() {
        Ok("small") => &[("small", 200)],
        _ => &[("small", 200), ("large", 2_000)],
    };
    let temp = tempfile::tempdir().expect("create a temporary directory");
    let base =
        std::env::var_os("BENCH_KEEP").map_or_else(|| temp.path().to_path_buf(), PathBuf::from);
    let mut results = Vec::new();
    for &(name, artefacts) in scales {
        let repo = base.join(name);
        let started = Instant::now();
        // Approve needs a fresh draft and a new approved change per run; each run
        // takes the next artefact from FIRST_APPROVED.
        generate(&repo, artefacts, WARMUP + RUNS);
        let generated = started.elapsed();
        println!(
            "generated {name}: {artefacts} artefacts, {} commits, {:.1} s, in {}",
            git_output(&repo, &["rev-list", "--count", "HEAD"]).trim(),
            generated.as_secs_f64(),
            repo.display()
        );
        results.push((name, measure(&bin, &repo)));
    }
    print_table(&results);
}

// ---------------------------------------------------------------------------
// Locating the binary

/// The release binary `cargo bench` builds next to this benchmark, unless
/// BASELINE_BIN names another.
fn binary() -> PathBuf {
    let bin = std::env::var_os("BASELINE_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_baseline")),
        PathBuf::from,
    );
    if !bin.is_file() {
        eprintln!(
            "error: {} does not exist\nhint: build it with `cargo build --release`, or name one with BASELINE_BIN",
            bin.display()
        );
        std::process::exit(2);
    }
    bin
}

// ---------------------------------------------------------------------------
// Timing

/// Wall times of the timed runs (warm-ups excluded), and of the very first run.
struct Stats {
    first: Duration,
    sorted: Vec<Duration>,
}

impl Stats {
    fn median_ms(&self) -> f64 {
        ms(self.sorted[self.sorted.len() / 2])
    }

    /// Nearest-rank 90th percentile.
    fn p90_ms(&self) -> f64 {
        let rank = (self.sorted.len() * 9).div_ceil(10);
        ms(self.sorted[rank.max(1) - 1])
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Measured {
    label: String,
    target_ms: Option<Target>,
    stats: Stats,
}

/// Runs `prepare(i)` untimed, then times the command `command(i)` makes, for the
/// warm-up and timed runs; any failure stops the benchmark.
fn time_runs(mut prepare: impl FnMut(usize), command: impl Fn(usize) -> Command) -> Stats {
    let mut times = Vec::new();
    for i in 0..WARMUP + RUNS {
        prepare(i);
        let mut command = command(i);
        command.stdin(Stdio::null());
        let started = Instant::now();
        let output = command.output().expect("run the command");
        times.push(started.elapsed());
        assert!(
            output.status.success(),
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let first = times[0];
    let mut sorted = times.split_off(WARMUP);
    sorted.sort();
    Stats { first, sorted }
}

fn baseline_command(bin: &Path, repo: &Path, args: &[String]) -> Command {
    let mut command = Command::new(bin);
    command.args(args).current_dir(repo);
    command
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// Times every command on one repository. Read-only commands come first, so the
/// first trace pays for building the commit index, as it would after a clone.
fn measure(bin: &Path, repo: &Path) -> Vec<Measured> {
    let traced = artefact_id(TRACED);
    let mut results = Vec::new();
    let read_only = [
        (format!("trace {traced}@1.0"), TRACE_MS),
        (format!("trace {}", decision_id(TRACED)), TRACE_MS),
        ("list".to_string(), REGISTER_MS),
        ("list --format json".to_string(), REGISTER_MS),
        ("status".to_string(), REGISTER_MS),
    ];
    for (label, target_ms) in read_only {
        let args = words(&label);
        let stats = time_runs(|_| {}, |_| baseline_command(bin, repo, &args));
        results.push(Measured {
            label,
            target_ms,
            stats,
        });
    }
    results.push(measure_draft(bin, repo, &traced));
    results.push(measure_approve(bin, repo));
    results.extend(measure_verify(bin, repo));
    results.extend(measure_references(repo, &traced));
    results
}

/// `draft` of the traced artefact, its working file edited before each run.
fn measure_draft(bin: &Path, repo: &Path, id: &str) -> Measured {
    let working = repo.join(paths::content(id, FILE));
    let args = words(&format!("draft {id} --date {RUN_DATE}"));
    let stats = time_runs(
        |i| std::fs::write(&working, document(id, &format!("bench edit {i}"))).expect("edit"),
        |_| baseline_command(bin, repo, &args),
    );
    Measured {
        label: format!("draft {id}"),
        target_ms: WRITE_MS,
        stats,
    }
}

/// `approve` of a fresh artefact each run (A0101, A0102 …), after an untimed draft,
/// citing the decision and approved change generated for it.
fn measure_approve(bin: &Path, repo: &Path) -> Measured {
    let prepare = |i: usize| {
        let id = artefact_id(FIRST_APPROVED + i);
        let working = repo.join(paths::content(&id, FILE));
        std::fs::write(&working, document(&id, "revision 1.1")).expect("edit");
        let args = words(&format!("draft {id} --date {RUN_DATE}"));
        let output = baseline_command(bin, repo, &args).output().expect("draft");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let approve = |i: usize| {
        let n = FIRST_APPROVED + i;
        let change = change_id(n);
        let args = words(&format!(
            "approve {} --decision DEC-{change} --change {change} --date {RUN_DATE}",
            artefact_id(n)
        ));
        baseline_command(bin, repo, &args)
    };
    Measured {
        label: format!(
            "approve {} --decision … --change …",
            artefact_id(FIRST_APPROVED)
        ),
        target_ms: WRITE_MS,
        stats: time_runs(prepare, approve),
    }
}

/// `verify` of the whole history (timed once: it reads every commit), and
/// `verify --range` of the last commit, as a pre-receive hook runs it.
fn measure_verify(bin: &Path, repo: &Path) -> [Measured; 2] {
    let full = words("verify");
    let started = Instant::now();
    let output = baseline_command(bin, repo, &full).output().expect("verify");
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "verify found problems: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let range = words("verify --range HEAD~1..HEAD");
    [
        Measured {
            label: "verify (whole history, one run)".to_string(),
            target_ms: VERIFY_MS,
            stats: Stats {
                first: elapsed,
                sorted: vec![elapsed],
            },
        },
        Measured {
            label: "verify --range HEAD~1..HEAD".to_string(),
            target_ms: RANGE_MS,
            stats: time_runs(|_| {}, |_| baseline_command(bin, repo, &range)),
        },
    ]
}

/// The floor any process pays: git itself, and hashing a 5 KB file; and what git
/// pays to commit one changed file in the same repository, which rewrites the same
/// index and `artefacts` tree that a draft does.
fn measure_references(repo: &Path, id: &str) -> [Measured; 3] {
    let file = repo.join(paths::content(id, FILE));
    let log = time_runs(
        |_| {},
        |_| {
            let mut command = Command::new("git");
            command.args(["log", "-1", "--format=%H"]).current_dir(repo);
            command
        },
    );
    let hash = time_runs(
        |_| {},
        |_| {
            let mut command = Command::new("sha256sum");
            command.arg(&file);
            command
        },
    );
    let notes = repo.join(paths::content(id, "notes.txt"));
    let commit = time_runs(
        |i| std::fs::write(&notes, format!("reference edit {i}\n")).expect("edit"),
        |_| {
            let mut command = Command::new("sh");
            command
                .args([
                    "-c",
                    "git add -- \"$0\" && git commit -q -m 'Reference commit'",
                ])
                .arg(&notes)
                .current_dir(repo)
                .env("GIT_AUTHOR_NAME", AUTHOR_NAME)
                .env("GIT_AUTHOR_EMAIL", AUTHOR_EMAIL)
                .env("GIT_COMMITTER_NAME", AUTHOR_NAME)
                .env("GIT_COMMITTER_EMAIL", AUTHOR_EMAIL);
            command
        },
    );
    [
        Measured {
            label: "reference: git add + git commit of one file".into(),
            target_ms: REFERENCE,
            stats: commit,
        },
        Measured {
            label: "reference: git log -1 --format=%H".into(),
            target_ms: REFERENCE,
            stats: log,
        },
        Measured {
            label: format!(
                "reference: sha256sum ({} bytes)",
                std::fs::metadata(&file).map_or(0, |m| m.len())
            ),
            target_ms: REFERENCE,
            stats: hash,
        },
    ]
}

// ---------------------------------------------------------------------------
// Reporting

fn print_table(results: &[(&str, Vec<Measured>)]) {
    let small = &results[0].1;
    let large = results.get(1).map(|(_, m)| m);
    println!();
    println!(
        "| command | small median ms | small p90 ms | large median ms | large p90 ms | large/small | target | result |"
    );
    println!("|---|---:|---:|---:|---:|---:|---|---|");
    for (i, s) in small.iter().enumerate() {
        let l = large.map(|m| &m[i]);
        let ratio = l.map(|l| l.stats.median_ms() / s.stats.median_ms());
        let cell = |m: Option<&Measured>, f: fn(&Stats) -> f64| {
            m.map_or("—".to_string(), |m| format!("{:.1}", f(&m.stats)))
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            s.label,
            cell(Some(s), Stats::median_ms),
            cell(Some(s), Stats::p90_ms),
            cell(l, Stats::median_ms),
            cell(l, Stats::p90_ms),
            ratio.map_or("—".to_string(), |r| format!("{r:.2}")),
            target_text(s.target_ms),
            verdict(s.target_ms, l.unwrap_or(s), ratio),
        );
    }
    println!();
    for (name, measured) in results {
        println!(
            "first (cold) run on {name}: {} {:.1} ms",
            measured[0].label,
            ms(measured[0].stats.first)
        );
    }
}

fn target_text(target: Option<Target>) -> String {
    match target {
        None => "reference".into(),
        Some(t) if t.bounded_ratio => format!("≤ {:.0} ms, large/small ≤ {MAX_RATIO:.2}", t.ms),
        Some(t) => format!("≤ {:.0} ms", t.ms),
    }
}

/// PASS when the largest repository measured meets the time target and, for the
/// writes where both were measured, the time grew by no more than MAX_RATIO.
fn verdict(target: Option<Target>, largest: &Measured, ratio: Option<f64>) -> String {
    let Some(target) = target else {
        return "—".into();
    };
    let mut failed = Vec::new();
    if largest.stats.median_ms() > target.ms {
        failed.push("time");
    }
    if target.bounded_ratio && ratio.is_some_and(|r| r > MAX_RATIO) {
        failed.push("ratio");
    }
    if failed.is_empty() {
        "PASS".into()
    } else {
        format!("FAIL ({})", failed.join(", "))
    }
}
