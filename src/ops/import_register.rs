//! `baseline import register`: adopts a programme that already keeps its
//! artefacts elsewhere. Every row of its register becomes a registered
//! artefact whose first version is a baseline at the version the register
//! gives, citing the adopting decision — all in one commit, or, if any row is
//! bad, nothing at all.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::import::register::{self, Problem, Register, Row};
use crate::model::trailers::{self, CommitMessage};
use crate::model::{
    Adoption, Artefact, Date, Decision, Format, IdKind, Status, VersionNumber, VersionRecord, date,
    paths, sha256_hex,
};
use crate::redline::check;
use crate::redline::scan::Scan;
use crate::repo::files::Document;
use crate::repo::{Repo, Snapshot};
use crate::rules::{self, adoption};

/// A register to adopt.
pub struct RegisterOptions<'a> {
    /// The register file (resolved against `dir`).
    pub register: &'a Path,
    /// The folder holding the files the register names (resolved against `dir`).
    pub files: &'a Path,
    pub decisions: &'a [String],
    /// The adoption date, on or after every decision (default: today).
    pub date: Option<Date>,
    pub dry_run: bool,
}

/// The register read, as recorded in each adopted version.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterSource {
    pub file: String,
    pub sha256: String,
    /// For a workbook: the sheet the rows were read from.
    pub sheet: Option<String>,
}

/// One artefact adopted, or (on a dry run, or when another row is bad) that
/// would be.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub row: usize,
    pub id: String,
    pub title: String,
    pub kind: String,
    pub owner: Option<String>,
    /// The status the register gives, where it has a Status column.
    pub register_status: Option<String>,
    pub version: VersionNumber,
    /// The file as the register names it, in the files folder.
    pub source_file: String,
    /// Its name in the repository: `artefacts/<id>/<file>`.
    pub file: String,
    pub format: Format,
    pub size: u64,
    pub sha256: String,
    pub tag: String,
}

/// What adopting a register did, or would do.
#[derive(Debug, Serialize)]
pub struct Adopted {
    pub register: RegisterSource,
    pub decisions: Vec<String>,
    pub date: Date,
    pub artefacts: Vec<Planned>,
    /// Every bad row; when there is one, nothing is recorded.
    pub problems: Vec<Problem>,
    /// The commit made; none on a dry run or when a row is bad.
    #[serde(skip)]
    pub commit: Option<git2::Oid>,
}

/// A row found good, with its content stored (or, on a dry run, only read).
struct Good {
    planned: Planned,
    blob: Option<git2::Oid>,
    source: PathBuf,
}

