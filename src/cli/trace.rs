use std::io::Write;

use crate::audit::trace::{self, Trace, VersionLink};
use crate::error::Result;
use crate::repo::Repo;

use super::change::print_change;
use super::decision::print_decision;
use super::output::{
    Format, FormatArg, pad, paint, print_json, shown, state_style, status_style, stdout,
};
use super::show::print_version;
use super::style;

/// Trace a version to its decisions, meetings, changes, commit and tag — or a
/// decision, change or meeting to every version and step it touched.
///
/// `trace DES196@1.0` (or @baseline, @latest) follows a version back;
/// `trace DAG-DEC57`, `trace CR018` and `trace DAG026` follow a decision, a change
/// or a meeting forward; `trace IR8.5` shows a release, what approved it and
/// what it contains.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A version REF (DES196@1.0), a decision (DAG-DEC57), a change (CR027), a
    /// meeting (DAG026) or a release (IR8.5).
    pub what: String,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let traced = trace::trace(&snapshot, &args.what)?;
    if args.format.format == Format::Json {
        return print_json(&traced);
    }
    let mut out = stdout();
    match &traced {
        Trace::Version(t) => {
            let v = &t.version;
            writeln!(
                out,
                "{} {} — {}",
                paint(&t.artefact.id, style::HEADING),
                paint(&v.version, style::HEADING),
                shown(&t.artefact.title)
            )?;
            print_version(&mut out, v, "  ")?;
            writeln!(
                out,
                "  commit:      {}",
                t.commit.as_deref().unwrap_or("not found in history")
            )?;
            if let Some(tag) = &t.tag {
                let state = match (&tag.target, tag.matches) {
                    (_, true) => paint("points at that commit", style::OK),
                    (Some(target), false) => paint(
                        format!("points at {target}, not the recording commit"),
                        style::BAD,
                    ),
                    (None, false) => paint("MISSING", style::BAD),
                };
                writeln!(out, "  tag:         {} ({state})", tag.name)?;
                let recorded = v.signed_by.as_ref().map(|s| s.key.as_str());
                match (&tag.signature, recorded) {
                    (Some(sig), _) => {
                        // An X.509 signature names its certificate by issuer
                        // and serial number, which only gpgsm reads.
                        let key = match sig.key.as_deref() {
                            Some(key) => format!("key {key}"),
                            None => "certificate (unread: its record names it)".to_string(),
                        };
                        let agrees = match tag.key_agrees {
                            Some(true) => {
                                format!(" ({})", paint("the key the record names", style::OK))
                            }
                            Some(false) => {
                                format!(" ({})", paint("NOT the key the record names", style::BAD))
                            }
                            None => String::new(),
                        };
                        writeln!(
                            out,
                            "  signature:   {} {key}{agrees}, signed {} by {}; `baseline verify` checks it",
                            sig.format,
                            sig.signed_at.as_deref().unwrap_or("-"),
                            shown(sig.tagger.as_deref().unwrap_or("-"))
                        )?;
                    }
                    (None, Some(_)) => {
                        writeln!(out, "  signature:   {}", paint("MISSING", style::BAD))?
                    }
                    (None, None) => writeln!(out, "  signature:   none (not signed)")?,
                }
            }
            if let Some(draft) = &t.promoted_draft {
                let same = if draft.identical {
                    paint("byte-identical", style::OK)
                } else {
                    paint("DIFFERS", style::BAD)
                };
                writeln!(out, "  draft:       {} ({same})", draft.version)?;
            }
            writeln!(out, "\n{}", paint("Decisions", style::HEADING))?;
            if t.decisions.is_empty() {
                writeln!(out, "  none")?;
            }
            for d in &t.decisions {
                print_decision(&mut out, d, "  ")?;
            }
            for m in &t.meetings {
                writeln!(out, "  meeting {}: {}", m.id, meeting_line(m))?;
            }
            writeln!(out, "\n{}", paint("Changes", style::HEADING))?;
            if t.changes.is_empty() {
                writeln!(out, "  none")?;
            }
            for c in &t.changes {
                let approved = c
                    .approved
                    .as_ref()
                    .map(|s| {
                        format!(
                            ", approved {} by {}",
                            s.date,
                            s.decision.as_deref().unwrap_or("?")
                        )
                    })
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  {} {} — {} ({}{approved})",
                    c.kind,
                    paint(&c.id, style::HEADING),
                    shown(&c.title),
                    paint(c.state, state_style(c.state))
                )?;
            }
            writeln!(out, "\n{}", paint("Neighbours", style::HEADING))?;
            writeln!(out, "  previous:    {}", link(t.previous.as_ref()))?;
            writeln!(out, "  next:        {}", link(t.next.as_ref()))?;
            writeln!(out, "\n{}", paint("Releases", style::HEADING))?;
            writeln!(out, "  {}", super::output::or_dash(&t.releases))?;
        }
        Trace::Release(t) => print_release_trace(&mut out, t)?,
        Trace::Decision(t) => {
            print_decision(&mut out, &t.decision, "")?;
            if !t.supersedes.is_empty() {
                let older = super::output::or_dash(&t.supersedes);
                writeln!(out, "  supersedes: {older}")?;
            }
            writeln!(
                out,
                "\n{}",
                paint("Versions it baselined or approved", style::HEADING)
            )?;
            print_links(&mut out, &t.versions)?;
            writeln!(out, "\n{}", paint("Change steps it made", style::HEADING))?;
            if t.change_steps.is_empty() {
                writeln!(out, "  none")?;
            }
            for s in &t.change_steps {
                writeln!(
                    out,
                    "  {} {} on {} — {}",
                    paint(&s.change, style::HEADING),
                    paint(s.step.state, state_style(s.step.state)),
                    s.step.date,
                    shown(&s.title)
                )?;
            }
        }
        Trace::Meeting(t) => {
            writeln!(
                out,
                "{} — {}",
                paint(&t.meeting.id, style::HEADING),
                meeting_line(&t.meeting)
            )?;
            for d in &t.decisions {
                writeln!(out)?;
                print_decision(&mut out, &d.decision, "")?;
                for v in &d.versions {
                    writeln!(
                        out,
                        "  → {}@{} {} on {}",
                        v.artefact,
                        v.version,
                        paint(v.status, status_style(v.status)),
                        v.date
                    )?;
                }
                for s in &d.change_steps {
                    writeln!(
                        out,
                        "  → {} {} on {}",
                        s.change,
                        paint(s.step.state, state_style(s.step.state)),
                        s.step.date
                    )?;
                }
            }
            writeln!(out, "\n{}", paint("Actions", style::HEADING))?;
            if t.actions.is_empty() {
                writeln!(out, "  none")?;
            }
            for a in &t.actions {
                let due = a
                    .current_due()
                    .map_or_else(|| "no due date".into(), |d| format!("due {d}"));
                writeln!(
                    out,
                    "  {} {} ({due}) {} — {}",
                    paint(&a.id, style::HEADING),
                    a.state(),
                    shown(a.owner.as_deref().unwrap_or("—")),
                    shown(&a.text)
                )?;
            }
        }
        Trace::Change(t) => {
            print_change(&mut out, &t.change, "")?;
            if !t.excluded_by.is_empty() {
                writeln!(out, "  excluded by: {}", t.excluded_by.join(", "))?;
            }
            writeln!(out, "\n{}", paint("Decisions", style::HEADING))?;
            if t.decisions.is_empty() {
                writeln!(out, "  none")?;
            }
            for d in &t.decisions {
                print_decision(&mut out, d, "  ")?;
            }
            if !t.related_decisions.is_empty() {
                writeln!(
                    out,
                    "\n{}",
                    paint("Decisions that name it without deciding it", style::HEADING)
                )?;
                for d in &t.related_decisions {
                    print_decision(&mut out, d, "  ")?;
                }
            }
            writeln!(
                out,
                "\n{}",
                paint("Versions that implement it", style::HEADING)
            )?;
            print_links(&mut out, &t.versions)?;
        }
    }
    Ok(())
}

