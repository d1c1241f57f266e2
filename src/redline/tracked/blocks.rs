//! A container of blocks patched against the old one: the body, a table (its
//! rows), a row's cells, a footnote, a header. Blocks are aligned by their text
//! like lines in a text diff; a changed block is paired with an old one where
//! they are alike and patched inside, and otherwise the old block is put back
//! deleted and the new one marked inserted.

use imara_diff::{Algorithm, Diff, InternedInput};

use super::{Kind, Revisions, paragraph};
use crate::redline::xml::{Element, Node};

/// Elements that are blocks of their container: paragraphs, tables, block
/// content controls and table rows.
fn is_block(node: &Node) -> bool {
    node.element()
        .is_some_and(|e| matches!(e.local(), "p" | "tbl" | "sdt" | "tr"))
}

/// How far past the last pairing an old block is looked for: a hunk of a
/// rewritten document can hold thousands of blocks.
const PAIRING_WINDOW: usize = 8;

/// Paragraphs and rows at least this alike are patched inside rather than
/// replaced.
const ALIKE: f64 = 0.5;

/// Patches `new`'s blocks against `old`'s, in place.
pub fn patch(old: &Element, new: &mut Element, revisions: &mut Revisions) {
    let old_blocks: Vec<&Element> = old
        .children
        .iter()
        .filter(|n| is_block(n))
        .filter_map(Node::element)
        .collect();
    let children = std::mem::take(&mut new.children);
    let positions: Vec<usize> = (0..children.len())
        .filter(|&i| is_block(&children[i]))
        .collect();
    let old_texts: Vec<String> = old_blocks.iter().map(|b| block_text(b)).collect();
    let new_texts: Vec<String> = positions
        .iter()
        .filter_map(|&i| children[i].element())
        .map(block_text)
        .collect();
    let mut input = InternedInput::default();
    input.update_before(old_texts.iter().map(String::as_str));
    input.update_after(new_texts.iter().map(String::as_str));
    let diff = Diff::compute(Algorithm::Histogram, &input);

    // Where block j starts among the children; past the last block (before a
    // section's properties) for j = the number of blocks.
    let cut = |j: usize| match positions.get(j) {
        Some(&at) => at,
        None => positions.last().map_or(0, |&last| last + 1),
    };
    let mut slots: Vec<Option<Node>> = children.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    let mut next = 0;
    for hunk in diff.hunks() {
        let (start, end) = (cut(hunk.after.start as usize), cut(hunk.after.end as usize));
        out.extend(slots[next..start].iter_mut().filter_map(Option::take));
        let (blocks, others): (Vec<Node>, Vec<Node>) = slots[start..end]
            .iter_mut()
            .filter_map(Option::take)
            .partition(is_block);
        let olds = &old_blocks[hunk.before.start as usize..hunk.before.end as usize];
        out.extend(patch_hunk(olds, blocks, revisions));
        out.extend(others);
        next = end;
    }
    out.extend(slots[next..].iter_mut().filter_map(Option::take));
    new.children = out;
}

/// The blocks of one changed stretch. Where as many blocks came in as went
/// out, each is patched against the one it replaced; otherwise each new block
/// is paired with the next old one alike enough. Old blocks paired with
/// nothing are put back deleted, before the blocks inserted in their place.
fn patch_hunk(olds: &[&Element], news: Vec<Node>, revisions: &mut Revisions) -> Vec<Node> {
    let news: Vec<Element> = news
        .into_iter()
        .filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Raw(_) => None,
        })
        .collect();
    let one_for_one = olds.len() == news.len();
    // A paragraph that replaced one paragraph is that paragraph rewritten.
    let pairs = |k: usize, new: &Element| match (one_for_one, new.local()) {
        (true, "p") => olds[k].local() == "p",
        _ => alike(olds[k], new),
    };
    let mut out = Vec::new();
    let mut next_old = 0;
    for (j, new) in news.iter().enumerate() {
        let window = next_old..olds.len().min(next_old + PAIRING_WINDOW);
        let paired = window
            .filter(|&k| !one_for_one || k == j)
            .find(|&k| pairs(k, new))
            .and_then(|k| Some((k, patch_pair(olds[k], new, revisions)?)));
        if let Some((k, patched)) = paired {
            for old in &olds[next_old..k] {
                out.push(Node::Element(deleted(old, revisions)));
            }
            out.extend(patched);
            next_old = k + 1;
            continue;
        }
        // Old blocks that no block still to come is alike go out first.
        let later = &news[j + 1..news.len().min(j + 1 + PAIRING_WINDOW)];
        while next_old < olds.len() && !later.iter().any(|n| alike(olds[next_old], n)) {
            out.push(Node::Element(deleted(olds[next_old], revisions)));
            next_old += 1;
        }
        let mut inserted = new.clone();
        mark_all(&mut inserted, Kind::Inserted, revisions);
        out.push(Node::Element(inserted));
    }
    for old in &olds[next_old..] {
        out.push(Node::Element(deleted(old, revisions)));
    }
    out
}