/// Reads the register and the files it names, checks every row, and unless
/// `dry_run` or a row is bad records them all in one commit.
pub fn register(repo: &Repo, dir: &Path, options: &RegisterOptions<'_>) -> Result<Adopted> {
    let path = dir.join(options.register);
    let bytes = crate::repo::files::read_file(&path)?;
    let name = file_name(options.register)?;
    let read = register::read(&name, &bytes)?;
    let source = RegisterSource {
        file: name,
        sha256: sha256_hex(&bytes),
        sheet: read.sheet.clone(),
    };
    let files = dir.join(options.files);
    if !files.is_dir() {
        return Err(Error::refused(
            format!("{} is not a folder", files.display()),
            "give --files the folder that holds the files the register's File column names",
        ));
    }
    let date = options.date.unwrap_or_else(date::today);
    let mut adopted = Adopted {
        register: source,
        decisions: options.decisions.to_vec(),
        date,
        artefacts: Vec::new(),
        problems: read.problems.clone(),
        commit: None,
    };
    let store = (!options.dry_run).then_some(repo);
    if options.dry_run {
        let snapshot = repo.snapshot()?;
        let decisions = adopting_decisions(&snapshot, options.decisions, date)?;
        check_rows(
            &snapshot,
            &read,
            &files,
            &decisions,
            date,
            store,
            &mut adopted,
        )?;
        return Ok(adopted);
    }
    let mut tx = repo.begin(format!("import register {}", adopted.register.file))?;
    // Adopted baselines are not signed: where every baseline must be, adopt
    // them before the policy is switched on.
    if tx.config()?.policy.require_signed_baselines {
        return Err(Error::refused(
            "the policy requires signed baselines (require_signed_baselines = true), and a register's adopted baselines are not signed",
            "adopt the register before switching the policy on (`baseline policy set require_signed_baselines false --decision DEC`, import, then set it true), or baseline each artefact with `baseline approve --sign`",
        ));
    }
    let decisions = adopting_decisions(tx.snapshot(), options.decisions, date)?;
    let good = check_rows(
        tx.snapshot(),
        &read,
        &files,
        &decisions,
        date,
        store,
        &mut adopted,
    )?;
    if !adopted.problems.is_empty() {
        return Ok(adopted);
    }
    let identity = repo.identity()?;
    let recorded_at = date::now();
    for good in &good {
        let planned = &good.planned;
        let blob = good.blob.expect("stored when not a dry run");
        let artefact = Artefact {
            id: planned.id.clone(),
            title: planned.title.clone(),
            kind: planned.kind.clone(),
            owner: planned.owner.clone(),
            file: planned.file.clone(),
            format: planned.format,
            key: None,
            registered: date::today(),
            registered_by: identity.clone(),
        };
        let record = VersionRecord {
            artefact: planned.id.clone(),
            version: planned.version.clone(),
            status: Status::Baselined,
            date,
            recorded_by: identity.clone(),
            recorded_at,
            sha256: planned.sha256.clone(),
            blob: blob.to_string(),
            file: planned.file.clone(),
            size: planned.size,
            promotes: None,
            adopted: Some(Box::new(Adoption {
                register: adopted.register.file.clone(),
                register_sha256: adopted.register.sha256.clone(),
                sheet: adopted.register.sheet.clone(),
                row: planned.row,
                source_file: planned.source_file.clone(),
            })),
            decisions: options.decisions.to_vec(),
            changes: Vec::new(),
            note: None,
            signed_by: None,
        };
        tx.create_record(&paths::artefact(&artefact.id), &artefact)?;
        tx.create_record(&paths::version(&record.artefact, &record.version), &record)?;
        tx.stage_document(
            &paths::content(&artefact.id, &artefact.file),
            blob,
            &good.source,
        );
        tx.tag(&planned.tag, record.tag_message(&artefact.title))?;
    }
    adopted.commit = Some(tx.commit(&commit_message(&adopted))?);
    Ok(adopted)
}

fn file_name(path: &Path) -> Result<String> {
    let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        Error::usage(
            format!("{} has no usable file name", path.display()),
            "name the register file",
        )
    })?;
    rules::check_one_line("the register's file name", name)?;
    Ok(name.to_string())
}

/// The adopting decisions: each recorded, approved and dated on or before
/// the adoption. Checked once, not for every row.
fn adopting_decisions(
    snapshot: &Snapshot<'_>,
    ids: &[String],
    date: Date,
) -> Result<Vec<(String, Option<Decision>)>> {
    if ids.is_empty() {
        return Err(Error::usage(
            "adopting a register needs the decision that approved the adoption",
            "add --decision DEC naming an approved decision",
        ));
    }
    ids.iter()
        .map(|id| {
            let decision = snapshot.decision(id)?;
            rules::approving_decision(id, decision.as_ref(), date, "adoption")?;
            Ok((id.clone(), decision))
        })
        .collect()
}

/// Checks every row against the repository and reads (or stores) the file it
/// names; each bad row's problems are added to `adopted`, each good row's plan
/// too, and the good rows are returned.
fn check_rows(
    snapshot: &Snapshot<'_>,
    register: &Register,
    files: &Path,
    decisions: &[(String, Option<Decision>)],
    date: Date,
    store: Option<&Repo>,
    adopted: &mut Adopted,
) -> Result<Vec<Good>> {
    let config = snapshot.config()?;
    let pattern = config.pattern(IdKind::Artefact)?;
    let existing = snapshot.artefact_ids()?;
    let mut good = Vec::new();
    for row in &register.rows {
        let problem = |column: &str, err: Error| Problem {
            row: row.number,
            column: column.to_string(),
            message: err.message,
        };
        let id_ok = pattern
            .check(&row.id)
            .and_then(|()| not_registered(&existing, &row.id))
            .and_then(|()| {
                adoption::check_adoption(&adoption::AdoptionRequest {
                    artefact: &row.id,
                    earlier: &[],
                    promotes: None,
                    date,
                    decisions,
                })
            });
        let mut problems: Vec<Problem> = id_ok
            .err()
            .map(|e| problem(&register.id_column, e))
            .into_iter()
            .collect();
        let read_bad = register.problems.iter().any(|p| p.row == row.number);
        match read_content(files, row, store) {
            Ok(content) if problems.is_empty() && !read_bad => {
                adopted.artefacts.push(content.planned.clone());
                good.push(content);
            }
            Ok(_) => {}
            Err(err) => problems.push(problem(&register.file_column, err)),
        }
        adopted.problems.extend(problems);
    }
    adopted.problems.sort_by_key(|p| p.row);
    Ok(good)
}

