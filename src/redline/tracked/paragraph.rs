//! One paragraph patched word by word: the new paragraph's runs split where
//! the words changed, inserted words wrapped in `w:ins` and the old
//! paragraph's deleted words put back in `w:del`, each run keeping its own
//! formatting.

use super::{Kind, Revisions};
use crate::redline::model::Word;
use crate::redline::text;
use crate::redline::xml::{Element, Node};

/// What a paragraph holds, in order: text and the things between it.
struct Piece {
    /// The formatting of the run it came from.
    props: Option<Element>,
    kind: PieceKind,
}

enum PieceKind {
    Text(String),
    /// A tab or a line break: one character of the paragraph's text.
    Char(Element),
    /// Something in a run that is not text (a footnote reference, a drawing).
    InRun(Element),
    /// Something between runs (a bookmark, a comment's range).
    Bare(Node),
}

impl Piece {
    fn width(&self) -> usize {
        match &self.kind {
            PieceKind::Text(text) => text.len(),
            PieceKind::Char(_) => 1,
            PieceKind::InRun(_) | PieceKind::Bare(_) => 0,
        }
    }
}

/// What a paragraph may hold between its runs for it to be patched word by
/// word; a paragraph holding anything else (a hyperlink, a field, a content
/// control) is replaced whole where it changed.
const BETWEEN_RUNS: [&str; 8] = [
    "bookmarkStart",
    "bookmarkEnd",
    "proofErr",
    "commentRangeStart",
    "commentRangeEnd",
    "permStart",
    "permEnd",
    "lastRenderedPageBreak",
];

/// The paragraph's pieces; none where it holds what cannot be split.
fn pieces(paragraph: &Element) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    for node in &paragraph.children {
        let Node::Element(element) = node else {
            pieces.push(Piece {
                props: None,
                kind: PieceKind::Bare(node.clone()),
            });
            continue;
        };
        match element.local() {
            "pPr" => {}
            "r" => pieces.extend(run_pieces(element)),
            local if BETWEEN_RUNS.contains(&local) => pieces.push(Piece {
                props: None,
                kind: PieceKind::Bare(node.clone()),
            }),
            _ => return None,
        }
    }
    Some(pieces)
}

fn run_pieces(run: &Element) -> Vec<Piece> {
    let props = run.child("rPr").cloned();
    run.elements()
        .filter(|e| e.local() != "rPr")
        .filter_map(|e| {
            let kind = match e.local() {
                "t" => PieceKind::Text(e.text()).non_empty()?,
                "tab" | "br" | "cr" => PieceKind::Char(e.clone()),
                _ => PieceKind::InRun(e.clone()),
            };
            Some(Piece {
                props: props.clone(),
                kind,
            })
        })
        .collect()
}

impl PieceKind {
    fn non_empty(self) -> Option<Self> {
        match &self {
            PieceKind::Text(text) if text.is_empty() => None,
            _ => Some(self),
        }
    }
}

/// The text the pieces make, as the redline reads it: a tab as a tab, a
/// break as a space.
fn text_of(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match &p.kind {
            PieceKind::Text(text) => text.as_str(),
            PieceKind::Char(e) if e.local() == "tab" => "\t",
            PieceKind::Char(_) => " ",
            PieceKind::InRun(_) | PieceKind::Bare(_) => "",
        })
        .collect()
}

/// The visible text of a paragraph (the same as its pieces give), for pairing.
pub fn paragraph_text(paragraph: &Element) -> String {
    pieces(paragraph).map_or_else(|| super::blocks::plain_text(paragraph), |p| text_of(&p))
}

/// How taken pieces are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Take {
    /// As they are (the new paragraph's unchanged and inserted words).
    Keep,
    /// As deleted text (the old paragraph's deleted words).
    Delete,
    /// Not at all (the old paragraph's unchanged words, written from the new one).
    Skip,
}

/// A position in a paragraph's pieces.
struct Cursor<'a> {
    pieces: &'a [Piece],
    index: usize,
    offset: usize,
}

