//! A Word document read as text, for a redline: its paragraphs in order, each
//! on a line — headings marked as Markdown headings (from their heading styles
//! or outline levels, so that changes are labelled with their heading path),
//! list items as `- `, table rows as `| cell | cell |` — then its footnotes,
//! headers and footers. Tracked changes are read accepted: inserted text is
//! kept, deleted text left out.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};

/// The text of a Word document, and whether it holds tracked changes.
pub struct DocxText {
    pub text: String,
    pub tracked_changes: bool,
}

/// The tag of the content control that heads a red-lined copy made by
/// `redline --format docx`: it is not part of the document, and not read.
pub const REDLINE_HEADER_TAG: &str = "baseline-redline-header";

/// More than this in one part is not a design document but a zip bomb (a
/// 300-page document's text part is some 10 MB): such a part is not read.
const MAX_PART_BYTES: u64 = 256 << 20;

/// Reads a Word document's text; none where it is not a readable package.
pub fn read(bytes: &[u8]) -> Option<DocxText> {
    let mut package = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut reader = Paragraphs::default();
    reader.read_part(&part(&mut package, "word/document.xml")?)?;
    let mut names: Vec<String> = package
        .file_names()
        .filter_map(|name| name.ok().map(|name| name.into_owned()))
        .collect();
    names.sort();
    for (heading, prefix) in [
        ("Footnotes", "word/footnotes"),
        ("Endnotes", "word/endnotes"),
        ("Headers", "word/header"),
        ("Footers", "word/footer"),
    ] {
        let parts: Vec<&String> = names
            .iter()
            .filter(|name| name.starts_with(prefix) && name.ends_with(".xml"))
            .collect();
        let mut section = Paragraphs::default();
        for name in parts {
            section.read_part(&part(&mut package, name)?)?;
        }
        if !section.lines.is_empty() {
            reader.lines.push(format!("# {heading}"));
            reader.lines.append(&mut section.lines);
            reader.tracked_changes |= section.tracked_changes;
        }
    }
    let mut text = reader.lines.join("\n");
    text.push('\n');
    Some(DocxText {
        text,
        tracked_changes: reader.tracked_changes,
    })
}

/// A part of the package as text.
fn part(package: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Option<String> {
    let part = package.by_name(name).ok()?;
    let mut text = String::new();
    part.take(MAX_PART_BYTES).read_to_string(&mut text).ok()?;
    Some(text)
}

/// The lines read so far, and where the reader is in the XML.
#[derive(Default)]
struct Paragraphs {
    lines: Vec<String>,
    tracked_changes: bool,
    /// The paragraph being read: its text, heading level and whether it is a
    /// list item.
    text: String,
    heading: Option<usize>,
    list_item: bool,
    /// Inside a `w:t`, whose text is the document's.
    in_text: bool,
    /// Inside deleted (or moved-away) tracked text: left out.
    deleted: usize,
    /// Tables being read (nested ones too): their current row's cells.
    rows: Vec<Vec<String>>,
    /// Footnotes and endnotes that are only separators are left out.
    separator: usize,
    /// The content controls being read: whether each is a redline's header.
    controls: Vec<bool>,
}

impl Paragraphs {
    fn read_part(&mut self, xml: &str) -> Option<()> {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event().ok()? {
                Event::Start(e) => self.start(&e),
                Event::Empty(e) => {
                    self.start(&e);
                    self.end(e.local_name().as_ref());
                }
                Event::End(e) => self.end(e.local_name().as_ref()),
                Event::Text(t) if self.takes_text() => self.text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) if self.takes_text() => {
                    self.text.push(entity(&r.into_inner())?);
                }
                Event::Eof => return Some(()),
                _ => {}
            }
        }
    }

    /// Text counts inside a run's `w:t` that is not deleted (the reader sees
    /// text only between `w:t` tags, as set in `start`).
    fn takes_text(&self) -> bool {
        self.takes_run() && self.in_text
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        match e.local_name().as_ref() {
            "p" => {
                self.text.clear();
                self.heading = None;
                self.list_item = false;
            }
            "pStyle" => self.heading = self.heading.or(value(e).and_then(|v| heading_level(&v))),
            "outlineLvl" => {
                let level = value(e).and_then(|v| v.parse::<usize>().ok());
                self.heading = self.heading.or(level.filter(|&l| l < 9).map(|l| l + 1));
            }
            "numPr" => self.list_item = true,
            "t" => self.in_text = true,
            "tab" if self.takes_run() => self.text.push('\t'),
            "br" | "cr" if self.takes_run() => self.text.push(' '),
            "ins" | "moveTo" => self.tracked_changes = true,
            "del" | "moveFrom" => {
                self.tracked_changes = true;
                self.deleted += 1;
            }
            "tbl" => self.rows.push(Vec::new()),
            "tr" => {
                if let Some(row) = self.rows.last_mut() {
                    row.clear();
                }
            }
            "tc" => {
                if let Some(row) = self.rows.last_mut() {
                    row.push(String::new());
                }
            }
            "footnote" | "endnote" if is_separator(e) => self.separator += 1,
            "sdt" => self.controls.push(false),
            "tag" if value(e).as_deref() == Some(REDLINE_HEADER_TAG) => {
                if let Some(header) = self.controls.last_mut() {
                    *header = true;
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "t" => self.in_text = false,
            "del" | "moveFrom" => self.deleted = self.deleted.saturating_sub(1),
            "p" => self.end_paragraph(),
            "tr" => {
                if let Some(row) = self.rows.last() {
                    let cells: Vec<&str> = row.iter().map(|c| c.trim()).collect();
                    let line = format!("| {} |", cells.join(" | "));
                    self.push_line(line);
                }
            }
            "tbl" => {
                self.rows.pop();
            }
            "footnote" | "endnote" if self.separator > 0 => self.separator -= 1,
            "sdt" => {
                self.controls.pop();
            }
            _ => {}
        }
    }

    /// Text outside `w:t` (tabs, breaks) counts where a run's would.
    fn takes_run(&self) -> bool {
        self.deleted == 0 && self.separator == 0 && !self.controls.contains(&true)
    }

    fn end_paragraph(&mut self) {
        let text = self.text.trim().to_string();
        self.text.clear();
        if text.is_empty() {
            return;
        }
        // In a table, a paragraph is part of its cell.
        if let Some(cell) = self.rows.last_mut().and_then(|row| row.last_mut()) {
            if !cell.is_empty() {
                cell.push(' ');
            }
            cell.push_str(&text);
            return;
        }
        let line = match (self.heading, self.list_item) {
            (Some(level), _) => format!("{} {text}", "#".repeat(level)),
            (None, true) => format!("- {text}"),
            (None, false) => text,
        };
        self.push_line(line);
    }

    /// A line of the document's text; a table row inside a cell (a nested
    /// table) becomes part of that cell.
    fn push_line(&mut self, line: String) {
        let depth = self.rows.len();
        match self
            .rows
            .get_mut(depth.wrapping_sub(2))
            .and_then(|row| row.last_mut())
        {
            Some(outer_cell) if depth >= 2 => {
                outer_cell.push(' ');
                outer_cell.push_str(&line);
            }
            _ => self.lines.push(line),
        }
    }
}

/// The `w:val` attribute of an element.
fn value(e: &BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "val")
        .map(|a| a.value.into_owned())
}

