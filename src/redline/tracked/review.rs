//! Accepting or rejecting every tracked change of a Word document, as a
//! reviewer does in Word: what proves that a red-lined copy holds exactly the
//! new version (all accepted) and the old one (all rejected).

use std::collections::BTreeMap;

use super::{Package, is_text_part, read_part, write_package};
use crate::redline::xml::{Element, Node};

/// What to do with every tracked change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolve {
    AcceptAll,
    RejectAll,
}

impl Resolve {
    /// The changes this keeps and the changes it drops.
    fn kept_and_dropped(self) -> ([&'static str; 2], [&'static str; 2]) {
        match self {
            Resolve::AcceptAll => (["ins", "moveTo"], ["del", "moveFrom"]),
            Resolve::RejectAll => (["del", "moveFrom"], ["ins", "moveTo"]),
        }
    }
}

/// The document with every tracked change accepted or rejected.
pub fn resolve(docx: &[u8], how: Resolve) -> Result<Vec<u8>, String> {
    let mut package: Package<'_> = zip::ZipArchive::new(std::io::Cursor::new(docx))
        .map_err(|e| format!("not a readable Word package ({e})"))?;
    let names: Vec<String> = package
        .file_names()
        .filter_map(|n| n.ok())
        .filter(|n| is_text_part(n))
        .map(|n| n.into_owned())
        .collect();
    let mut resolved = BTreeMap::new();
    for name in names {
        let Some(mut part) = read_part(&mut package, &name)? else {
            continue;
        };
        resolve_in(&mut part.root, how);
        resolved.insert(name, part.write());
    }
    write_package(&mut package, &resolved)
}

fn resolve_in(element: &mut Element, how: Resolve) {
    let (kept, dropped) = how.kept_and_dropped();
    let children = std::mem::take(&mut element.children);
    // What is left of paragraphs whose mark was dropped joins the next paragraph.
    let mut carried: Vec<Node> = Vec::new();
    for node in children {
        let Node::Element(mut e) = node else {
            element.children.push(node);
            continue;
        };
        if dropped.contains(&e.local()) || (e.local() == "tr" && marked(&e, "trPr", dropped)) {
            continue;
        }
        let joins_next = e.local() == "p" && mark_of_paragraph(&e, dropped);
        resolve_in(&mut e, how);
        if kept.contains(&e.local()) {
            if how == Resolve::RejectAll {
                restore_text(&mut e);
            }
            element.children.append(&mut e.children);
            continue;
        }
        if joins_next {
            carried.extend(e.children.into_iter().filter(|n| !n.is("pPr")));
            continue;
        }
        if e.local() == "p" && !carried.is_empty() {
            let at = usize::from(e.child("pPr").is_some());
            e.children.splice(at..at, carried.drain(..));
        }
        element.children.push(Node::Element(e));
    }
    if carried.iter().any(|n| n.element().is_some()) {
        let paragraph = Element::new(&format!("{}p", element.prefix()), &[]).with(carried);
        element.children.push(Node::Element(paragraph));
    }
}

/// Whether `element`'s `properties` child holds one of `marks`.
fn marked(element: &Element, properties: &str, marks: [&str; 2]) -> bool {
    element
        .child(properties)
        .is_some_and(|p| p.elements().any(|m| marks.contains(&m.local())))
}

/// Whether a paragraph's mark is one of `marks` (its `w:pPr/w:rPr`).
fn mark_of_paragraph(paragraph: &Element, marks: [&str; 2]) -> bool {
    paragraph
        .child("pPr")
        .is_some_and(|p| marked(p, "rPr", marks))
}

/// Deleted text made text again, as rejecting a deletion does.
fn restore_text(element: &mut Element) {
    let prefix = element.prefix().to_string();
    for e in element.elements_mut() {
        match e.local() {
            "delText" => e.rename(&format!("{prefix}t")),
            "delInstrText" => e.rename(&format!("{prefix}instrText")),
            _ => restore_text(e),
        }
    }
}
