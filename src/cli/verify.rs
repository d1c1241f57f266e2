use std::io::Write;

use crate::audit::pack::check::PackReport;
use crate::audit::verify::{self, Report};
use crate::error::{Error, Result};
use crate::repo::Repo;

use super::output::{Format, FormatArg, paint, print_json, shown, stdout};
use super::style;

/// The audit: prove that nothing was altered since it was recorded.
///
/// Checks that every version's content hashes to its recorded sha256 and blob; that
/// every baseline has its annotated tag on the commit that recorded it and keeps
/// the rules (approved decisions dated on or before it, approved changes once under
/// change control, a byte-identical promoted draft); that no record was edited or
/// deleted after it was committed and version numbers only increase; that every
/// cross-reference resolves; and that no half-written work is left. Exits 0 when
/// clean, 1 with findings.
///
/// A clean check of the whole history is remembered under `.git/` (the commit
/// it reached and the baseline tags it checked), and the next one checks only
/// the commits since, as `--range` would, with every tag; `--no-cache` checks
/// everything again.
///
/// `--pack DIR` checks a publication pack instead, with or without the
/// repository it came from.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Check only what the commits OLD..NEW added (for a pre-receive hook or CI).
    #[arg(long, value_name = "OLD..NEW")]
    pub range: Option<String>,
    /// Complete or roll back half-written work and make missing tags, then check again.
    #[arg(long)]
    pub repair: bool,
    /// Check the whole history again, not only the commits since the last clean
    /// verify (as an auditor checking a repository for the first time would).
    #[arg(long, conflicts_with = "range")]
    pub no_cache: bool,
    /// Check a publication pack (the folder `baseline publish` wrote, unzipped)
    /// instead: every file against its manifest, and inside the design
    /// repository also against the recorded release and versions. Needs no
    /// repository.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["range", "repair", "no_cache"])]
    pub pack: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let bar = super::output::Progress::new("verifying {bar:30} {pos}/{len} commits");
    let progress = |done: usize, total: usize| bar.set(done, total);
    let scope = verify::Scope {
        range: args.range.as_deref(),
        use_cache: !args.no_cache,
    };
    let mut report = verify::verify(repo, scope, &progress)?;
    if args.repair
        && (report.findings.iter().any(|f| f.repairable()) || !report.shallow_from.is_empty())
    {
        let repaired = verify::repair(repo, &report)?;
        report = verify::verify(repo, scope, &progress)?;
        report.repaired = repaired;
    }
    bar.finish();
    if args.format.format == Format::Json {
        print_json(&report)?;
    } else {
        print_report(&report)?;
    }
    if report.findings.is_empty() {
        Ok(())
    } else {
        Err(Error::refused(
            format!("verify found {} problem(s)", report.findings.len()),
            if report.findings.iter().any(|f| f.repairable()) {
                "some can be put right with `baseline verify --repair`; the others need the records restored from a trusted clone"
            } else {
                "restore the records named from a trusted clone, and find out who changed them with `git log -p`"
            },
        ))
    }
}

fn print_report(report: &Report) -> Result<()> {
    let mut out = stdout();
    for line in &report.repaired {
        writeln!(out, "repaired: {line}")?;
    }
    let scope = report
        .range
        .as_deref()
        .map_or("history".to_string(), |r| format!("the commits {r}"));
    writeln!(
        out,
        "Checked {} commits of {scope}, {} versions, {} baselines",
        report.commits, report.versions, report.baselines
    )?;
    if let Some(cached) = &report.cached {
        writeln!(
            out,
            "{} history up to commit {} was found clean by an earlier verify and not read again; `baseline verify --no-cache` checks it all.",
            paint("note:", style::DRAFT),
            &cached[..cached.len().min(12)]
        )?;
    }
    if !report.shallow_from.is_empty() {
        writeln!(
            out,
            "{} the history here is incomplete (a shallow clone): it begins at commit {}. Records already there are checked against their content, tags and rules, not against the commits that recorded them; `git fetch --unshallow` fetches the rest.",
            paint("note:", style::DRAFT),
            report.shallow_from.join(", ")
        )?;
    }
    if report.findings.is_empty() {
        writeln!(
            out,
            "{}",
            paint(
                "No findings: every record is as it was committed.",
                style::OK
            )
        )?;
    }
    for f in &report.findings {
        let commit = f
            .commit
            .as_deref()
            .map(|c| format!(" (commit {})", &c[..c.len().min(12)]))
            .unwrap_or_default();
        writeln!(
            out,
            "{} {} {}{commit}: {}",
            paint("✗", style::BAD),
            paint(f.check(), style::HEADING),
            f.record,
            f.message()
        )?;
    }
    Ok(())
}

/// `verify --pack`: against the records too when `repo` holds a design.
pub fn run_pack(repo: Option<&Repo>, dir: &std::path::Path, format: Format) -> Result<()> {
    let bar = super::output::Progress::new("verifying {bar:30} {pos}/{len} commits");
    let progress = |done: usize, total: usize| bar.set(done, total);
    let report = crate::audit::pack::check::check(dir, repo, &progress)?;
    bar.finish();
    if format == Format::Json {
        print_json(&report)?;
    } else {
        print_pack_report(&report)?;
    }
    if report.findings.is_empty() {
        return Ok(());
    }
    // Where the repository's own records fail, the fault may not be the pack's.
    let hint = if report
        .findings
        .iter()
        .any(|f| f.code == "pack-records-unverified")
    {
        "run `baseline verify` in the repository to see which records were altered, and check the pack against a trusted clone"
    } else {
        "do not rely on the files named; ask the publisher for the pack again, or publish it again with `baseline publish`"
    };
    Err(Error::refused(
        format!(
            "the pack in {} has {} problem(s)",
            report.pack,
            report.findings.len()
        ),
        hint,
    ))
}

fn print_pack_report(report: &PackReport) -> Result<()> {
    let mut out = stdout();
    writeln!(
        out,
        "Checked the pack of {} release {} in {}: {} file(s) against its manifest (SHA-256 {}), made from commit {}",
        shown(&report.programme),
        shown(&report.release),
        shown(&report.pack),
        report.files,
        report.manifest_sha256,
        &report.commit[..12]
    )?;
    if report.against_repository {
        writeln!(
            out,
            "Checked too against this repository, its records verified first: the programme, the release's date and the commit are the recorded ones, and the baselined copies are the versions release {} records, byte for byte; the release note, register and red-lined copies are checked against the manifest only.",
            shown(&report.release)
        )?;
    } else {
        writeln!(
            out,
            "{} not inside its design repository: the files were checked against the manifest only; compare the manifest's SHA-256 with the one announced with the pack.",
            paint("note:", style::DRAFT)
        )?;
    }
    if report.findings.is_empty() {
        let verdict = if report.against_repository {
            "No findings: every file is as the manifest lists it, and the baselined copies are the recorded versions."
        } else {
            "No findings: every file is as the manifest lists it."
        };
        writeln!(out, "{}", paint(verdict, style::OK))?;
    }
    for f in &report.findings {
        writeln!(
            out,
            "{} {} {}",
            paint("✗", style::BAD),
            paint(f.code, style::HEADING),
            shown(&f.message)
        )?;
    }
    Ok(())
}