fn not_registered(existing: &[String], id: &str) -> Result<()> {
    match existing.iter().find(|e| e.eq_ignore_ascii_case(id)) {
        Some(same) => Err(Error::refused(
            format!("artefact {same} is already registered"),
            "take the row out",
        )),
        None => Ok(()),
    }
}

/// Reads the file a row names, checks its content is what its name says, and
/// (unless a dry run) stores it.
fn read_content(files: &Path, row: &Row, store: Option<&Repo>) -> Result<Good> {
    let source = inside(files, &row.file)?;
    let source_name = Path::new(&row.file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(&row.file);
    let format = check::format_of(source_name)?;
    let mut document = Document::open(&source)?;
    let mut scan = Scan::new(format);
    let (sha256, blob) = match store {
        Some(repo) => {
            let stored = document.store(repo, |piece| scan.feed(piece))?;
            (stored.sha256, Some(stored.blob))
        }
        None => (document.hash(|piece| scan.feed(piece))?, None),
    };
    let size = document.size();
    check::check(&row.file, format, None, scan, document.file())?;
    let extension = Path::new(source_name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    Ok(Good {
        planned: Planned {
            row: row.number,
            id: row.id.clone(),
            title: row.title.clone(),
            kind: row
                .kind
                .clone()
                .unwrap_or_else(|| format.default_kind().to_string()),
            owner: row.owner.clone(),
            register_status: row.status.clone(),
            version: row.version.clone(),
            source_file: row.file.clone(),
            file: format!("{}.{extension}", row.id.to_ascii_lowercase()),
            format,
            size,
            sha256,
            tag: paths::tag(&row.id, &row.version),
        },
        blob,
        source,
    })
}

/// The file `name` inside the folder `files`: a relative path ('/' or '\'
/// between folders) that never leaves it, through no symbolic link, to a
/// regular file.
fn inside(files: &Path, name: &str) -> Result<PathBuf> {
    let outside = |why: &str| {
        Error::refused(
            format!("\"{}\" {why}", name.escape_debug()),
            "name a file inside the --files folder, relative to it, e.g. \"DES138 Interface Catalogue v5.6.1.xlsx\" or \"Interfaces/DES138.xlsx\"",
        )
    };
    let relative: PathBuf = name.split(['/', '\\']).collect();
    if name.starts_with(['/', '\\']) || relative.has_root() || name.contains(':') {
        return Err(outside("is an absolute path"));
    }
    let mut path = files.to_path_buf();
    for part in relative.components() {
        match part {
            Component::Normal(part) => path.push(part),
            Component::CurDir => continue,
            _ => return Err(outside("leads out of the --files folder")),
        }
        match std::fs::symlink_metadata(&path) {
            Err(_) => {
                return Err(Error::refused(
                    format!("there is no {} in {}", name.escape_debug(), files.display()),
                    "check the File cell against the folder's file names (they are case-sensitive)",
                ));
            }
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(outside(
                    "passes through a symbolic link, which could lead anywhere",
                ));
            }
            Ok(_) => {}
        }
    }
    Ok(path)
}

fn commit_message(adopted: &Adopted) -> CommitMessage {
    let decisions = adopted.decisions.join(", ");
    let count = match adopted.artefacts.len() {
        1 => "1 artefact".to_string(),
        n => format!("{n} artefacts"),
    };
    let mut message = CommitMessage::new(format!(
        "Adopt {count} from {} ({decisions})",
        adopted.register.file
    ))
    .line(format!(
        "Registered at the versions the programme's register gives, as baselines on {decisions} dated {}; register sha256 {}.",
        adopted.date, adopted.register.sha256
    ));
    for planned in &adopted.artefacts {
        message = message.line(format!(
            "{} v{} {} (row {})",
            planned.id, planned.version, planned.title, planned.row
        ));
    }
    message
        .trailer(trailers::COMMAND, "import register")
        .trailers(trailers::DECISION, &adopted.decisions)
        .trailers(
            trailers::ADOPTED,
            adopted
                .artefacts
                .iter()
                .map(|p| format!("{}@{}", p.id, p.version)),
        )
}