impl<'a> Cursor<'a> {
    fn new(pieces: &'a [Piece]) -> Self {
        Cursor {
            pieces,
            index: 0,
            offset: 0,
        }
    }

    /// Takes `len` bytes of text, with what stands between them, as nodes;
    /// none where the text does not split there.
    fn take(&mut self, mut len: usize, how: Take, prefix: &str) -> Option<Vec<Node>> {
        let mut nodes = Vec::new();
        while len > 0 {
            let piece = self.pieces.get(self.index)?;
            let width = piece.width();
            if width == 0 {
                if how == Take::Keep {
                    nodes.push(piece_node(piece, None, prefix));
                }
                self.index += 1;
                continue;
            }
            let n = len.min(width - self.offset);
            let slice = match &piece.kind {
                PieceKind::Text(text) => Some(text.get(self.offset..self.offset + n)?),
                _ => None,
            };
            match how {
                Take::Keep => nodes.push(piece_node(piece, slice, prefix)),
                Take::Delete => nodes.extend(deleted_node(piece, slice, prefix)),
                Take::Skip => {}
            }
            (self.offset, len) = (self.offset + n, len - n);
            if self.offset == width {
                (self.index, self.offset) = (self.index + 1, 0);
            }
        }
        Some(nodes)
    }

    /// What is left: the things after the last text.
    fn rest(&mut self, prefix: &str) -> Vec<Node> {
        let rest = &self.pieces[self.index.min(self.pieces.len())..];
        self.index = self.pieces.len();
        rest.iter().map(|p| piece_node(p, None, prefix)).collect()
    }
}

/// A piece (or a slice of its text) as written in the new paragraph.
fn piece_node(piece: &Piece, slice: Option<&str>, prefix: &str) -> Node {
    let content = match (&piece.kind, slice) {
        (PieceKind::Bare(node), _) => return node.clone(),
        (PieceKind::Text(_), Some(slice)) => text_element(prefix, "t", slice),
        (PieceKind::Text(text), None) => text_element(prefix, "t", text),
        (PieceKind::Char(e) | PieceKind::InRun(e), _) => e.clone(),
    };
    run(prefix, &piece.props, content)
}

/// A piece of the old paragraph as deleted text; what is not text or a tab
/// or break is not carried over.
fn deleted_node(piece: &Piece, slice: Option<&str>, prefix: &str) -> Option<Node> {
    let content = match (&piece.kind, slice) {
        (PieceKind::Text(_), Some(slice)) => text_element(prefix, "delText", slice),
        (PieceKind::Text(text), None) => text_element(prefix, "delText", text),
        (PieceKind::Char(e), _) => e.clone(),
        (PieceKind::InRun(_) | PieceKind::Bare(_), _) => return None,
    };
    Some(run(prefix, &piece.props, content))
}

fn text_element(prefix: &str, local: &str, text: &str) -> Element {
    Element::new(&format!("{prefix}{local}"), &[("xml:space", "preserve")])
        .with(vec![Node::text(text)])
}

fn run(prefix: &str, props: &Option<Element>, content: Element) -> Node {
    let mut children: Vec<Node> = props.iter().cloned().map(Node::Element).collect();
    children.push(Node::Element(content));
    Node::Element(Element::new(&format!("{prefix}r"), &[]).with(children))
}

/// The new paragraph with its changes from the old one tracked word by word;
/// none where either paragraph holds what cannot be split into words.
pub fn patch(old: &Element, new: &Element, revisions: &mut Revisions) -> Option<Element> {
    let (old_pieces, new_pieces) = (pieces(old)?, pieces(new)?);
    let (old_text, new_text) = (text_of(&old_pieces), text_of(&new_pieces));
    let prefix = revisions.prefix.clone();
    let (mut from, mut to) = (Cursor::new(&old_pieces), Cursor::new(&new_pieces));
    let mut children: Vec<Node> = new
        .child("pPr")
        .map(|p| Node::Element(p.clone()))
        .into_iter()
        .collect();
    for mark in text::word_marks(&old_text, &new_text) {
        match &mark {
            Word::Equal(t) => {
                children.extend(to.take(t.len(), Take::Keep, &prefix)?);
                from.take(t.len(), Take::Skip, &prefix)?;
            }
            Word::Insert(t) => {
                let runs = to.take(t.len(), Take::Keep, &prefix)?;
                children.push(revisions.wrap(Kind::Inserted, runs));
            }
            Word::Delete(t) => {
                let runs = from.take(t.len(), Take::Delete, &prefix)?;
                children.push(revisions.wrap(Kind::Deleted, runs));
            }
        }
    }
    children.extend(to.rest(&prefix));
    let mut patched = new.clone();
    patched.children = children;
    Some(patched)
}

