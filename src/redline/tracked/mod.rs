//! Red-lined copies in the artefact's own format, as the programme publishes
//! them: the new version of a Word document with every change from the old one
//! as a real tracked change, so that accepting all gives the new version's text
//! and rejecting all the old one's (the document's own parts are patched, so
//! its styles, numbering, comments, headers and footers stay as they were);
//! and the new version of a workbook with its changed cells marked.

mod blocks;
mod header;
mod paragraph;
pub mod review;
mod xlsx;

pub use xlsx::xlsx;

use std::collections::BTreeMap;
use std::io::{Read, Write};

use super::Redline;
use super::xml::{Element, Node, Part};

/// Whether a change puts text in or takes it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Inserted,
    Deleted,
}

/// Who made the changes and when, as Word shows them on each.
pub struct Author {
    pub name: String,
    /// An ISO 8601 time, e.g. `2026-03-04T00:00:00Z`.
    pub date: String,
}

/// What each tracked change is stamped with: its id, author and date.
pub struct Revisions {
    prefix: String,
    author: String,
    date: String,
    next_id: u64,
}

impl Revisions {
    /// A `w:ins` or `w:del` around `children`.
    fn wrap(&mut self, kind: Kind, children: Vec<Node>) -> Node {
        Node::Element(self.marker(kind).with(children))
    }

    /// An empty `w:ins` or `w:del`, as it marks a paragraph mark or a row.
    fn marker(&mut self, kind: Kind) -> Element {
        let local = match kind {
            Kind::Inserted => "ins",
            Kind::Deleted => "del",
        };
        let id = self.next_id.to_string();
        self.next_id += 1;
        let p = &self.prefix;
        Element::new(
            &format!("{p}{local}"),
            &[
                (&format!("{p}id"), &id),
                (&format!("{p}author"), &self.author),
                (&format!("{p}date"), &self.date),
            ],
        )
    }
}

/// More than this in one part is not a design document but a zip bomb.
const MAX_PART_BYTES: u64 = 256 << 20;

/// The parts whose text the redline compares, and so the parts patched.
fn is_text_part(name: &str) -> bool {
    name == "word/document.xml"
        || [
            "word/footnotes",
            "word/endnotes",
            "word/header",
            "word/footer",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix) && name.ends_with(".xml"))
}

type Package<'b> = zip::ZipArchive<std::io::Cursor<&'b [u8]>>;

/// The red-lined Word document: `new` with its changes from `old` tracked,
/// after a first page that heads it with the redline's header. Refused (with
/// why) where either side is not a readable Word document.
pub fn docx(redline: &Redline, old: &[u8], new: &[u8], by: &Author) -> Result<Vec<u8>, String> {
    let mut old_package = open(old, "FROM")?;
    let mut new_package = open(new, "TO")?;
    let names: Vec<String> = new_package
        .file_names()
        .filter_map(|n| n.ok())
        .filter(|n| is_text_part(n))
        .map(|n| n.into_owned())
        .collect();
    let mut parts = BTreeMap::new();
    for name in &names {
        let new_part =
            read_part(&mut new_package, name)?.ok_or_else(|| format!("TO has no part {name}"))?;
        let old_part = read_part(&mut old_package, name)?;
        parts.insert(name.clone(), (old_part, new_part));
    }
    let (_, document) = parts
        .get("word/document.xml")
        .ok_or("TO has no word/document.xml: it is not a Word document")?;
    let prefix = document.root.prefix().to_string();
    let mut revisions = Revisions {
        next_id: parts
            .values()
            .map(|(_, p)| highest_id(&p.root))
            .max()
            .unwrap_or(0)
            + 1,
        prefix: prefix.clone(),
        author: by.name.clone(),
        date: by.date.clone(),
    };
    let mut patched = BTreeMap::new();
    for (name, (old_part, mut new_part)) in parts {
        blocks::accept(&mut new_part.root, &prefix);
        let old_root = old_part.map(|mut p| {
            blocks::accept(&mut p.root, &prefix);
            p.root
        });
        patch_part(&name, old_root.as_ref(), &mut new_part.root, &mut revisions);
        if name == "word/document.xml" {
            header::insert(&mut new_part.root, redline, by, &prefix);
        }
        patched.insert(name, new_part.write());
    }
    write_package(&mut new_package, &patched)
}

fn open<'b>(bytes: &'b [u8], side: &str) -> Result<Package<'b>, String> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("{side} is not a readable Word package ({e})"))
}

fn read_part(package: &mut Package<'_>, name: &str) -> Result<Option<Part>, String> {
    let Ok(file) = package.by_name(name) else {
        return Ok(None);
    };
    let mut xml = String::new();
    file.take(MAX_PART_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| format!("{name} cannot be read ({e})"))?;
    Part::parse(&xml).map(Some).ok_or_else(|| {
        format!(
            "{name} is not well-formed XML, or nests more than {} levels",
            super::xml::MAX_DEPTH
        )
    })
}

