//! The redline as one self-contained, printable, accessible HTML page: no network
//! fetches, every piece of document text escaped (by maud), marks that do not rely
//! on colour (underline and strike-through, plus words for screen readers), a list
//! of changes with stable anchors, and j/k keys to move between them.

use std::io::Write;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::super::Compared;
use super::super::model::{Body, Hunk, HunkKind, Redline, RowKind, TableDiff, Word};
use super::super::text::split_lines;
use super::{Options, line_range, row_title, section_counts, summary_text};
use crate::error::Result;

const CSS: &str = r#"
:root { --ins: #dafbe1; --del: #ffe0e0; --ink: #1f2328; --muted: #57606a; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 4rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
table.sides, table.rows { border-collapse: collapse; margin: .75rem 0; }
table.sides th, table.sides td, table.rows th, table.rows td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
code, .doc, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; }
.doc { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem 1rem; }
.unchanged { color: var(--muted); }
details.unchanged summary { cursor: pointer; font-family: system-ui, sans-serif; font-style: italic; }
section.change { border-left: 4px solid #8c959f; padding-left: .6rem; margin: .4rem 0; }
section.change:focus { outline: 3px solid #0969da; outline-offset: 2px; }
.label { display: block; font-family: system-ui, sans-serif; font-size: 12px; color: var(--muted); }
ins { background: var(--ins); text-decoration: underline; text-decoration-thickness: 2px; }
del { background: var(--del); text-decoration: line-through; text-decoration-thickness: 2px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
nav.toolbar { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #d0d7de; padding: .4rem 0; z-index: 1; }
nav.changes ol { columns: 2; }
table.sbs { width: 100%; table-layout: fixed; border-collapse: collapse; }
table.sbs td { width: 50%; vertical-align: top; white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid #d0d7de; padding: .3rem .5rem; }
.warning { border: 2px solid #bf8700; padding: .4rem .6rem; }
@media print {
  nav.toolbar { display: none; }
  body { max-width: none; font-size: 11pt; }
  ins, del { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.change { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

const SCRIPT: &str = r#"
(function () {
  var changes = Array.prototype.slice.call(document.querySelectorAll('section.change, tr.change'));
  var current = -1;
  function go(step) {
    if (!changes.length) return;
    current = Math.max(0, Math.min(changes.length - 1, current + step));
    var target = changes[current];
    target.setAttribute('tabindex', '-1');
    target.focus();
    target.scrollIntoView({ block: 'center' });
    history.replaceState(null, '', '#' + target.id);
  }
  document.addEventListener('keydown', function (event) {
    if (event.target.closest && event.target.closest('input, textarea')) return;
    if (event.key === 'j' || event.key === 'n') go(1);
    if (event.key === 'k' || event.key === 'p') go(-1);
  });
  var next = document.getElementById('next'), previous = document.getElementById('previous');
  if (next) next.addEventListener('click', function () { go(1); });
  if (previous) previous.addEventListener('click', function () { go(-1); });
})();
"#;

pub fn render(compared: &Compared, options: &Options, out: &mut dyn Write) -> Result<()> {
    let r = &compared.redline;
    let title = format!(
        "Redline of {}: {} → {}",
        r.artefact.id, r.from.reference, r.to.reference
    );
    let body = html! {
        (header(r))
        (toolbar())
        (change_list(r))
        main { (content(compared, options)) }
    };
    out.write_all(page(&title, body).as_bytes())?;
    Ok(())
}

/// A self-contained page: the redline style, and the keys that move between
/// every change on it.
pub fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                (body)
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
    .into_string()
}

pub fn toolbar() -> Markup {
    html! {
        nav.toolbar aria-label="Move between changes" {
            button #previous type="button" { "Previous change" } " "
            button #next type="button" { "Next change" } " "
            small { "Keys: j or n for the next change, k or p for the previous." }
        }
    }
}

/// One redline as a section of a longer page (a release's): its header, its
/// list of changes and its content, its anchors prefixed with `id` and a `/`
/// (which no id holds) so that they stay unique on the page. It takes the
/// redline to rewrite its anchors, once.
pub fn section(mut compared: Compared, id: &str, options: &Options) -> Markup {
    prefix_anchors(&mut compared.redline.body, id);
    let compared = &compared;
    let r = &compared.redline;
    html! {
        section.artefact id=(id) aria-label={ "Redline of " (r.artefact.id) } {
            (header(r))
            (change_list(r))
            (content(compared, options))
        }
    }
}

fn prefix_anchors(body: &mut Body, prefix: &str) {
    match body {
        Body::Text { hunks } => {
            for h in hunks {
                h.anchor = format!("{prefix}/{}", h.anchor);
            }
        }
        Body::Table(table) => {
            for row in &mut table.rows {
                row.anchor = format!("{prefix}/{}", row.anchor);
            }
        }
        Body::Binary => {}
    }
}

fn content(compared: &Compared, options: &Options) -> Markup {
    let r = &compared.redline;
    html! {
        @if let Some(structure) = &r.structure {
            section aria-label="Structure" {
                h2 { "Structure" }
                @if structure.is_empty() { p { "No key was added, removed or changed." } }
                ul {
                    @for change in structure {
                        li { (super::key_change_text(change)) }
                    }
                }
            }
        }
        @for (heading, lines) in r.sheets.as_deref().map(super::sheet_texts).unwrap_or_default() {
            section aria-label=(heading) {
                h2 { (heading) }
                ul { @for line in &lines { li { (line) } } }
            }
        }
        @match &r.body {
            Body::Text { hunks } => (document(compared, hunks, options)),
            Body::Table(table) => (rows(table)),
            Body::Binary => p { "The content is not text: only its size and SHA-256 are compared above." },
        }
    }
}

fn header(r: &Redline) -> Markup {
    html! {
        header {
            h1 { "Redline of " (r.artefact.id) " — " (r.artefact.title) }
            table.sides {
                thead { tr { th scope="col" { "" } th scope="col" { "From" } th scope="col" { "To" } } }
                tbody {
                    tr { th scope="row" { "Version" } td { (r.from.reference) } td { (r.to.reference) } }
                    tr { th scope="row" { "Status" } td { (r.from.status) } td { (r.to.status) } }
                    tr { th scope="row" { "Date" } td { (date(r.from.date)) } td { (date(r.to.date)) } }
                    tr { th scope="row" { "SHA-256" } td { code { (r.from.sha256) } } td { code { (r.to.sha256) } } }
                }
            }
            h2 { "Decisions" }
            @if r.decisions.is_empty() { p { "None recorded on these versions." } }
            ul {
                @for d in &r.decisions {
                    li { strong { (d.id) } " (" (d.outcome) ", " (d.date)
                        @if let Some(m) = &d.meeting { ", " (m) }
                        @if let Some(a) = &d.authority { ", " (a) }
                        "): " (d.text) }
                }
            }
            h2 { "Change requests" }
            @if r.changes.is_empty() { p { "None recorded on these versions." } }
            ul {
                @for c in &r.changes { li { strong { (c.id) } " (" (c.state) "): " (c.title) } }
            }
            h2 { "Summary" }
            p { (summary_text(r)) }
            @let sections = section_counts(r);
            @if !sections.is_empty() {
                ul { @for (section, counts) in &sections { li { (section) ": " (counts) } } }
            }
            @for note in &r.notes { p.note { "Note: " (note) } }
            @for warning in &r.warnings { p.warning role="alert" { strong { "Warning: " } (warning) } }
        }
    }
}

fn date(d: Option<crate::model::Date>) -> String {
    d.map_or("—".to_string(), |d| d.to_string())
}

fn change_list(r: &Redline) -> Markup {
    let entries: Vec<(String, String)> = match &r.body {
        Body::Text { hunks } => hunks
            .iter()
            .map(|h| {
                let place = if h.section.is_empty() {
                    line_range(h.new)
                } else {
                    h.section.join(" › ")
                };
                (h.anchor.clone(), format!("{} ({})", place, h.kind.name()))
            })
            .collect(),
        Body::Table(t) => t
            .rows
            .iter()
            .map(|row| (row.anchor.clone(), row_title(row)))
            .collect(),
        Body::Binary => Vec::new(),
    };
    html! {
        nav.changes aria-label="List of changes" {
            h2 { "Changes (" (entries.len()) ")" }
            ol { @for (anchor, text) in &entries { li { a href={ "#" (anchor) } { (text) } } } }
        }
    }
}

fn ins(text: &str) -> Markup {
    html! { ins { span.sr { "inserted: " } (text) } }
}

fn del(text: &str) -> Markup {
    html! { del { span.sr { "deleted: " } (text) } }
}

fn document(compared: &Compared, hunks: &[Hunk], options: &Options) -> Markup {
    let old = split_lines(&compared.old);
    let new = split_lines(&compared.new);
    let gaps: Vec<std::ops::Range<usize>> = hunks
        .iter()
        .scan(0, |shown, h| {
            let gap = *shown..h.new[0];
            *shown = h.new[1];
            Some(gap)
        })
        .collect();
    let rest = hunks.last().map_or(0, |h| h.new[1])..new.len();
    html! {
        div.doc {
            @for (h, gap) in hunks.iter().zip(gaps) {
                (unchanged(&new[gap], options.context))
                (change(h, &old, &new, options.side_by_side))
            }
            (unchanged(&new[rest], options.context))
        }
    }
}

/// Unchanged text: short runs in full, long ones folded to their edges.
fn unchanged(lines: &[&str], context: usize) -> Markup {
    let keep = context.max(1);
    if lines.len() <= 2 * keep + 1 {
        return html! { span.unchanged { (lines.concat()) } };
    }
    let (head, rest) = lines.split_at(keep);
    let (middle, tail) = rest.split_at(rest.len() - keep);
    html! {
        span.unchanged { (head.concat()) }
        details.unchanged { summary { (middle.len()) " unchanged lines" } span.unchanged { (middle.concat()) } }
        span.unchanged { (tail.concat()) }
    }
}

fn change(h: &Hunk, old: &[&str], new: &[&str], side_by_side: bool) -> Markup {
    let label = format!(
        "{}{} — {}",
        if h.section.is_empty() {
            String::new()
        } else {
            format!("{} · ", h.section.join(" › "))
        },
        h.kind.name(),
        line_range(h.new)
    );
    let removed = old[h.old[0]..h.old[1]].concat();
    let added = new[h.new[0]..h.new[1]].concat();
    html! {
        section.change id=(h.anchor) aria-label=(label) {
            span.label { (label) }
            @if side_by_side {
                table.sbs { tr {
                    td { @match h.kind {
                        HunkKind::Modified => { @for w in &h.words { @match w { Word::Equal(t) => (t), Word::Delete(t) => (del(t)), Word::Insert(_) => {} } } }
                        _ => { @if !removed.is_empty() { (del(&removed)) } }
                    } }
                    td { @match h.kind {
                        HunkKind::Modified => { @for w in &h.words { @match w { Word::Equal(t) => (t), Word::Insert(t) => (ins(t)), Word::Delete(_) => {} } } }
                        _ => { @if !added.is_empty() { (ins(&added)) } }
                    } }
                } }
            } @else {
                @match h.kind {
                    HunkKind::Modified => { @for w in &h.words { @match w { Word::Equal(t) => (t), Word::Delete(t) => (del(t)), Word::Insert(t) => (ins(t)) } } }
                    _ => {
                        @if !removed.is_empty() { (del(&removed)) }
                        @if !added.is_empty() { (ins(&added)) }
                    }
                }
            }
        }
    }
}

fn rows(table: &TableDiff) -> Markup {
    html! {
        p { "Rows are paired on the key column " strong { (table.key) } "." }
        @if !(table.columns_added.is_empty() && table.columns_removed.is_empty() && table.columns_renamed.is_empty()) {
            ul {
                @for c in &table.columns_added { li { "Column " (ins(c)) " added" } }
                @for c in &table.columns_removed { li { "Column " (del(c)) " removed" } }
                @for (a, b) in &table.columns_renamed { li { "Column " (del(a)) " renamed " (ins(b)) } }
            }
        }
        table.rows {
            thead { tr { th scope="col" { "Row" } th scope="col" { "Change" } th scope="col" { "Column" } th scope="col" { "From" } th scope="col" { "To" } } }
            tbody {
                @for row in &table.rows {
                    @match row.kind {
                        RowKind::Added | RowKind::Removed => {
                            tr.change id=(row.anchor) {
                                th scope="row" { (row.key) } td { (row_title(row)) } td { "whole row" }
                                @let all = row.values.iter().map(|(c, v)| format!("{c}: {v}")).collect::<Vec<_>>().join("; ");
                                @if row.kind == RowKind::Removed { td { (del(&all)) } td {} } @else { td {} td { (ins(&all)) } }
                            }
                        }
                        RowKind::Moved => { tr.change id=(row.anchor) { th scope="row" { (row.key) } td { (row_title(row)) } td {} td {} td {} } }
                        RowKind::Changed => {
                            @for (n, cell) in row.cells.iter().enumerate() {
                                tr.change[n == 0] id=[(n == 0).then(|| row.anchor.clone())] {
                                    th scope="row" { (row.key) } td { (row_title(row)) } td { (cell.column) }
                                    td { (del(&cell.old)) } td { (ins(&cell.new)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
