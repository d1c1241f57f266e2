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

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use baseline::model::sha256_hex;
use baseline::model::trailers::{self, CommitMessage};
use baseline::model::{
    Artefact, Change, ChangeKind, ChangeState, ChangeStep, Config, Date, Decision, Format, Outcome,
    Status, Timestamp, VersionNumber, VersionRecord, paths,
};
use baseline::repo::transaction::record_text;

const WARMUP: usize = 2;
const RUNS: usize = 15;
/// Drafts 0.1 … 0.9 per artefact, then baseline 1.0 promoting 0.9.
const DRAFTS: u32 = 9;
const AUTHOR_NAME: &str = "Bench Author";
const AUTHOR_EMAIL: &str = "bench@example.invalid";
const FILE: &str = "doc.md";
/// The artefact (and its decision) that trace, status and draft are timed on.
const TRACED: usize = 100;
/// Approve needs a fresh draft and a new approved change per run; each run takes
/// the next artefact from here, so the generator prepares one change for each.
const FIRST_APPROVED: usize = 101;
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
        generate(&repo, artefacts);
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
// Generating a repository

/// A `git fast-import` stream: commits on `main` and annotated tags, each stamped
/// one second after the last so history has a strict order.
struct Stream<W: Write> {
    out: W,
    marks: usize,
    clock: i64,
}

impl<W: Write> Stream<W> {
    /// The commit time for something recorded on `date`: 09:00 UTC that day, or
    /// just after the previous commit when that is later.
    fn stamp(&mut self, date: Date) -> Timestamp {
        let nine = date
            .at(9, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .expect("a 2023 date is in range")
            .timestamp()
            .as_second();
        self.clock = nine.max(self.clock + 1);
        Timestamp::from_second(self.clock).expect("in range")
    }

    fn data(&mut self, bytes: &[u8]) {
        writeln!(self.out, "data {}", bytes.len()).expect("write to fast-import");
        self.out.write_all(bytes).expect("write to fast-import");
        writeln!(self.out).expect("write to fast-import");
    }

    /// Writes a commit with the given files; returns its mark for tagging.
    fn commit(
        &mut self,
        at: Timestamp,
        message: &CommitMessage,
        files: &[(String, Vec<u8>)],
    ) -> usize {
        self.marks += 1;
        let who = format!("{AUTHOR_NAME} <{AUTHOR_EMAIL}> {} +0000", at.as_second());
        write!(
            self.out,
            "commit refs/heads/main\nmark :{}\nauthor {who}\ncommitter {who}\n",
            self.marks
        )
        .expect("write to fast-import");
        self.data(message.to_string().as_bytes());
        for (path, bytes) in files {
            writeln!(self.out, "M 100644 inline {path}").expect("write to fast-import");
            self.data(bytes);
        }
        self.marks
    }

    fn tag(&mut self, name: &str, mark: usize, at: Timestamp, text: &str) {
        write!(
            self.out,
            "tag {name}\nfrom :{mark}\ntagger {AUTHOR_NAME} <{AUTHOR_EMAIL}> {} +0000\n",
            at.as_second()
        )
        .expect("write to fast-import");
        self.data(text.as_bytes());
    }
}

/// Creates the repository at `dir` and checks out its working tree.
fn generate(dir: &Path, artefacts: usize) {
    if dir.exists() && std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!(
            "error: {} exists and is not empty\nhint: remove it, or keep the repositories elsewhere with BENCH_KEEP",
            dir.display()
        );
        std::process::exit(2);
    }
    std::fs::create_dir_all(dir).expect("create the repository folder");
    git(dir, &["init", "--quiet", "--initial-branch=main"]);
    git(dir, &["config", "user.name", AUTHOR_NAME]);
    git(dir, &["config", "user.email", AUTHOR_EMAIL]);
    let mut import = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()
        .expect("run git fast-import");
    let stdin = import.stdin.take().expect("fast-import's stdin");
    let mut stream = Stream {
        out: BufWriter::with_capacity(1 << 20, stdin),
        marks: 0,
        clock: 0,
    };
    write_history(&mut stream, artefacts);
    writeln!(stream.out, "done").expect("write to fast-import");
    drop(stream);
    assert!(
        import.wait().expect("wait for fast-import").success(),
        "git fast-import failed"
    );
    git(dir, &["reset", "--quiet", "--hard", "main"]);
}

/// The whole history, in the order a programme would make it: register and draft
/// every artefact, revise them in rounds, decide and baseline them, then raise and
/// approve the changes the timed approvals cite.
fn write_history<W: Write>(stream: &mut Stream<W>, artefacts: usize) {
    let ids: Vec<String> = (1..=artefacts).map(artefact_id).collect();
    write_init(stream);
    for id in &ids {
        write_register(stream, id);
    }
    for round in 1..=DRAFTS {
        for id in &ids {
            write_draft(stream, id, round);
        }
    }
    for (n, id) in ids.iter().enumerate() {
        write_decision(stream, decision_for_baseline(n + 1, id));
        write_baseline(stream, id, &decision_id(n + 1));
    }
    for n in FIRST_APPROVED..FIRST_APPROVED + WARMUP + RUNS {
        write_approved_change(stream, &artefact_id(n), n);
    }
}