/// How alike two paragraphs' texts are (0 to 1), to pair them.
pub fn similarity(old: &str, new: &str) -> f64 {
    text::similarity(&text::word_marks(old, new), old, new)
}

/// Marks a whole paragraph inserted or deleted: its runs (also inside
/// hyperlinks and fields) and its paragraph mark.
pub fn mark(paragraph: &mut Element, kind: Kind, revisions: &mut Revisions) {
    let children = std::mem::take(&mut paragraph.children);
    paragraph.children = wrap_runs(children, kind, revisions);
    mark_paragraph_end(paragraph, kind, revisions);
}

/// Elements whose runs belong to the paragraph around them.
const RUN_HOLDERS: [&str; 7] = [
    "hyperlink",
    "smartTag",
    "fldSimple",
    "customXml",
    "sdt",
    "sdtContent",
    "dir",
];

fn wrap_runs(children: Vec<Node>, kind: Kind, revisions: &mut Revisions) -> Vec<Node> {
    let mut out = Vec::new();
    let mut runs = Vec::new();
    for node in children {
        match node {
            Node::Element(mut e) if e.local() == "r" => {
                if kind == Kind::Deleted {
                    delete_text(&mut e);
                }
                runs.push(Node::Element(e));
            }
            node => {
                if !runs.is_empty() {
                    out.push(revisions.wrap(kind, std::mem::take(&mut runs)));
                }
                out.push(match node {
                    Node::Element(mut e) if RUN_HOLDERS.contains(&e.local()) => {
                        e.children = wrap_runs(std::mem::take(&mut e.children), kind, revisions);
                        Node::Element(e)
                    }
                    other => other,
                });
            }
        }
    }
    if !runs.is_empty() {
        out.push(revisions.wrap(kind, runs));
    }
    out
}

/// A run's text as deleted text, as Word writes it.
fn delete_text(run: &mut Element) {
    let prefix = run.prefix().to_string();
    for e in run.elements_mut() {
        match e.local() {
            "t" => e.rename(&format!("{prefix}delText")),
            "instrText" => e.rename(&format!("{prefix}delInstrText")),
            _ => {}
        }
    }
}

/// Marks the paragraph mark, so that accepting a deletion (or rejecting an
/// insertion) removes the paragraph itself, not only its text.
fn mark_paragraph_end(paragraph: &mut Element, kind: Kind, revisions: &mut Revisions) {
    let prefix = revisions.prefix.clone();
    if paragraph.child("pPr").is_none() {
        let properties = Element::new(&format!("{prefix}pPr"), &[]);
        paragraph.children.insert(0, Node::Element(properties));
    }
    let marker = revisions.marker(kind);
    let Some(properties) = paragraph.child_mut("pPr") else {
        return;
    };
    if properties.child("rPr").is_none() {
        // The mark's properties come before a section's and a change's.
        let at = properties
            .children
            .iter()
            .position(|n| n.is("sectPr") || n.is("pPrChange"))
            .unwrap_or(properties.children.len());
        let mark_properties = Element::new(&format!("{prefix}rPr"), &[]);
        properties
            .children
            .insert(at, Node::Element(mark_properties));
    }
    if let Some(mark_properties) = properties.child_mut("rPr") {
        mark_properties.children.insert(0, Node::Element(marker));
    }
}