/// The highest numeric `w:id` in a part, so that new changes' ids are new.
fn highest_id(root: &Element) -> u64 {
    root.descendants()
        .iter()
        .filter_map(|e| e.attribute("id")?.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
}

/// Patches one part against the same part of the old version: the body, each
/// footnote or endnote by its id, a header or footer whole.
fn patch_part(name: &str, old: Option<&Element>, new: &mut Element, revisions: &mut Revisions) {
    if name == "word/document.xml" {
        if let (Some(old_body), Some(new_body)) =
            (old.and_then(|o| o.child("body")), new.child_mut("body"))
        {
            blocks::patch(old_body, new_body, revisions);
        }
        return;
    }
    if matches!(new.local(), "footnotes" | "endnotes") {
        for note in new.elements_mut() {
            let id = note.attribute("id");
            let old_note = old.and_then(|o| o.elements().find(|n| n.attribute("id") == id));
            match old_note {
                Some(old_note) => blocks::patch(old_note, note, revisions),
                None if note.attribute("type").is_none() => {
                    blocks::mark_all(note, Kind::Inserted, revisions);
                }
                None => {}
            }
        }
        return;
    }
    match old {
        Some(old) => blocks::patch(old, new, revisions),
        None => blocks::mark_all(new, Kind::Inserted, revisions),
    }
}

/// The new package with the patched parts in place of its own; every other
/// part copied as it was.
fn write_package(
    package: &mut Package<'_>,
    patched: &BTreeMap<String, String>,
) -> Result<Vec<u8>, String> {
    let failed =
        |e: zip::result::ZipError| format!("the red-lined package cannot be written ({e})");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for n in 0..package.len() {
        let file = package.by_index_raw(n).map_err(failed)?;
        let name = file.name().map_err(failed)?.into_owned();
        match patched.get(&name) {
            Some(xml) => {
                drop(file);
                let options = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated);
                out.start_file(name, options).map_err(failed)?;
                out.write_all(xml.as_bytes())
                    .map_err(|e| format!("the red-lined package cannot be written ({e})"))?;
            }
            None => out.raw_copy_file(file).map_err(failed)?,
        }
    }
    Ok(out.finish().map_err(failed)?.into_inner())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::review::{Resolve, resolve};
    use super::*;
    use crate::redline::docx;
    use crate::redline::model::{ArtefactRef, Body, Side, Summary};
    use crate::redline::testing::{W, package};

    /// A block of a generated document: a paragraph of runs (text, bold), or
    /// a table of rows of cells.
    #[derive(Debug, Clone)]
    enum Block {
        Paragraph(Vec<(String, bool)>),
        Table(Vec<Vec<String>>),
    }

    fn run_xml((text, bold): &(String, bool)) -> String {
        let props = if *bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
        format!(r#"<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    fn block_xml(block: &Block) -> String {
        match block {
            Block::Paragraph(runs) => format!(
                "<w:p>{}</w:p>",
                runs.iter().map(run_xml).collect::<String>()
            ),
            Block::Table(rows) => {
                let rows: String = rows
                    .iter()
                    .map(|cells| {
                        let cells: String = cells
                            .iter()
                            .map(|c| {
                                format!("<w:tc><w:p>{}</w:p></w:tc>", run_xml(&(c.clone(), false)))
                            })
                            .collect();
                        format!("<w:tr>{cells}</w:tr>")
                    })
                    .collect();
                format!("<w:tbl>{rows}</w:tbl>")
            }
        }
    }

    fn document(blocks: &[Block], note: &str) -> Vec<u8> {
        let body: String = blocks.iter().map(block_xml).collect();
        let notes = format!(
            r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        package(&[
            (
                "word/document.xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
                ),
            ),
            ("word/footnotes.xml", notes),
            ("word/styles.xml", format!("<w:styles {W}/>")),
        ])
    }

    fn side(reference: &str) -> Side {
        Side {
            reference: reference.into(),
            version: None,
            status: "draft".into(),
            date: None,
            recorded_by: None,
            sha256: String::new(),
            size: 0,
            file: String::new(),
        }
    }

    fn redline() -> Redline {
        Redline {
            artefact: ArtefactRef {
                id: "ICC".into(),
                title: "Code of Connection".into(),
            },
            from: side("ICC@1.0"),
            to: side("ICC@1.1"),
            decisions: Vec::new(),
            changes: Vec::new(),
            summary: Summary::default(),
            warnings: Vec::new(),
            notes: Vec::new(),
            body: Body::Binary,
            structure: None,
            sheets: None,
            ops: Vec::new(),
        }
    }

    fn author() -> Author {
        Author {
            name: "A. Reviewer".into(),
            date: "2026-03-04T00:00:00Z".into(),
        }
    }

    fn text(docx_bytes: &[u8]) -> String {
        docx::read(docx_bytes).unwrap().text
    }

    /// Checks that accepting every change of the red-lined copy gives the new
    /// document's text and rejecting every change the old one's.
    fn check_round_trip(old: &[u8], new: &[u8]) -> Result<(), TestCaseError> {
        let red = docx(&redline(), old, new, &author()).unwrap();
        let accepted = resolve(&red, Resolve::AcceptAll).unwrap();
        let rejected = resolve(&red, Resolve::RejectAll).unwrap();
        prop_assert_eq!(text(&accepted), text(new));
        prop_assert_eq!(text(&rejected), text(old));
        Ok(())
    }

    #[test]
    fn words_paragraphs_rows_and_notes_are_tracked_and_undone() {
        let para = |t: &str| Block::Paragraph(vec![(t.to_string(), false)]);
        let old = document(
            &[
                para("The D0010 flow is retained."),
                Block::Table(vec![
                    vec!["D0010".into(), "Retained".into()],
                    vec!["D0300".into(), "Retained".into()],
                ]),
                para("This paragraph goes."),
            ],
            "See CR027.",
        );
        let new = document(
            &[
                Block::Paragraph(vec![
                    ("The D0010 flow is ".into(), false),
                    ("retired".into(), true),
                    (" from IR8.".into(), false),
                ]),
                Block::Table(vec![
                    vec!["D0010".into(), "Retired".into()],
                    vec!["D0300".into(), "Retained".into()],
                    vec!["D0379".into(), "New".into()],
                ]),
                para("A new paragraph."),
            ],
            "See CR027 and CR031.",
        );
        check_round_trip(&old, &new).unwrap();
        let red = docx(&redline(), &old, &new, &author()).unwrap();
        let mut package = zip::ZipArchive::new(std::io::Cursor::new(&red[..])).unwrap();
        let mut part = |name: &str| {
            let mut xml = String::new();
            package
                .by_name(name)
                .unwrap()
                .read_to_string(&mut xml)
                .unwrap();
            xml
        };
        let (xml, notes) = (part("word/document.xml"), part("word/footnotes.xml"));
        let by = r#"w:author="A. Reviewer" w:date="2026-03-04T00:00:00Z""#;
        // The changed word is deleted and inserted in place, the new one bold
        // as the new run is.
        assert!(xml.contains(&format!(
            r#"<w:t xml:space="preserve">The D0010 flow is </w:t></w:r><w:del w:id="2" {by}><w:r><w:delText xml:space="preserve">retained</w:delText></w:r></w:del><w:ins w:id="3" {by}><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">retired</w:t></w:r>"#
        )), "{xml}");
        assert!(
            xml.contains(&format!("<w:trPr><w:ins w:id=\"6\" {by}/></w:trPr>")),
            "the added row is marked: {xml}"
        );
        assert!(notes.contains(&format!(r#"<w:ins w:id="13" {by}><w:r><w:t xml:space="preserve"> and CR031</w:t></w:r></w:ins>"#)), "{notes}");
        assert!(xml.contains("Redline of ICC: Code of Connection"));
        // The header is not part of the document's text.
        assert!(!text(&red).contains("Redline of"));
    }

    fn word() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "D0010",
            "flow",
            "meter",
            "reading",
            "the",
            "MHHS",
            "é",
            "retained",
            "new",
            "half-hourly",
        ])
    }

    fn run_text() -> impl Strategy<Value = (String, bool)> {
        (
            prop::collection::vec(word(), 1..4),
            prop::sample::select(vec![" ", ", ", "\u{a0}"]),
            any::<bool>(),
        )
            .prop_map(|(words, gap, bold)| (format!("{} ", words.join(gap)), bold))
    }

    fn block() -> impl Strategy<Value = Block> {
        prop_oneof![
            4 => prop::collection::vec(run_text(), 1..4).prop_map(Block::Paragraph),
            1 => prop::collection::vec(prop::collection::vec(word().prop_map(String::from), 2..=2), 1..4).prop_map(Block::Table),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn accepting_all_gives_the_new_text_and_rejecting_all_the_old(
            pool in prop::collection::vec(block(), 1..6),
            old_picks in prop::collection::vec(0usize..6, 0..8),
            new_picks in prop::collection::vec(0usize..6, 0..8),
            notes in (word(), word()),
        ) {
            let pick = |picks: &[usize]| -> Vec<Block> {
                picks.iter().map(|&k| pool[k % pool.len()].clone()).collect()
            };
            let old = document(&pick(&old_picks), notes.0);
            let new = document(&pick(&new_picks), notes.1);
            check_round_trip(&old, &new)?;
        }
    }
}
