//! The first page of a red-lined Word document: what is compared (the
//! artefact, both versions and their sha256) and why it changed (the decisions
//! and change requests), in a content control of its own so that it is not
//! read as part of the document.

use super::Author;
use crate::redline::Redline;
use crate::redline::docx::REDLINE_HEADER_TAG;
use crate::redline::render::summary_text;
use crate::redline::xml::{Element, Node};

/// How a line of the header is set.
#[derive(Clone, Copy)]
enum Weight {
    Title,
    Heading,
    Plain,
}

/// Puts the header first in the document's body, followed by a page break.
pub fn insert(document: &mut Element, redline: &Redline, by: &Author, prefix: &str) {
    let Some(body) = document.child_mut("body") else {
        return;
    };
    let paragraphs = lines(redline, by)
        .into_iter()
        .map(|(weight, text)| paragraph(prefix, weight, &text))
        .chain([page_break(prefix)])
        .collect();
    let tag = |local: &str| format!("{prefix}{local}");
    let properties = Element::new(&tag("sdtPr"), &[]).with(vec![
        Node::Element(Element::new(&tag("alias"), &[(&tag("val"), "Redline")])),
        Node::Element(Element::new(
            &tag("tag"),
            &[(&tag("val"), REDLINE_HEADER_TAG)],
        )),
    ]);
    let control = Element::new(&tag("sdt"), &[]).with(vec![
        Node::Element(properties),
        Node::Element(Element::new(&tag("sdtContent"), &[]).with(paragraphs)),
    ]);
    body.children.insert(0, Node::Element(control));
}

fn lines(r: &Redline, by: &Author) -> Vec<(Weight, String)> {
    let side = |label: &str, s: &crate::redline::model::Side| {
        let date = s.date.map_or("not recorded".to_string(), |d| d.to_string());
        format!(
            "{label} {} ({}, {date}), sha256 {}",
            s.reference, s.status, s.sha256
        )
    };
    let mut lines = vec![
        (
            Weight::Title,
            format!("Redline of {}: {}", r.artefact.id, r.artefact.title),
        ),
        (Weight::Plain, side("From", &r.from)),
        (Weight::Plain, side("To", &r.to)),
        (
            Weight::Plain,
            format!(
                "The changes from {} to {} are tracked changes by {}, dated {}: accept all of them to get {}, reject all of them to get {}.",
                r.from.reference,
                r.to.reference,
                by.name,
                by.date,
                r.to.reference,
                r.from.reference
            ),
        ),
        (Weight::Plain, format!("Summary: {}", summary_text(r))),
        (Weight::Heading, "Decisions".into()),
    ];
    if r.decisions.is_empty() {
        lines.push((Weight::Plain, "None recorded on these versions.".into()));
    }
    for d in &r.decisions {
        let place: Vec<&str> = [d.meeting.as_deref(), d.authority.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let place = if place.is_empty() {
            String::new()
        } else {
            format!(", {}", place.join(", "))
        };
        lines.push((
            Weight::Plain,
            format!("{} ({} {}{place}): {}", d.id, d.outcome, d.date, d.text),
        ));
    }
    lines.push((
        Weight::Heading,
        "Change requests and design issue notices".into(),
    ));
    if r.changes.is_empty() {
        lines.push((Weight::Plain, "None recorded on these versions.".into()));
    }
    for c in &r.changes {
        lines.push((
            Weight::Plain,
            format!("{} {} ({}): {}", c.kind, c.id, c.state, c.title),
        ));
    }
    for note in &r.notes {
        lines.push((Weight::Plain, format!("Note: {note}")));
    }
    for warning in &r.warnings {
        lines.push((Weight::Plain, format!("Warning: {warning}")));
    }
    lines
}

fn paragraph(prefix: &str, weight: Weight, text: &str) -> Node {
    let tag = |local: &str| format!("{prefix}{local}");
    let mut properties = Vec::new();
    let size = match weight {
        Weight::Title => Some("32"),
        Weight::Heading => Some("26"),
        Weight::Plain => None,
    };
    if let Some(size) = size {
        properties.push(Node::Element(Element::new(&tag("b"), &[])));
        properties.push(Node::Element(Element::new(
            &tag("sz"),
            &[(&tag("val"), size)],
        )));
    }
    let run = Element::new(&tag("r"), &[]).with(vec![
        Node::Element(Element::new(&tag("rPr"), &[]).with(properties)),
        Node::Element(
            Element::new(&tag("t"), &[("xml:space", "preserve")]).with(vec![Node::text(text)]),
        ),
    ]);
    Node::Element(Element::new(&tag("p"), &[]).with(vec![Node::Element(run)]))
}

fn page_break(prefix: &str) -> Node {
    let tag = |local: &str| format!("{prefix}{local}");
    let brk = Element::new(&tag("br"), &[(&tag("type"), "page")]);
    let run = Element::new(&tag("r"), &[]).with(vec![Node::Element(brk)]);
    Node::Element(Element::new(&tag("p"), &[]).with(vec![Node::Element(run)]))
}