/// A meeting in one line: body, date and time, venue, and its report.
fn meeting_line(m: &crate::model::Meeting) -> String {
    let mut parts: Vec<String> = m.body.iter().cloned().collect();
    parts.push(match &m.time {
        Some(time) => format!("{} {time}", m.date),
        None => m.date.to_string(),
    });
    parts.extend(m.venue.iter().cloned());
    if let Some(report) = &m.report {
        parts.push(format!(
            "headline report {} (sha256 {})",
            report.file,
            super::output::short_sha(&report.sha256)
        ));
    }
    parts.join(", ")
}

fn link(v: Option<&VersionLink>) -> String {
    v.map_or("—".to_string(), |v| {
        format!(
            "{} ({}, {})",
            v.version,
            paint(v.status, status_style(v.status)),
            v.date
        )
    })
}

fn print_links(out: &mut impl Write, links: &[VersionLink]) -> Result<()> {
    if links.is_empty() {
        writeln!(out, "  none")?;
    }
    for v in links {
        writeln!(
            out,
            "  {}@{}  {}  {}  sha256 {}",
            paint(&v.artefact, style::HEADING),
            v.version,
            paint(pad(&v.status.to_string(), 9), status_style(v.status)),
            v.date,
            super::output::short_sha(&v.sha256)
        )?;
    }
    Ok(())
}

fn print_release_trace(out: &mut impl Write, t: &trace::ReleaseTrace) -> Result<()> {
    let r = &t.release;
    writeln!(out, "{} — {}", paint(&r.id, style::HEADING), r.date)?;
    if let Some(title) = &r.title {
        writeln!(out, "  title:     {}", shown(title))?;
    }
    writeln!(
        out,
        "  previous:  {}",
        r.previous.as_deref().unwrap_or("— (the first release)")
    )?;
    writeln!(out, "\n{}", paint("Approved by", style::HEADING))?;
    for d in &t.decisions {
        print_decision(out, d, "  ")?;
    }
    writeln!(out, "\n{}", paint("Changes it implements", style::HEADING))?;
    if t.changes.is_empty() {
        writeln!(out, "  none")?;
    }
    for c in &t.changes {
        writeln!(
            out,
            "  {} {} — {} ({})",
            c.kind,
            paint(&c.id, style::HEADING),
            shown(&c.title),
            paint(c.state, state_style(c.state))
        )?;
    }
    writeln!(out, "\n{}", paint("Versions it contains", style::HEADING))?;
    print_links(out, &t.versions)
}
