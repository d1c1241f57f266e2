//! The redline as a unified diff of the exact bytes, which `git apply` and `patch`
//! accept from the repository's top folder. The header travels as `#` lines before
//! the diff, which both tools skip.

use std::io::Write;

use imara_diff::{Algorithm, Diff, InternedInput};

use super::super::Compared;
use super::super::text::split_lines;
use super::{Options, summary_text};
use crate::error::Result;

/// Text for a `#` header line: a line break in it would end the comment and could
/// pose as part of the patch.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub fn render(compared: &Compared, options: &Options, out: &mut dyn Write) -> Result<()> {
    let r = &compared.redline;
    let side = |s: &super::super::model::Side| {
        format!(
            "{} ({}{})",
            s.reference,
            s.status,
            s.date.map_or(String::new(), |d| format!(", {d}"))
        )
    };
    writeln!(
        out,
        "# baseline redline of {} — {}",
        r.artefact.id,
        one_line(&r.artefact.title)
    )?;
    writeln!(out, "# from {} sha256 {}", side(&r.from), r.from.sha256)?;
    writeln!(out, "# to   {} sha256 {}", side(&r.to), r.to.sha256)?;
    for d in &r.decisions {
        writeln!(
            out,
            "# decision {} ({} {}): {}",
            d.id,
            d.outcome,
            d.date,
            one_line(&d.text)
        )?;
    }
    for c in &r.changes {
        writeln!(
            out,
            "# change {} ({}): {}",
            c.id,
            c.state,
            one_line(&c.title)
        )?;
    }
    writeln!(out, "# summary: {}", summary_text(r))?;
    for w in r.warnings.iter().chain(&r.notes) {
        writeln!(out, "# {}", one_line(w))?;
    }
    if r.from.sha256 == r.to.sha256 || matches!(r.body, super::super::model::Body::Binary) {
        return Ok(());
    }
    let path = format!("artefacts/{}/{}", r.artefact.id, r.to.file);
    writeln!(out, "diff --git a/{path} b/{path}")?;
    writeln!(out, "--- a/{path}")?;
    writeln!(out, "+++ b/{path}")?;
    let old = split_lines(&compared.old);
    let new = split_lines(&compared.new);
    let mut input = InternedInput::default();
    input.update_before(old.iter().copied());
    input.update_after(new.iter().copied());
    let mut diff = Diff::compute(Algorithm::Histogram, &input);
    diff.postprocess_lines(&input);
    for group in groups(&diff, options.context, old.len(), new.len()) {
        write_group(out, &group, &old, &new)?;
    }
    Ok(())
}

/// Changes close enough to share their context, with that context.
struct Group {
    old: [usize; 2],
    new: [usize; 2],
    changes: Vec<([usize; 2], [usize; 2])>,
}

fn groups(diff: &Diff, context: usize, old_len: usize, new_len: usize) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for h in diff.hunks() {
        let old = [h.before.start as usize, h.before.end as usize];
        let new = [h.after.start as usize, h.after.end as usize];
        let start = [
            old[0].saturating_sub(context),
            new[0].saturating_sub(context),
        ];
        let end = [
            (old[1] + context).min(old_len),
            (new[1] + context).min(new_len),
        ];
        match groups.last_mut() {
            Some(g) if g.old[1] >= start[0] => {
                g.old[1] = end[0];
                g.new[1] = end[1];
                g.changes.push((old, new));
            }
            _ => groups.push(Group {
                old: [start[0], end[0]],
                new: [start[1], end[1]],
                changes: vec![(old, new)],
            }),
        }
    }
    groups
}

fn range(r: [usize; 2]) -> String {
    let count = r[1] - r[0];
    let start = if count == 0 { r[0] } else { r[0] + 1 };
    format!("{start},{count}")
}

fn write_group(out: &mut dyn Write, g: &Group, old: &[&str], new: &[&str]) -> Result<()> {
    writeln!(out, "@@ -{} +{} @@", range(g.old), range(g.new))?;
    let mut i = g.old[0];
    for (change_old, change_new) in &g.changes {
        for line in &old[i..change_old[0]] {
            write_line(out, ' ', line)?;
        }
        for line in &old[change_old[0]..change_old[1]] {
            write_line(out, '-', line)?;
        }
        for line in &new[change_new[0]..change_new[1]] {
            write_line(out, '+', line)?;
        }
        i = change_old[1];
    }
    for line in &old[i..g.old[1]] {
        write_line(out, ' ', line)?;
    }
    Ok(())
}

fn write_line(out: &mut dyn Write, prefix: char, line: &str) -> Result<()> {
    write!(out, "{prefix}{line}")?;
    if !line.ends_with('\n') {
        write!(out, "\n\\ No newline at end of file\n")?;
    }
    Ok(())
}
