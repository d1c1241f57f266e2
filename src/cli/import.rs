use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Result;
use crate::import::Plan;
use crate::import::plan::Status;
use crate::ops::import::Imported;
use crate::repo::Repo;

use super::output::{Format, FormatArg, paint, print_json, short_sha, shown, stdout};
use super::style;

/// Import records from the design authority's documents.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Import a meeting's headline report: the meeting, its decisions (with area,
    /// outcome and authority), its actions (owner, due date), and the change
    /// requests they name, with the lifecycle step each decision makes.
    ///
    /// FILE is the report's text, e.g. from `pdftotext report.pdf report.txt`.
    /// It is read by its layout (the actions and decisions tables, the
    /// discussion), whatever extraction did to its lines. A decision is linked
    /// to the registered artefacts it names by id (DES196, DES-196), so that
    /// `approve` can check them; one named only by title is suggested, with the
    /// `decision correct` command that links it. A change a decision only names
    /// (a baseline incorporating it, a note) is recorded on the decision as a
    /// relationship, with no step. Sentences the importer cannot classify stay in
    /// the decision's text and are listed, with their line, as "not understood".
    /// Importing the same report again records nothing; a report that
    /// contradicts records already here is refused as a whole, each difference
    /// shown. The ids the report uses are read with the patterns under [import]
    /// in baseline.toml. What the parser cannot place is a warning with its line.
    Report(ReportArgs),
    /// Adopt a programme's existing artefacts from its own register, at the
    /// versions the register gives, in one commit.
    ///
    /// For a programme that already keeps its design artefacts elsewhere: every
    /// row of REGISTER is registered as an artefact whose first version is a
    /// baseline at the row's version (5.6.1 stays 5.6.1), with its file's exact
    /// bytes, citing the approved decision that adopts them (--decision) and
    /// tagged ID/vVERSION as any baseline is. Later versions continue as usual
    /// with `draft` and `approve`.
    ///
    /// The register's header row names its columns (in any order; case, spaces
    /// and punctuation do not matter; other columns are ignored):
    ///
    ///   Doc Number   the artefact's id, e.g. DES138 (required; "Document Number" too)
    ///   Short Name   its title (required; "Title" too)
    ///   Version      the version it is at, e.g. 5.6.1 or v5.6.1 (required)
    ///   File         its file in the --files folder (required; "File Name" too),
    ///                e.g. "DES138 Interface Catalogue v5.6.1.xlsx"
    ///   Sub Type     what sort of artefact it is (optional; "Kind" too)
    ///   Status       where present, each row must be Baselined, Approved or Published
    ///   Owner        who owns it (optional)
    ///
    /// The file is kept in the repository as artefacts/ID/id.ext (e.g.
    /// artefacts/DES138/des138.xlsx); its name in the register is kept in the
    /// version record. In a workbook the rows come from the first sheet that
    /// has those columns. A version in a workbook must be text, not a number
    /// (Excel keeps 1.10 typed as a number as 1.1).
    ///
    /// Nothing is recorded unless every row is good. A bad row — a file that
    /// is missing or outside the folder, an id listed twice, already registered
    /// or not matching the programme's id pattern, a version that is not a
    /// dotted number, a status that is not baselined — is reported with its row
    /// number as the spreadsheet shows it (in a CSV file the header is row 1)
    /// and its column, and all bad rows are reported together. The decision must be
    /// recorded, approved, dated on or before --date and, where it lists
    /// artefacts, list every one adopted. Use --dry-run first, e.g.
    ///
    ///   baseline import register register.xlsx --files Published --decision DAG-DEC64 --dry-run
    #[command(verbatim_doc_comment)]
    Register(super::import_register::Args),
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The report as text.
    pub file: PathBuf,
    /// Show what would be recorded, and record nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub format: FormatArg,
}

/// The JSON shape of `baseline import report --format json`.
#[derive(Serialize)]
struct Outcome<'p> {
    dry_run: bool,
    /// Whether a commit was made (false on a dry run, or when nothing was new).
    recorded: bool,
    commit: Option<String>,
    #[serde(flatten)]
    plan: &'p Plan,
}

pub fn run(repo: &Repo, dir: &Path, command: Command) -> Result<()> {
    match command {
        Command::Report(args) => report(repo, dir, args),
        Command::Register(args) => super::import_register::run(repo, dir, args),
    }
}

fn report(repo: &Repo, dir: &Path, args: ReportArgs) -> Result<()> {
    let Imported { plan, commit } =
        crate::ops::import::report(repo, dir, &args.file, args.dry_run)?;
    if args.format.format == Format::Json {
        return print_json(&Outcome {
            dry_run: args.dry_run,
            recorded: commit.is_some(),
            commit: commit.map(|c| c.to_string()),
            plan: &plan,
        });
    }
    let mut out = stdout();
    if plan.is_unchanged() {
        print_warnings(&mut out, &plan)?;
    } else {
        print_plan(&mut out, &plan)?;
    }
    let summary = summary(&plan);
    match (commit, args.dry_run) {
        (_, true) if plan.is_unchanged() => writeln!(
            out,
            "Dry run: nothing new to record; {} is already imported as the report has it.",
            plan.meeting.record.id
        )?,
        (_, true) => writeln!(
            out,
            "Dry run: nothing recorded. Importing would record {summary}."
        )?,
        (Some(commit), false) => writeln!(
            out,
            "Recorded {summary} in commit {}.",
            short_sha(&commit.to_string())
        )?,
        (None, false) => writeln!(
            out,
            "Nothing new to record: {} is already imported as the report has it.",
            plan.meeting.record.id
        )?,
    }
    Ok(())
}