/// Whether a footnote or endnote is one of the separators Word keeps.
fn is_separator(e: &BytesStart<'_>) -> bool {
    e.attributes().flatten().any(|a| {
        a.key.local_name().as_ref() == "type"
            && matches!(a.value.as_ref(), "separator" | "continuationSeparator")
    })
}

/// The heading level a paragraph style names: `Heading1` … `Heading9` (in any
/// case, as Word and LibreOffice name them), or `Title` for level 1.
fn heading_level(style: &str) -> Option<usize> {
    let lower = style.to_ascii_lowercase();
    if lower == "title" {
        return Some(1);
    }
    let level = lower
        .strip_prefix("heading")?
        .trim_start_matches([' ', '_']);
    level.parse::<usize>().ok().filter(|l| (1..=9).contains(l))
}

/// The character an entity reference stands for.
fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redline::testing::{W, package};

    fn paragraph(style: Option<&str>, runs: &str) -> String {
        let style = style.map_or(String::new(), |s| {
            format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)
        });
        format!("<w:p>{style}{runs}</w:p>")
    }

    fn run(text: &str) -> String {
        format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    #[test]
    fn paragraphs_headings_lists_tables_notes_and_tracked_changes_are_read() {
        let body = [
            paragraph(Some("Heading1"), &run("Scope")),
            paragraph(None, &format!("{}{}", run("D0012 is "), run("retired &amp; removed."))),
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/></w:numPr></w:pPr><w:r><w:t>First item</w:t></w:r></w:p>"#.to_string(),
            paragraph(Some("heading2"), &run("Flows")),
            format!(
                "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
                paragraph(None, &run("D-Flow")),
                paragraph(None, &run("Name")),
                paragraph(None, &run("D0300")),
                paragraph(None, &run("Dispute")),
            ),
            paragraph(
                None,
                &format!(
                    "{}<w:ins>{}</w:ins><w:del><w:r><w:delText>dropped </w:delText></w:r></w:del>{}",
                    run("Kept "),
                    run("inserted "),
                    run("text.")
                ),
            ),
        ]
        .concat();
        let notes = format!(
            r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1">{}</w:footnote><w:footnote w:id="1">{}</w:footnote></w:footnotes>"#,
            paragraph(None, &run("----")),
            paragraph(None, &run("See CR027."))
        );
        let header = format!(
            "<w:hdr {W}>{}</w:hdr>",
            paragraph(None, &run("DIP Code of Connection"))
        );
        let bytes = package(&[
            (
                "word/document.xml",
                format!("<w:document {W}><w:body>{body}</w:body></w:document>"),
            ),
            ("word/footnotes.xml", notes),
            ("word/header1.xml", header),
        ]);
        let read = read(&bytes).unwrap();
        assert_eq!(
            read.text,
            "# Scope\nD0012 is retired & removed.\n- First item\n## Flows\n\
             | D-Flow | Name |\n| D0300 | Dispute |\nKept inserted text.\n\
             # Footnotes\nSee CR027.\n# Headers\nDIP Code of Connection\n"
        );
        assert!(read.tracked_changes);
    }

    #[test]
    fn what_is_not_a_word_document_is_not_read() {
        assert!(read(b"not a zip").is_none());
        assert!(read(&package(&[("xl/workbook.xml", "<workbook/>".into())])).is_none());
        let broken = package(&[("word/document.xml", "<w:document><w:body><w:p>".into())]);
        let read = read(&broken).unwrap();
        assert!(!read.tracked_changes);
        assert_eq!(heading_level("Heading 3"), Some(3));
        assert_eq!(heading_level("Normal"), None);
        assert_eq!(entity("#x20AC"), Some('€'));
    }
}
