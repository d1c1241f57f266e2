use std::io::Write;
use std::path::PathBuf;

use crate::error::Result;
use crate::repo::Repo;

use super::output::{Format, FormatArg, paint, print_json, stdout};
use super::style;

/// Write a release's publication pack: a new folder to zip and send.
///
/// The folder holds `Baselined Design Artefacts/` (each version byte-identical
/// to the recorded one, named like "DES138 Interface Catalogue v5.6.1.xlsx"),
/// `Red-lined Design Artefacts/` (each artefact changed since the previous
/// release, red-lined from its version there: Word and Excel files with the
/// changes tracked, HTML for other formats), the register (CSV, Excel, HTML),
/// the release note (Markdown, HTML), `index.html` linking it all, and
/// `manifest.json` with the SHA-256 of every file and the commit it was made
/// from. Whoever receives it checks it with `baseline verify --pack DIR`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The release, e.g. IR8.5.
    pub release: String,
    /// The folder to write; it must not exist, or be empty.
    #[arg(value_name = "DIR")]
    pub folder: PathBuf,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(repo: &Repo, dir: &std::path::Path, args: Args) -> Result<()> {
    let bar = super::output::Progress::new("publishing {bar:30} {pos}/{len} artefacts");
    let progress = |done: usize, total: usize| bar.set(done, total);
    let published =
        crate::ops::publish::publish(repo, &args.release, &dir.join(&args.folder), &progress)?;
    bar.finish();
    let manifest = &published.manifest;
    if args.format.format == Format::Json {
        #[derive(serde::Serialize)]
        struct Shape<'a> {
            dir: String,
            notes: &'a [String],
            manifest: &'a crate::model::pack::Manifest,
        }
        return print_json(&Shape {
            dir: published.dir.display().to_string(),
            notes: &published.notes,
            manifest,
        });
    }
    let mut out = stdout();
    let versions = manifest
        .files
        .iter()
        .filter(|f| f.version.is_some())
        .count();
    let redlines = manifest
        .files
        .iter()
        .filter(|f| f.path.starts_with(crate::model::pack::REDLINED))
        .count();
    writeln!(
        out,
        "{} release {} to {}: {versions} baselined file(s), {redlines} red-lined, {} files in all, from commit {}",
        paint("Published", style::OK),
        manifest.release,
        published.dir.display(),
        manifest.files.len() + 1,
        &manifest.commit[..manifest.commit.len().min(12)]
    )?;
    for note in &published.notes {
        writeln!(out, "{} {note}", paint("note:", style::DRAFT))?;
    }
    writeln!(
        out,
        "Open {} to browse it; `baseline verify --pack \"{}\"` checks it.",
        published.dir.join("index.html").display(),
        published.dir.display()
    )?;
    Ok(())
}