fn artefact_id(n: usize) -> String {
    format!("A{n:04}")
}

fn decision_id(n: usize) -> String {
    format!("DEC-{n:04}")
}

fn change_id(n: usize) -> String {
    format!("CR{n:04}")
}

/// 2023-01-01 plus `days`: every generated date is in 2023, long past.
fn day(days: i64) -> Date {
    jiff::civil::date(2023, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .expect("in range")
}

/// Draft round r is dated 30 days after round r-1; decisions and baselines follow,
/// then the changes.
fn draft_day(round: u32) -> Date {
    day(30 * i64::from(round))
}
fn decision_day() -> Date {
    day(30 * i64::from(DRAFTS) + 10)
}
fn baseline_day() -> Date {
    day(30 * i64::from(DRAFTS) + 12)
}
fn change_day(step: i64) -> Date {
    day(30 * i64::from(DRAFTS) + 30 + 20 * step)
}

fn who() -> String {
    format!("{AUTHOR_NAME} <{AUTHOR_EMAIL}>")
}

fn version(minor_or_major: (u32, u32)) -> VersionNumber {
    VersionNumber::new(vec![minor_or_major.0, minor_or_major.1])
}

/// A few KB of Markdown, different for every artefact and revision but mostly the
/// same between revisions, as real documents are.
fn document(id: &str, revision: &str) -> Vec<u8> {
    let mut text = format!("# {id} — design document\n\nRevision: {revision}\n\n");
    for section in 1..=16 {
        text.push_str(&format!(
            "## {section}. Requirements area {section}\n\n\
             The {id} interface shall exchange the messages listed in clause {section} \
             within the agreed response times, and every participant shall record each \
             message it sends or receives for audit.\n\
             Clause {section} was last revised in {revision}; see the change log for the \
             decisions behind it.\n\n"
        ));
    }
    text.into_bytes()
}

fn git_blob(bytes: &[u8]) -> String {
    git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
        .expect("hash a blob")
        .to_string()
}

fn write_init<W: Write>(stream: &mut Stream<W>) {
    let at = stream.stamp(day(0));
    // `baseline init` writes this comment above the record.
    let config = format!(
        "# baseline configuration: see the README for every setting.\n{}",
        record_text(&Config::new("Bench".into()))
    );
    let message = CommitMessage::new("Initialise the design repository for Bench")
        .trailer(trailers::COMMAND, "init");
    stream.commit(
        at,
        &message,
        &[("baseline.toml".into(), config.into_bytes())],
    );
}

fn write_register<W: Write>(stream: &mut Stream<W>, id: &str) {
    let at = stream.stamp(day(0));
    let artefact = Artefact {
        id: id.to_string(),
        title: format!("Design artefact {id}"),
        kind: "document".into(),
        owner: Some("Programme (Design)".into()),
        file: FILE.into(),
        format: Format::Md,
        key: None,
        registered: day(0),
        registered_by: who(),
    };
    let message = CommitMessage::new(format!("Register {id} {}", artefact.title))
        .trailer(trailers::COMMAND, "add")
        .trailer(trailers::REGISTERED, id);
    let files = [
        (paths::artefact(id), record_text(&artefact).into_bytes()),
        (paths::content(id, FILE), document(id, "registration")),
    ];
    stream.commit(at, &message, &files);
}

/// The record of draft 0.`round`, whose content is that revision's document.
fn draft_record(id: &str, round: u32, at: Timestamp) -> (VersionRecord, Vec<u8>) {
    let bytes = document(id, &format!("draft 0.{round}"));
    let record = VersionRecord {
        artefact: id.to_string(),
        version: version((0, round)),
        status: Status::Draft,
        date: draft_day(round),
        recorded_by: who(),
        recorded_at: at,
        sha256: sha256_hex(&bytes),
        blob: git_blob(&bytes),
        file: FILE.into(),
        size: bytes.len() as u64,
        promotes: None,
        decisions: Vec::new(),
        changes: Vec::new(),
        note: Some(format!("Revision {round} after review")),
    };
    (record, bytes)
}

fn write_draft<W: Write>(stream: &mut Stream<W>, id: &str, round: u32) {
    let at = stream.stamp(draft_day(round));
    let (record, bytes) = draft_record(id, round, at);
    let message = CommitMessage::new(format!("Draft {id} v{}", record.version))
        .line(record.note.clone().unwrap_or_default())
        .version_trailers("draft", &record);
    let files = [
        (paths::content(id, FILE), bytes),
        (
            paths::version(id, &record.version),
            record_text(&record).into_bytes(),
        ),
    ];
    stream.commit(at, &message, &files);
}

fn decision_for_baseline(n: usize, id: &str) -> Decision {
    Decision {
        id: decision_id(n),
        date: decision_day(),
        outcome: Outcome::Approved,
        text: format!("The design authority approved the baselining of {id}"),
        meeting: Some("DAG030".into()),
        area: None,
        authority: Some("DAG".into()),
        artefacts: vec![id.to_string()],
        changes: Vec::new(),
        recorded_by: who(),
        // Stamped when the decision is written into history.
        recorded_at: Timestamp::UNIX_EPOCH,
    }
}

fn write_decision<W: Write>(stream: &mut Stream<W>, mut decision: Decision) {
    decision.recorded_at = stream.stamp(decision.date);
    let message = CommitMessage::new(format!(
        "Record decision {} ({})",
        decision.id, decision.outcome
    ))
    .line(decision.text.clone())
    .trailer(trailers::COMMAND, "decision add")
    .trailer(trailers::DECISION_RECORDED, &decision.id);
    let files = [(
        paths::decision(&decision.id),
        record_text(&decision).into_bytes(),
    )];
    stream.commit(decision.recorded_at, &message, &files);
}

/// Baseline 1.0 promoting the last draft byte for byte, tagged as `approve` tags it.
fn write_baseline<W: Write>(stream: &mut Stream<W>, id: &str, decision: &str) {
    let at = stream.stamp(baseline_day());
    let (draft, _) = draft_record(id, DRAFTS, at);
    let record = VersionRecord {
        version: version((1, 0)),
        status: Status::Baselined,
        date: baseline_day(),
        promotes: Some(draft.version.clone()),
        decisions: vec![decision.to_string()],
        note: None,
        ..draft
    };
    let title = format!("Design artefact {id}");
    let message = CommitMessage::new(format!("Baseline {id} v1.0 ({decision})"))
        .line(format!(
            "Promotes draft {} of {title} byte for byte.",
            draft.version
        ))
        .version_trailers("approve", &record);
    let files = [(
        paths::version(id, &record.version),
        record_text(&record).into_bytes(),
    )];
    let mark = stream.commit(at, &message, &files);
    stream.tag(
        &paths::tag(id, &record.version),
        mark,
        at,
        &record.tag_message(&title),
    );
}

/// Change CR`n` affecting `id`: raised, impact-assessed, then approved by its own
/// decision — four commits, as `change add`, `change set`, `decision add` and
/// `change set` make them.
fn write_approved_change<W: Write>(stream: &mut Stream<W>, id: &str, n: usize) {
    let step = |state, date, decision: Option<String>, at| ChangeStep {
        state,
        date,
        decision,
        release: None,
        note: None,
        recorded_by: who(),
        recorded_at: at,
    };
    let at = stream.stamp(change_day(0));
    let mut change = Change {
        id: change_id(n),
        kind: ChangeKind::Cr,
        title: format!("Revise {id} for the next release"),
        affects: vec![id.to_string()],
        excludes: Vec::new(),
        recorded_by: who(),
        history: vec![step(ChangeState::Raised, change_day(0), None, at)],
    };
    let raise = CommitMessage::new(format!("Raise CR {}: {}", change.id, change.title))
        .trailer(trailers::COMMAND, "change add")
        .trailer(trailers::CHANGE_RECORDED, &change.id);
    write_change(stream, at, raise, &change);

    let at = stream.stamp(change_day(1));
    change
        .history
        .push(step(ChangeState::ImpactAssessment, change_day(1), None, at));
    write_change(stream, at, change_step_message(&change, None), &change);

    let decision = Decision {
        id: format!("DEC-{}", change.id),
        text: format!(
            "The design authority approved {} and the baseline of {id} it brings",
            change.id
        ),
        date: change_day(2),
        changes: vec![change.id.clone()],
        ..decision_for_baseline(n, id)
    };
    let decision_id = decision.id.clone();
    write_decision(stream, decision);
    let at = stream.stamp(change_day(2));
    change.history.push(step(
        ChangeState::Approved,
        change_day(2),
        Some(decision_id.clone()),
        at,
    ));
    write_change(
        stream,
        at,
        change_step_message(&change, Some(&decision_id)),
        &change,
    );
}

fn change_step_message(change: &Change, decision: Option<&str>) -> CommitMessage {
    let by = decision.map(|d| format!(" by {d}")).unwrap_or_default();
    CommitMessage::new(format!("{} {}{by}", change.id, change.state()))
        .trailer(trailers::COMMAND, "change set")
        .trailer(
            trailers::CHANGE_STEP,
            format!("{} {}", change.id, change.state()),
        )
        .trailers(trailers::DECISION, decision)
}

fn write_change<W: Write>(
    stream: &mut Stream<W>,
    at: Timestamp,
    message: CommitMessage,
    change: &Change,
) {
    let files = [(paths::change(&change.id), record_text(change).into_bytes())];
    stream.commit(at, &message, &files);
}

fn git(dir: &Path, args: &[&str]) {
    git_output(dir, args);
}

fn git_output(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
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