/// Whether two blocks are the same kind and alike enough to be patched inside.
fn alike(old: &Element, new: &Element) -> bool {
    if old.local() != new.local() {
        return false;
    }
    match old.local() {
        "p" => {
            paragraph::similarity(
                &paragraph::paragraph_text(old),
                &paragraph::paragraph_text(new),
            ) >= ALIKE
        }
        // A row is the same row where its first cell is (as a register's key
        // is), or where it reads much the same.
        "tr" => {
            let (old_cells, new_cells) = (cells(old), cells(new));
            old_cells.len() == new_cells.len()
                && (old_cells.first().map(|c| plain_text(c))
                    == new_cells.first().map(|c| plain_text(c))
                    || paragraph::similarity(&plain_text(old), &plain_text(new)) >= ALIKE)
        }
        _ => true,
    }
}

/// A pair of alike blocks patched: none where they cannot be patched inside.
fn patch_pair(old: &Element, new: &Element, revisions: &mut Revisions) -> Option<Vec<Node>> {
    let mut patched = new.clone();
    match new.local() {
        "p" => patched = paragraph::patch(old, new, revisions)?,
        "tbl" => patch(old, &mut patched, revisions),
        "tr" => {
            let old_cells = cells(old);
            for (k, cell) in patched
                .elements_mut()
                .filter(|e| e.local() == "tc")
                .enumerate()
            {
                patch(old_cells.get(k)?, cell, revisions);
            }
        }
        "sdt" => patch(
            old.child("sdtContent")?,
            patched.child_mut("sdtContent")?,
            revisions,
        ),
        _ => return None,
    }
    Some(vec![Node::Element(patched)])
}

fn cells(row: &Element) -> Vec<&Element> {
    row.elements().filter(|e| e.local() == "tc").collect()
}

/// An old block as it is put back into the new document: deleted, without a
/// section break of its own.
fn deleted(old: &Element, revisions: &mut Revisions) -> Element {
    let mut block = old.clone();
    if let Some(properties) = block.child_mut("pPr") {
        properties.children.retain(|n| !n.is("sectPr"));
    }
    mark_all(&mut block, Kind::Deleted, revisions);
    block
}

/// Marks every paragraph and table row in `element` inserted or deleted.
pub fn mark_all(element: &mut Element, kind: Kind, revisions: &mut Revisions) {
    match element.local() {
        "p" => return paragraph::mark(element, kind, revisions),
        "tr" => mark_row(element, kind, revisions),
        _ => {}
    }
    for child in element.elements_mut() {
        mark_all(child, kind, revisions);
    }
}

/// Marks a table row itself, so that accepting or rejecting removes the row.
fn mark_row(row: &mut Element, kind: Kind, revisions: &mut Revisions) {
    let prefix = revisions.prefix.clone();
    if row.child("trPr").is_none() {
        // A row's properties come after its exceptions and before its cells.
        let at = row
            .children
            .iter()
            .position(|n| n.is("tc") || n.is("sdt") || n.is("customXml"))
            .unwrap_or(row.children.len());
        let properties = Element::new(&format!("{prefix}trPr"), &[]);
        row.children.insert(at, Node::Element(properties));
    }
    let marker = revisions.marker(kind);
    if let Some(properties) = row.child_mut("trPr") {
        properties.children.push(Node::Element(marker));
    }
}

/// A block's text, to align blocks: paragraphs on lines, cells apart.
fn block_text(block: &Element) -> String {
    match block.local() {
        "p" => paragraph::paragraph_text(block),
        _ => plain_text(block),
    }
}

/// The visible text below an element: text, tabs and breaks, a line per
/// paragraph and a separator per cell.
pub fn plain_text(element: &Element) -> String {
    let mut text = String::new();
    push_text(element, &mut text);
    text
}

fn push_text(element: &Element, text: &mut String) {
    match element.local() {
        "t" => return text.push_str(&element.text()),
        "tab" => return text.push('\t'),
        "br" | "cr" => return text.push(' '),
        _ => {}
    }
    for child in element.elements() {
        push_text(child, text);
    }
    match element.local() {
        "p" => text.push('\n'),
        "tc" => text.push('\u{1f}'),
        _ => {}
    }
}

/// Tracked changes already in a document, accepted: its inserted text kept,
/// deleted text and the record of formatting changes left out. The redline
/// compares documents so read.
pub fn accept(element: &mut Element, prefix: &str) {
    let children = std::mem::take(&mut element.children);
    for node in children {
        match node {
            Node::Element(e) if e.prefix() == prefix && is_rejected(e.local()) => {}
            Node::Element(mut e)
                if e.prefix() == prefix && matches!(e.local(), "ins" | "moveTo") =>
            {
                accept(&mut e, prefix);
                element.children.append(&mut e.children);
            }
            Node::Element(mut e) => {
                accept(&mut e, prefix);
                element.children.push(Node::Element(e));
            }
            raw => element.children.push(raw),
        }
    }
}

/// What accepting all changes leaves out.
fn is_rejected(local: &str) -> bool {
    matches!(
        local,
        "del"
            | "moveFrom"
            | "moveFromRangeStart"
            | "moveFromRangeEnd"
            | "moveToRangeStart"
            | "moveToRangeEnd"
            | "cellIns"
            | "cellDel"
            | "cellMerge"
            | "numberingChange"
    ) || local.ends_with("PrChange")
        || local == "tblGridChange"
}
