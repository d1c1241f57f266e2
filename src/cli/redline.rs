use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::values::{Choice, RedlineFormat};
use crate::error::{Error, Result, io_at};
use crate::redline::render::{self, Format, Options};
use crate::repo::Repo;

/// Show what changed between two versions of an artefact.
///
/// Text and Markdown are compared line by line, then word by word inside each
/// changed block (Markdown changes are labelled with their heading path); Word
/// documents and PDFs as their text, under their headings or pages; CSV/TSV
/// tables with a key column row by row and cell by cell; workbooks sheet by sheet
/// and cell by cell (rows paired by a key column where one is named); YAML and
/// JSON also as structure. `--format docx -o FILE.docx` writes a Word artefact's
/// new version with the changes as tracked changes, `--format xlsx -o FILE.xlsx` a
/// workbook's with its changed cells marked. Every redline
/// is headed by both versions (status, date, sha256), the decisions and change
/// requests behind both (recorded on FROM, TO and the versions between), and
/// summary counts.
///
/// FROM defaults to the latest baseline; TO to the latest recorded version, or the
/// working file where it differs. Each side may be written 1.0, @1.0 or DES196@1.0,
/// and likewise baseline, latest or working.
///
/// `redline --release IR8.4 IR8.5` compares two releases: each artefact added,
/// removed, changed or unchanged, the changes and decisions between them, and
/// the redline of every changed artefact (as term, md, json, or html: one page
/// with a contents list).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The artefact's id.
    #[arg(required_unless_present = "release")]
    pub id: Option<String>,
    /// Compare two releases instead of two versions of one artefact.
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"], conflicts_with_all = ["id", "key"])]
    pub release: Option<Vec<String>>,
    /// The older side (default: the latest baseline).
    pub from: Option<String>,
    /// The newer side (default: the latest version, or the working file if it differs).
    pub to: Option<String>,
    /// Output format (default: from the extension of -o FILE, else term).
    #[arg(long, value_parser = super::values::choice::<RedlineFormat>())]
    pub format: Option<RedlineFormat>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Pair rows by this column instead of the artefact's key: for a table, its
    /// column; for a workbook, a column of every sheet, or "Sheet=Column" for
    /// one sheet (several joined with ";").
    #[arg(long, value_name = "COLUMN")]
    pub key: Option<String>,
    /// HTML: show old and new side by side instead of inline.
    #[arg(long)]
    pub side_by_side: bool,
    /// Unchanged lines shown around each change.
    #[arg(long, value_name = "LINES", default_value_t = 3)]
    pub context: usize,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    if let Some(releases) = &args.release {
        return super::release_redline::run(repo, releases, &args);
    }
    let id = args.id.clone().unwrap_or_default();
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(RedlineFormat::of_file))
        .unwrap_or(RedlineFormat::Rendered(Format::Term));
    if let (RedlineFormat::Docx | RedlineFormat::Xlsx, None) = (format, &args.output) {
        let name = Choice::name(format);
        return Err(Error::usage(
            format!("a {name} redline is a file, not text for the terminal"),
            format!(
                "name the file to write: baseline redline {} … --format {name} -o FILE.{name}",
                id
            ),
        ));
    }
    let snapshot = repo.snapshot()?;
    let compared = crate::ops::redline::redline(
        &snapshot,
        &crate::ops::redline::Options {
            artefact: &id,
            from: args.from.as_deref(),
            to: args.to.as_deref(),
            key: args.key.as_deref(),
        },
    )?;
    let mut options = Options {
        format: Format::Term,
        colour: false,
        side_by_side: args.side_by_side,
        context: args.context,
    };
    match (format, &args.output) {
        (RedlineFormat::Docx | RedlineFormat::Xlsx, Some(path)) => {
            let copy = if format == RedlineFormat::Docx {
                crate::ops::redline::tracked_docx(&snapshot, &compared)?
            } else {
                crate::ops::redline::tracked_xlsx(&compared)?
            };
            std::fs::write(path, copy).map_err(io_at(path))?;
            wrote(format, &id, path)?;
        }
        (RedlineFormat::Rendered(rendered), Some(path)) => {
            options.format = rendered;
            let mut file =
                std::io::BufWriter::new(std::fs::File::create(path).map_err(io_at(path))?);
            render::render(&compared, &options, &mut file)?;
            file.flush().map_err(io_at(path))?;
            wrote(format, &id, path)?;
        }
        (_, None) => {
            if let RedlineFormat::Rendered(rendered) = format {
                options.format = rendered;
            }
            let stdout = std::io::stdout();
            options.colour = stdout.is_terminal()
                && anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
            let mut out = std::io::BufWriter::new(stdout.lock());
            render::render(&compared, &options, &mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn wrote(format: RedlineFormat, id: &str, path: &std::path::Path) -> Result<()> {
    writeln!(
        super::output::stdout(),
        "Wrote the {} redline of {id} to {}",
        Choice::name(format),
        path.display()
    )?;
    Ok(())
}
