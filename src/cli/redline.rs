use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::error::{Result, io_at};
use crate::redline::render::{self, Format, Options};
use crate::repo::Repo;

/// Show what changed between two versions of an artefact.
///
/// Text and Markdown are compared line by line, then word by word inside each
/// changed block (Markdown changes are labelled with their heading path); CSV/TSV
/// tables with a key column are compared row by row and cell by cell. Every redline
/// is headed by both versions (status, date, sha256), the decisions and change
/// requests behind both (recorded on FROM, TO and the versions between), and
/// summary counts.
///
/// FROM defaults to the latest baseline; TO to the latest recorded version, or the
/// working file where it differs. Each side may be written 1.0, @1.0 or DES196@1.0,
/// and likewise baseline, latest or working.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The artefact's id.
    pub id: String,
    /// The older side (default: the latest baseline).
    pub from: Option<String>,
    /// The newer side (default: the latest version, or the working file if it differs).
    pub to: Option<String>,
    /// Output format.
    #[arg(long, value_parser = super::values::choice::<Format>(), default_value = "term")]
    pub format: Format,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// HTML: show old and new side by side instead of inline.
    #[arg(long)]
    pub side_by_side: bool,
    /// Unchanged lines shown around each change.
    #[arg(long, value_name = "LINES", default_value_t = 3)]
    pub context: usize,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let compared = crate::ops::redline::redline(
        &snapshot,
        &crate::ops::redline::Options {
            artefact: &args.id,
            from: args.from.as_deref(),
            to: args.to.as_deref(),
        },
    )?;
    let mut options = Options {
        format: args.format,
        colour: false,
        side_by_side: args.side_by_side,
        context: args.context,
    };
    match &args.output {
        Some(path) => {
            let mut file =
                std::io::BufWriter::new(std::fs::File::create(path).map_err(io_at(path))?);
            render::render(&compared, &options, &mut file)?;
            file.flush().map_err(io_at(path))?;
            let format = super::values::Choice::name(args.format);
            writeln!(
                super::output::stdout(),
                "Wrote the {format} redline of {} to {}",
                args.id,
                path.display()
            )?;
        }
        None => {
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
