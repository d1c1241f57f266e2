//! The release note: what the release is, who approved it, and what changed
//! since the previous release — by artefact, by change and by decision.

use std::fmt::Write;

use maud::{Markup, html};

use super::page::{href, page};
use super::{PackArtefact, PackContents};
use crate::audit::release_diff::ArtefactChange;
use crate::redline::render::markdown_escape_cell as escape;

fn heading(pack: &PackContents) -> String {
    let release = &pack.release;
    match &release.title {
        Some(title) => format!("{} release {} — {title}", pack.programme, release.id),
        None => format!("{} release {}", pack.programme, release.id),
    }
}

fn opening(pack: &PackContents) -> String {
    let release = &pack.release;
    let follows = match &pack.previous {
        Some(previous) => format!("It follows {} ({}).", previous.id, previous.date),
        None => "It is the first release.".to_string(),
    };
    format!(
        "Release {}, dated {}, approved by {}, contains {} baselined artefact version(s). {follows}",
        release.id,
        release.date,
        release.decisions.join(", "),
        release.artefacts.len()
    )
}

fn since(pack: &PackContents) -> String {
    pack.previous
        .as_ref()
        .map_or("first release".to_string(), |p| format!("since {}", p.id))
}

fn version_change(a: &PackArtefact) -> String {
    match (&a.previous, a.change) {
        (Some(previous), ArtefactChange::Changed) => format!("v{previous} → v{}", a.version),
        _ => format!("v{}", a.version),
    }
}

fn changed(pack: &PackContents) -> impl Iterator<Item = &PackArtefact> {
    pack.artefacts
        .iter()
        .filter(|a| a.change != ArtefactChange::Unchanged)
}

pub fn note_markdown(pack: &PackContents) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(format!("# {}\n", escape(&heading(pack))));
    line(format!("{}\n", escape(&opening(pack))));
    if let Some(note) = &pack.release.note {
        line(format!("{}\n", escape(note)));
    }
    line("## Approved by\n".into());
    for d in &pack.decisions {
        let meeting = d
            .meeting
            .as_deref()
            .map_or(String::new(), |m| format!(", {m}"));
        line(format!(
            "- **{}** ({}, {}{meeting}): {}",
            d.id,
            d.outcome,
            d.date,
            escape(&d.text)
        ));
    }
    line(format!("\n## What changed ({})\n", since(pack)));
    line("| Artefact | Title | Change | Version | Decisions | Changes | Signed by |".into());
    line("|---|---|---|---|---|---|---|".into());
    for a in changed(pack) {
        line(format!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            a.id,
            escape(&a.title),
            a.change.word(),
            version_change(a),
            a.decisions_since.join(", "),
            a.changes_since.join(", "),
            escape(&signer(a))
        ));
    }
    for (id, version) in &pack.removed {
        line(format!("| {id} | | removed | was v{version} | | | |"));
    }
    line("\n## Changes implemented\n".into());
    if pack.changes.is_empty() {
        line("None named by the release.".into());
    }
    for c in &pack.changes {
        line(format!(
            "- **{}** ({}, {}): {} — in {}",
            c.id,
            c.kind,
            c.state,
            escape(&c.title),
            or_none(&c.artefacts)
        ));
    }
    line("\n## Contents\n".into());
    for a in &pack.artefacts {
        line(format!(
            "- {} {} v{} ({})",
            a.id,
            escape(&a.title),
            a.version,
            a.change.word()
        ));
    }
    line(format!(
        "\nMade {} by {} from commit {}.",
        pack.made.at,
        escape(&pack.made.by),
        pack.made.commit
    ));
    out
}

fn or_none(ids: &[String]) -> String {
    if ids.is_empty() {
        "no artefact of this release".to_string()
    } else {
        ids.join(", ")
    }
}

pub fn note_html(pack: &PackContents) -> String {
    let title = heading(pack);
    let mut removed = String::new();
    for (id, version) in &pack.removed {
        let _ = write!(removed, "{id} (was v{version}) ");
    }
    page(
        &title,
        html! {
            h1 { (title) }
            p { (opening(pack)) }
            @if let Some(note) = &pack.release.note { p { (note) } }
            h2 { "Approved by" }
            ul {
                @for d in &pack.decisions {
                    li { strong { (d.id) } " (" (d.outcome) ", " (d.date)
                        @if let Some(m) = &d.meeting { ", " (m) }
                        "): " (d.text) }
                }
            }
            h2 { "What changed (" (since(pack)) ")" }
            (changed_table(pack))
            @if !removed.is_empty() { p { "Removed: " (removed.trim_end()) } }
            h2 { "Changes implemented" }
            @if pack.changes.is_empty() { p { "None named by the release." } }
            ul {
                @for c in &pack.changes {
                    li { strong { (c.id) } " (" (c.kind) ", " (c.state) "): " (c.title) " — in " (or_none(&c.artefacts)) }
                }
            }
            p.made { "Made " (pack.made.at) " by " (pack.made.by) " from commit " code { (pack.made.commit) } "." }
        },
    )
}

fn changed_table(pack: &PackContents) -> Markup {
    html! {
        table {
            thead { tr { th { "Artefact" } th { "Title" } th { "Change" } th { "Version" } th { "Decisions" } th { "Changes" } th { "Signed by" } th { "Red-lined copy" } } }
            tbody {
                @for a in changed(pack) {
                    tr {
                        th scope="row" { (a.id) }
                        td { a href=(href(&a.file)) { (a.title) } }
                        td { (a.change.word()) }
                        td { (version_change(a)) }
                        td { (a.decisions_since.join(", ")) }
                        td { (a.changes_since.join(", ")) }
                        td { (signer(a)) }
                        td { @if let Some(r) = &a.redline { a href=(href(r)) { "red-lined" } } @else { "—" } }
                    }
                }
            }
        }
    }
}

/// Who signed the version's baseline tag, as its record names them; "—" for
/// an unsigned one.
fn signer(a: &super::PackArtefact) -> String {
    a.signed_by
        .as_ref()
        .map_or_else(|| "—".to_string(), |s| format!("{} ({})", s.name, s.role))
}
