//! An XML part held as a tree, to patch a document's own parts: every start
//! tag, text, comment and declaration is kept as written, so what is not
//! patched is written back as it was read.

use std::borrow::Cow;

use quick_xml::escape::{escape, unescape};
use quick_xml::events::{BytesStart, Event};

/// A node of a part: an element, or anything else kept as written (escaped
/// text, an entity reference, a comment, a declaration).
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Raw(String),
}

/// An element: its start tag's inside as written (`w:r w:rsidR="00A1"`) and
/// its children.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    tag: String,
    name_len: usize,
    pub children: Vec<Node>,
}

impl Element {
    /// A new element named `name` (prefix included) with `attributes`.
    pub fn new(name: &str, attributes: &[(&str, &str)]) -> Element {
        let mut tag = name.to_string();
        for (key, value) in attributes {
            tag.push_str(&format!(" {key}=\"{}\"", escape(*value)));
        }
        Element {
            tag,
            name_len: name.len(),
            children: Vec::new(),
        }
    }

    pub fn with(mut self, children: Vec<Node>) -> Element {
        self.children = children;
        self
    }

    /// The element's name as written, prefix included.
    pub fn name(&self) -> &str {
        &self.tag[..self.name_len]
    }

    /// The name without its prefix: `p` for `w:p`.
    pub fn local(&self) -> &str {
        let name = self.name();
        name.rsplit_once(':').map_or(name, |(_, local)| local)
    }

    /// The prefix with its colon (`w:`), or nothing.
    pub fn prefix(&self) -> &str {
        let name = self.name();
        name.rsplit_once(':')
            .map_or("", |(prefix, _)| &name[..=prefix.len()])
    }

    /// Gives the element another name, keeping its attributes.
    pub fn rename(&mut self, name: &str) {
        self.tag = format!("{name}{}", &self.tag[self.name_len..]);
        self.name_len = name.len();
    }

    /// The value of the attribute whose local name is `local` (`val` for `w:val`).
    pub fn attribute(&self, local: &str) -> Option<String> {
        BytesStart::from_content(self.tag.as_str(), self.name_len)
            .attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == local)
            .map(|a| a.value.into_owned())
            .map(|v| unescape(&v).map_or(v.clone(), Cow::into_owned))
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(Node::element)
    }

    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(Node::element_mut)
    }

    /// The first child element with local name `local`.
    pub fn child(&self, local: &str) -> Option<&Element> {
        self.elements().find(|e| e.local() == local)
    }

    pub fn child_mut(&mut self, local: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| e.local() == local)
    }

    /// The text of the element's raw children, unescaped (for `w:t`).
    pub fn text(&self) -> String {
        let raw: String = self
            .children
            .iter()
            .filter_map(|n| match n {
                Node::Raw(raw) => Some(raw.as_str()),
                Node::Element(_) => None,
            })
            .collect();
        unescape(&raw).map_or(raw.clone(), Cow::into_owned)
    }

    /// Every element below this one, depth first, this one included.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut all = vec![self];
        for child in self.elements() {
            all.extend(child.descendants());
        }
        all
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.tag);
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for child in &self.children {
            child.write(out);
        }
        out.push_str("</");
        out.push_str(self.name());
        out.push('>');
    }
}

impl Node {
    /// Text, escaped for a part.
    pub fn text(text: &str) -> Node {
        Node::Raw(escape(text).into_owned())
    }

    pub fn element(&self) -> Option<&Element> {
        match self {
            Node::Element(e) => Some(e),
            Node::Raw(_) => None,
        }
    }

    pub fn element_mut(&mut self) -> Option<&mut Element> {
        match self {
            Node::Element(e) => Some(e),
            Node::Raw(_) => None,
        }
    }

    /// Whether this is an element with local name `local`.
    pub fn is(&self, local: &str) -> bool {
        self.element().is_some_and(|e| e.local() == local)
    }

    fn write(&self, out: &mut String) {
        match self {
            Node::Element(e) => e.write(out),
            Node::Raw(raw) => out.push_str(raw),
        }
    }
}

/// Deeper than this, a part is not a document but an attack on the code that
/// walks it (Word's own documents nest some 20 levels).
pub const MAX_DEPTH: usize = 256;

