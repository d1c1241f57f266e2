//! Design repositories generated in bulk: `git fast-import` writes the history
//! a programme would make (register and draft every artefact in rounds, decide
//! and baseline each, raise and approve changes), record for record, path for
//! path, trailer for trailer as the tool writes them, in minutes where the CLI
//! would take hours. Shared by the scale and verify benchmarks.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use baseline::model::sha256_hex;
use baseline::model::trailers::{self, CommitMessage};
use baseline::model::{
    Artefact, Change, ChangeKind, ChangeState, ChangeStep, Config, Date, Decision, Format, Outcome,
    Status, Timestamp, VersionNumber, VersionRecord, paths,
};
use baseline::repo::transaction::record_text;

/// Drafts 0.1 … 0.9 per artefact, then baseline 1.0 promoting 0.9.
pub const DRAFTS: u32 = 9;
pub const AUTHOR_NAME: &str = "Bench Author";
pub const AUTHOR_EMAIL: &str = "bench@example.invalid";
pub const FILE: &str = "doc.md";
/// Each approved change the generator prepares is for the artefact numbered
/// from here, so that a timed approval has one to cite.
pub const FIRST_APPROVED: usize = 101;

// ---------------------------------------------------------------------------
// Generating a repository

/// A `git fast-import` stream: commits on `main` and annotated tags, each stamped
/// one second after the last so history has a strict order.
pub struct Stream<W: Write> {
    pub out: W,
    pub marks: usize,
    pub clock: i64,
}

impl<W: Write> Stream<W> {
    /// The commit time for something recorded on `date`: 09:00 UTC that day, or
    /// just after the previous commit when that is later.
    pub fn stamp(&mut self, date: Date) -> Timestamp {
        let nine = date
            .at(9, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .expect("a 2023 date is in range")
            .timestamp()
            .as_second();
        self.clock = nine.max(self.clock + 1);
        Timestamp::from_second(self.clock).expect("in range")
    }

    pub fn data(&mut self, bytes: &[u8]) {
        writeln!(self.out, "data {}", bytes.len()).expect("write to fast-import");
        self.out.write_all(bytes).expect("write to fast-import");
        writeln!(self.out).expect("write to fast-import");
    }

    /// Writes a commit with the given files; returns its mark for tagging.
    pub fn commit(
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

    pub fn tag(&mut self, name: &str, mark: usize, at: Timestamp, text: &str) {
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
pub fn generate(dir: &Path, artefacts: usize, approved_changes: usize) {
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
    write_history(&mut stream, artefacts, approved_changes);
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
pub fn write_history<W: Write>(stream: &mut Stream<W>, artefacts: usize, approved_changes: usize) {
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
    for n in FIRST_APPROVED..FIRST_APPROVED + approved_changes {
        write_approved_change(stream, &artefact_id(n), n);
    }
}

pub fn artefact_id(n: usize) -> String {
    format!("A{n:04}")
}

pub fn decision_id(n: usize) -> String {
    format!("DEC-{n:04}")
}

pub fn change_id(n: usize) -> String {
    format!("CR{n:04}")
}

/// 2023-01-01 plus `days`: every generated date is in 2023, long past.
pub fn day(days: i64) -> Date {
    jiff::civil::date(2023, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .expect("in range")
}

/// Draft round r is dated 30 days after round r-1; decisions and baselines follow,
/// then the changes.
pub fn draft_day(round: u32) -> Date {
    day(30 * i64::from(round))
}
pub fn decision_day() -> Date {
    day(30 * i64::from(DRAFTS) + 10)
}
pub fn baseline_day() -> Date {
    day(30 * i64::from(DRAFTS) + 12)
}
pub fn change_day(step: i64) -> Date {
    day(30 * i64::from(DRAFTS) + 30 + 20 * step)
}

pub fn who() -> String {
    format!("{AUTHOR_NAME} <{AUTHOR_EMAIL}>")
}

pub fn version(minor_or_major: (u32, u32)) -> VersionNumber {
    VersionNumber::new(vec![minor_or_major.0, minor_or_major.1])
}

/// A few KB of Markdown, different for every artefact and revision but mostly the
/// same between revisions, as real documents are.
pub fn document(id: &str, revision: &str) -> Vec<u8> {
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

pub fn git_blob(bytes: &[u8]) -> String {
    git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
        .expect("hash a blob")
        .to_string()
}

pub fn write_init<W: Write>(stream: &mut Stream<W>) {
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

pub fn write_register<W: Write>(stream: &mut Stream<W>, id: &str) {
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
pub fn draft_record(id: &str, round: u32, at: Timestamp) -> (VersionRecord, Vec<u8>) {
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
        adopted: None,
        decisions: Vec::new(),
        changes: Vec::new(),
        note: Some(format!("Revision {round} after review")),
        signed_by: None,
    };
    (record, bytes)
}

pub fn write_draft<W: Write>(stream: &mut Stream<W>, id: &str, round: u32) {
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

pub fn decision_for_baseline(n: usize, id: &str) -> Decision {
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
        relates_to: Vec::new(),
        votes: None,
        recorded_by: who(),
        // Stamped when the decision is written into history.
        recorded_at: Timestamp::UNIX_EPOCH,
        corrections: Vec::new(),
    }
}

pub fn write_decision<W: Write>(stream: &mut Stream<W>, mut decision: Decision) {
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
pub fn write_baseline<W: Write>(stream: &mut Stream<W>, id: &str, decision: &str) {
    let at = stream.stamp(baseline_day());
    let (draft, _) = draft_record(id, DRAFTS, at);
    let record = VersionRecord {
        version: version((1, 0)),
        status: Status::Baselined,
        date: baseline_day(),
        promotes: Some(draft.version.clone()),
        adopted: None,
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
pub fn write_approved_change<W: Write>(stream: &mut Stream<W>, id: &str, n: usize) {
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
        title_as_raised: format!("Revise {id} for the next release"),
        affects_as_raised: vec![id.to_string()],
        amendments: Vec::new(),
        excludes: Vec::new(),
        recorded_by: who(),
        history: vec![step(ChangeState::Raised, change_day(0), None, at)],
    };
    let raise = CommitMessage::new(format!("Raise CR {}: {}", change.id, change.title()))
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

pub fn change_step_message(change: &Change, decision: Option<&str>) -> CommitMessage {
    let by = decision.map(|d| format!(" by {d}")).unwrap_or_default();
    CommitMessage::new(format!("{} {}{by}", change.id, change.state()))
        .trailer(trailers::COMMAND, "change set")
        .trailer(
            trailers::CHANGE_STEP,
            format!("{} {}", change.id, change.state()),
        )
        .trailers(trailers::DECISION, decision)
}

pub fn write_change<W: Write>(
    stream: &mut Stream<W>,
    at: Timestamp,
    message: CommitMessage,
    change: &Change,
) {
    let files = [(paths::change(&change.id), record_text(change).into_bytes())];
    stream.commit(at, &message, &files);
}

pub fn git(dir: &Path, args: &[&str]) {
    git_output(dir, args);
}

pub fn git_output(dir: &Path, args: &[&str]) -> String {
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
