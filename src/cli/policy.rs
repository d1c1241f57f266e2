use std::io::Write;

use crate::error::Result;
use crate::model::Date;
use crate::ops::policy;
use crate::repo::Repo;

use super::output::{Format, FormatArg, Table, cell, paint, print_json, stdout};
use super::style;

/// The repository's policy — change control, the id patterns, the report
/// patterns — changed only as recorded events citing a decision.
///
/// `baseline.toml` holds the settings; `policy set` changes one in its own
/// commit citing the approved decision that changed it, and `verify` reports
/// any other edit of the file, and any baseline made while such an edit was in
/// force.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Change one setting under an approved decision.
    Set(SetArgs),
    /// Every setting, its value, and the decision that last changed it.
    Show(FormatArg),
}

#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// change_control, ids.artefact, ids.decision, ids.change, ids.meeting,
    /// ids.action, import.decision, import.action, import.change,
    /// import.meeting, import.footer, require_signed_baselines or
    /// signing_roles.
    pub key: String,
    /// true or false for change_control and require_signed_baselines; roles
    /// separated by commas for signing_roles (empty: any approver's role); a
    /// regular expression for a pattern.
    pub value: String,
    /// The approved decision that changed the policy.
    #[arg(long, value_name = "DEC")]
    pub decision: String,
    /// When the change takes effect, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
}

pub fn run(repo: &Repo, command: Command) -> Result<()> {
    match command {
        Command::Set(args) => {
            let date = args.date.unwrap_or_else(crate::model::date::today);
            let change = policy::set(repo, &args.key, &args.value, &args.decision, date)?;
            writeln!(
                stdout(),
                "Set {} to {} under {} on {}",
                change.key,
                change.value,
                change.decision,
                change.date
            )?;
            Ok(())
        }
        Command::Show(format) => {
            let settings = policy::show(&repo.snapshot()?)?;
            if format.format == Format::Json {
                return print_json(&settings);
            }
            let mut table = Table::new(vec!["SETTING", "VALUE", "CHANGED"]);
            for s in &settings {
                let changed = s
                    .changed
                    .as_ref()
                    .map_or("as initialised".to_string(), |c| {
                        format!("{} under {}", c.date, c.decision)
                    });
                table.row(vec![
                    (s.key.clone(), style::HEADING),
                    cell(&s.value),
                    cell(changed),
                ]);
            }
            let mut out = stdout();
            writeln!(out, "{}", paint("Policy (baseline.toml)", style::HEADING))?;
            table.print(&mut out)
        }
    }
}