/// A whole part: what precedes the root element (the declaration), and the root.
#[derive(Debug, Clone)]
pub struct Part {
    pub prolog: Vec<Node>,
    pub root: Element,
}

impl Part {
    /// Reads a part; none where it is not well-formed XML with one root, or
    /// nests elements deeper than [`MAX_DEPTH`].
    pub fn parse(xml: &str) -> Option<Part> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut prolog = Vec::new();
        let mut open: Vec<Element> = Vec::new();
        let mut root = None;
        loop {
            let node = match reader.read_event().ok()? {
                Event::Start(e) if open.len() < MAX_DEPTH => {
                    open.push(element_of(&e)?);
                    continue;
                }
                Event::Start(_) => return None,
                Event::End(_) => Node::Element(open.pop()?),
                Event::Empty(e) => Node::Element(element_of(&e)?),
                Event::Text(t) => Node::Raw(t.to_string()),
                Event::GeneralRef(r) => Node::Raw(format!("&{};", &*r)),
                Event::CData(c) => Node::Raw(format!("<![CDATA[{}]]>", &*c)),
                Event::Comment(c) => Node::Raw(format!("<!--{}-->", &*c)),
                Event::Decl(d) => Node::Raw(format!("<?{}?>", &*d)),
                Event::PI(p) => Node::Raw(format!("<?{}?>", &*p)),
                Event::DocType(d) => Node::Raw(format!("<!DOCTYPE {}>", &*d)),
                Event::Eof => break,
            };
            match (open.last_mut(), node) {
                (Some(parent), node) => parent.children.push(node),
                (None, Node::Element(e)) if root.is_none() => root = Some(e),
                (None, Node::Raw(raw)) if root.is_none() => prolog.push(Node::Raw(raw)),
                // Whitespace after the root is dropped; anything else is not one part.
                (None, Node::Raw(raw)) if raw.trim().is_empty() => {}
                (None, _) => return None,
            }
        }
        if !open.is_empty() {
            return None;
        }
        Some(Part {
            prolog,
            root: root?,
        })
    }

    /// The part written out.
    pub fn write(&self) -> String {
        let mut out = String::new();
        for node in &self.prolog {
            node.write(&mut out);
        }
        self.root.write(&mut out);
        out
    }
}

fn element_of(start: &BytesStart<'_>) -> Option<Element> {
    let tag = start.to_string();
    let name_len = start.name().as_ref().len();
    Some(Element {
        tag,
        name_len,
        children: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_written_back_as_it_was_read() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="urn:w"><!-- note --><w:body><w:p w:rsidR="00A1"><w:r><w:t xml:space="preserve">A &amp; B &#x20AC; </w:t></w:r><w:r><w:tab/></w:r></w:p></w:body></w:document>"#;
        let part = Part::parse(xml).unwrap();
        assert_eq!(part.write(), xml);
        let body = part.root.child("body").unwrap();
        let p = body.child("p").unwrap();
        assert_eq!(p.attribute("rsidR").as_deref(), Some("00A1"));
        assert_eq!(p.prefix(), "w:");
        let t = p.child("r").unwrap().child("t").unwrap();
        assert_eq!(t.text(), "A & B € ");
    }

    #[test]
    fn new_elements_escape_their_attributes_and_can_be_renamed() {
        let mut e =
            Element::new("w:ins", &[("w:author", "A \"B\" <c>")]).with(vec![Node::text("x < y")]);
        assert_eq!(e.attribute("author").as_deref(), Some("A \"B\" <c>"));
        e.rename("w:del");
        let mut out = String::new();
        e.write(&mut out);
        assert_eq!(
            out,
            "<w:del w:author=\"A &quot;B&quot; &lt;c&gt;\">x &lt; y</w:del>"
        );
    }

    #[test]
    fn what_is_not_one_well_formed_part_is_not_read() {
        assert!(Part::parse("<a><b></a>").is_none());
        assert!(Part::parse("<a/><b/>").is_none());
        assert!(Part::parse("<a>").is_none());
        assert!(Part::parse("").is_none());
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert!(Part::parse(&deep).is_none());
        let deep_enough = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(Part::parse(&deep_enough).is_some());
    }
}