fn summary(plan: &Plan) -> String {
    let new = |statuses: &mut dyn Iterator<Item = Status>| {
        statuses.filter(|s| *s != Status::Unchanged).count()
    };
    let steps: usize = plan.changes.iter().map(|c| c.new_steps.len()).sum();
    format!(
        "{} meeting, {} decision(s), {} action(s) and {} change step(s)",
        new(&mut std::iter::once(plan.meeting.status)),
        new(&mut plan.decisions.iter().map(|d| d.status)),
        new(&mut plan.actions.iter().map(|a| a.status)),
        steps
    )
}

fn status(status: Status) -> String {
    let (word, style) = match status {
        Status::New => ("new", style::BASELINED),
        Status::Updated => ("updated", style::DRAFT),
        Status::Unchanged => ("unchanged", style::DIM),
    };
    paint(format!("{word:<9}"), style)
}

fn print_plan(out: &mut impl Write, plan: &Plan) -> Result<()> {
    let m = &plan.meeting.record;
    writeln!(
        out,
        "{} {} (sha256 {})",
        paint("Headline report", style::HEADING),
        plan.report.file,
        short_sha(&plan.report.sha256)
    )?;
    let details: Vec<String> = [
        m.body.clone(),
        Some(match &m.time {
            Some(time) => format!("{} {time}", m.date),
            None => m.date.to_string(),
        }),
        m.venue.clone(),
        m.classification.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    writeln!(
        out,
        "{} meeting {} — {}",
        status(plan.meeting.status),
        paint(&m.id, style::HEADING),
        details.join(", ")
    )?;
    writeln!(out, "\n{}", paint("Decisions", style::HEADING))?;
    for item in &plan.decisions {
        let d = &item.record;
        let mut facts = vec![d.outcome.to_string(), d.date.to_string()];
        facts.extend(d.authority.iter().map(|a| format!("by {}", shown(a))));
        if !d.artefacts.is_empty() {
            facts.push(format!("covers {}", d.artefacts.join(", ")));
        }
        if !d.changes.is_empty() {
            facts.push(format!("decides {}", d.changes.join(", ")));
        }
        for relation in &d.relates_to {
            facts.push(format!("{} {}", relation.relation, relation.change));
        }
        if let Some(votes) = &d.votes {
            facts.push(format!("votes: {votes}"));
        }
        writeln!(
            out,
            "  {} {}  {}",
            status(item.status),
            paint(&d.id, style::HEADING),
            facts.join(" · ")
        )?;
        if let Some(area) = &d.area {
            writeln!(out, "            area: {}", shown(area))?;
        }
        writeln!(out, "            {}", shown(&d.text))?;
    }
    writeln!(out, "\n{}", paint("Actions", style::HEADING))?;
    for item in &plan.actions {
        let a = &item.record;
        let due = a
            .current_due()
            .map_or_else(|| "no due date".to_string(), |d| format!("due {d}"));
        writeln!(
            out,
            "  {} {}  {} · {}",
            status(item.status),
            paint(&a.id, style::HEADING),
            shown(a.owner.as_deref().unwrap_or("no owner")),
            due
        )?;
        writeln!(out, "            {}", shown(&a.text))?;
        for step in &item.new_steps {
            let due = step.due.map_or_else(String::new, |d| format!(", due {d}"));
            let note = step
                .note
                .as_ref()
                .map_or_else(String::new, |n| format!(": {}", shown(n)));
            writeln!(
                out,
                "            → {} on {}{due}{note}",
                step.state, step.date
            )?;
        }
    }
    writeln!(out, "\n{}", paint("Changes", style::HEADING))?;
    for item in &plan.changes {
        let c = &item.record;
        writeln!(
            out,
            "  {} {}  {} — {}",
            status(item.status),
            paint(&c.id, style::HEADING),
            c.state(),
            c.title()
        )?;
        for step in &item.new_steps {
            let by = step
                .decision
                .as_ref()
                .map_or_else(String::new, |d| format!(" by {d}"));
            writeln!(out, "            → {}{by} on {}", step.state, step.date)?;
        }
    }
    writeln!(out)?;
    print_not_understood(out, plan)?;
    print_suggestions(out, plan)?;
    print_warnings(out, plan)
}

fn print_not_understood(out: &mut impl Write, plan: &Plan) -> Result<()> {
    if plan.not_understood.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{} ({}): kept word for word in the decision's text; check them against the minutes",
        paint("Not understood", style::DRAFT),
        plan.not_understood.len()
    )?;
    for item in &plan.not_understood {
        writeln!(
            out,
            "  line {} {}: {}",
            item.line,
            item.decision,
            shown(&item.sentence)
        )?;
    }
    writeln!(out)?;
    Ok(())
}

fn print_suggestions(out: &mut impl Write, plan: &Plan) -> Result<()> {
    if plan.suggestions.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{} ({}): artefacts named by title only are not linked; once imported, link them with",
        paint("Suggestions", style::DRAFT),
        plan.suggestions.len()
    )?;
    for item in &plan.suggestions {
        let named: Vec<String> = item
            .artefacts
            .iter()
            .map(|a| format!("{} ({})", shown(&a.title), a.id))
            .collect();
        writeln!(
            out,
            "  line {} {} names {}:\n    {}",
            item.line,
            item.decision,
            named.join(", "),
            shown(&item.command)
        )?;
    }
    writeln!(out)?;
    Ok(())
}

fn print_warnings(out: &mut impl Write, plan: &Plan) -> Result<()> {
    if !plan.warnings.is_empty() {
        writeln!(
            out,
            "{} ({})",
            paint("Warnings", style::DRAFT),
            plan.warnings.len()
        )?;
        for warning in &plan.warnings {
            writeln!(out, "  {warning}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}
