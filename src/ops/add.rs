//! `baseline add`: registers an artefact with its working content.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::trailers::{self, CommitMessage};
use crate::model::{Artefact, IdKind, date, id, paths};
use crate::redline::check;
use crate::redline::scan::Scan;
use crate::repo::Repo;
use crate::repo::files::Document;
use crate::rules;

/// An artefact to register.
pub struct AddOptions<'a> {
    pub id: &'a str,
    /// The document, as the user named it (resolved against `dir`).
    pub file: &'a Path,
    pub title: &'a str,
    pub kind: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub key: Option<&'a str>,
}

/// Registers an artefact: its record and its working content, in one commit.
/// Returns the artefact as recorded.
pub fn add(repo: &Repo, dir: &Path, options: &AddOptions<'_>) -> Result<Artefact> {
    let file_name = file_name_of(options.file)?;
    let format = check::format_of(&file_name)?;
    if options.key.is_some() && !format.is_table() && !format.is_workbook() {
        return Err(Error::usage(
            format!(
                "--key applies to tables and workbooks (CSV, TSV, XLSX, XLSM, ODS), and {file_name} is not one"
            ),
            "leave out --key, or register the table's .csv, .tsv or workbook file",
        ));
    }
    rules::check_one_line("title", options.title)?;
    for (what, value) in [("kind", options.kind), ("owner", options.owner)] {
        if let Some(value) = value {
            rules::check_one_line(what, value)?;
        }
    }
    let mut document = Document::open(&dir.join(options.file))?;
    let mut scan = Scan::new(format);
    let stored = document.store(repo, |piece| scan.feed(piece))?;
    check::check(&file_name, format, options.key, scan, document.file())?;

    let mut tx = repo.begin(format!("add {}", options.id))?;
    let config = tx.config()?;
    config.pattern(IdKind::Artefact)?.check(options.id)?;
    let existing = tx.snapshot().artefact_ids()?;
    if let Some(same) = existing.iter().find(|e| e.eq_ignore_ascii_case(options.id)) {
        return Err(Error::refused(
            format!("artefact {same} is already registered"),
            format!(
                "artefact ids are unique (ignoring case); record a new version with `baseline draft {same}`"
            ),
        ));
    }
    let artefact = Artefact {
        id: options.id.to_string(),
        title: options.title.trim().to_string(),
        kind: options.kind.unwrap_or(format.default_kind()).to_string(),
        owner: options.owner.map(str::to_string),
        file: file_name.clone(),
        format,
        key: options.key.map(str::to_string),
        registered: date::today(),
        registered_by: repo.identity()?,
    };
    tx.create_record(&paths::artefact(&artefact.id), &artefact)?;
    tx.stage_document(
        &paths::content(&artefact.id, &file_name),
        stored.blob,
        document.path(),
    );
    tx.commit(
        &CommitMessage::new(format!("Register {} {}", artefact.id, artefact.title))
            .trailer(trailers::COMMAND, "add")
            .trailer(trailers::REGISTERED, &artefact.id),
    )?;
    Ok(artefact)
}

fn file_name_of(path: &Path) -> Result<String> {
    let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        Error::usage(
            format!("{} has no usable file name", path.display()),
            "name a document file",
        )
    })?;
    id::check_safe(IdKind::Artefact, name).map_err(|err| {
        Error::refused(
            format!(
                "the file name \"{}\" cannot be kept in the repository: {}",
                name.escape_debug(),
                err.message
            ),
            "rename the file to letters, digits, '-', '_' and '.', e.g. des196.csv",
        )
    })?;
    if name == paths::ARTEFACT_RECORD || name == paths::VERSIONS {
        return Err(Error::refused(
            format!("the file name \"{name}\" is reserved for baseline's own records"),
            "rename the document file",
        ));
    }
    Ok(name.to_string())
}
