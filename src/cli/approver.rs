use std::io::Write;
use std::path::PathBuf;

use crate::error::Result;
use crate::model::Date;
use crate::ops::approver::{self, AddOptions};
use crate::repo::Repo;

use super::output::{Format, FormatArg, Table, cell, paint, print_json, shown, stdout};
use super::style;

/// Who may sign baselines: the `approvers` file, changed only as recorded
/// events citing a decision.
///
/// The file is git's allowed-signers format (`ssh-keygen -Y verify -f
/// approvers` reads it), one line per approver with their SSH key, its
/// validity and their role. `approve --sign` signs with an approver's key;
/// `verify` checks each signed baseline against the approvers as they were
/// when it was made, and reports any edit of the file made otherwise.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List an approver's key under an approved decision.
    Add(AddArgs),
    /// Take an approver off the list under an approved decision; baselines
    /// they signed stand.
    Remove(RemoveArgs),
    /// Who may sign, in which role, with which key, and when.
    List(FormatArg),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The approver's name, one word (an email address is usual).
    pub name: String,
    /// Their public key file: SSH (e.g. id_ed25519.pub), OpenPGP (`gpg
    /// --export --armor KEYID > key.asc`, armored or binary, one key) or an
    /// X.509 certificate (`gpgsm --export --armor FPR > cert.pem`, PEM or
    /// DER, one certificate).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// What their signature means, one word: e.g. dag-chair, design-authority.
    #[arg(long, value_name = "ROLE")]
    pub role: String,
    /// The first day the key may sign, YYYY-MM-DD (default: --date).
    #[arg(long, value_parser = super::values::date, value_name = "D")]
    pub from: Option<Date>,
    /// The last day the key may sign, YYYY-MM-DD (default: no end).
    #[arg(long, value_parser = super::values::date, value_name = "D")]
    pub until: Option<Date>,
    /// The approved decision that appointed them.
    #[arg(long, value_name = "DEC")]
    pub decision: String,
    /// When the change takes effect, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
}

#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The approver's name.
    pub name: String,
    /// The approved decision that removed them.
    #[arg(long, value_name = "DEC")]
    pub decision: String,
    /// When the change takes effect, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
}

pub fn run(repo: &Repo, command: Command) -> Result<()> {
    let today = crate::model::date::today;
    match command {
        Command::Add(args) => {
            let change = approver::add(
                repo,
                &AddOptions {
                    name: &args.name,
                    key_file: &args.key,
                    role: &args.role,
                    from: args.from,
                    until: args.until,
                    decision: &args.decision,
                    date: args.date.unwrap_or_else(today),
                },
            )?;
            let a = &change.approver;
            writeln!(
                stdout(),
                "Added approver {} as {} under {}: key {} may sign baselines {}",
                paint(&a.name, style::HEADING),
                shown(&a.role),
                change.decision,
                a.key.fingerprint,
                a.validity()
            )?;
            Ok(())
        }
        Command::Remove(args) => {
            let date = args.date.unwrap_or_else(today);
            let change = approver::remove(repo, &args.name, &args.decision, date)?;
            writeln!(
                stdout(),
                "Removed approver {} ({}) under {} on {}; the baselines they signed stand",
                paint(&change.approver.name, style::HEADING),
                shown(&change.approver.role),
                change.decision,
                change.date
            )?;
            Ok(())
        }
        Command::List(format) => {
            let listed = approver::list(&repo.snapshot()?)?;
            if format.format == Format::Json {
                return print_json(&listed);
            }
            let mut out = stdout();
            if listed.is_empty() {
                writeln!(
                    out,
                    "No approvers: add one with `baseline approver add NAME --key FILE --role ROLE --decision DEC`"
                )?;
                return Ok(());
            }
            let mut table = Table::new(vec![
                "APPROVER", "ROLE", "FORMAT", "KEY", "MAY SIGN", "ADDED",
            ]);
            for l in &listed {
                let a = &l.approver;
                let validity = if l.valid_today {
                    a.validity()
                } else {
                    format!("{} (not today)", a.validity())
                };
                let added = l.added.as_ref().map_or("-".to_string(), |added| {
                    format!("{} under {}", added.date, added.decision)
                });
                table.row(vec![
                    (a.name.clone(), style::HEADING),
                    cell(&a.role),
                    cell(a.key.format.to_string()),
                    cell(&a.key.fingerprint),
                    cell(validity),
                    cell(added),
                ]);
            }
            writeln!(out, "{}", paint("Approvers (approvers)", style::HEADING))?;
            table.print(&mut out)
        }
    }
}
