//! A report's text as numbered lines: page furniture and blank lines dropped, and
//! the text split into its sections.

/// One line of the report, as the parser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based, in the file as given.
    pub number: usize,
    /// Trimmed, never empty.
    pub text: String,
    /// Cut from the front of a line that went on with a table row's id: a cell
    /// to the left of the ref column (an area), never the previous row's text.
    pub before_ref: bool,
}

impl Line {
    pub fn first_word(&self) -> &str {
        self.text.split_whitespace().next().unwrap_or("")
    }

    /// The text after the first word.
    pub fn after_first_word(&self) -> &str {
        self.text
            .trim_start()
            .split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest.trim())
    }
}

/// A soft hyphen marks a line that ends in the first part of a word split by
/// hyphenation ("imple-" / "mentation"): [`join`] joins the parts without it.
pub const SOFT_HYPHEN: char = '\u{ad}';

/// The non-blank lines of `text` without page furniture: footers ("© Elexon
/// Limited 2023  Page 1 of 5"), even where extraction put one inside a line of
/// text, copyright lines, and the report's title repeated at the top of a page.
/// Handles LF, CRLF and CR line ends and the form feeds pdftotext puts at page
/// breaks. A line ending in a word split by hyphenation is marked (see
/// [`SOFT_HYPHEN`]).
pub fn content_lines(text: &str, footer: &regex::Regex) -> Vec<Line> {
    let raw: Vec<String> = text
        .replace("\r\n", "\n")
        .split(['\n', '\r'])
        .map(|raw| without_furniture(raw, footer))
        .collect();
    let hyphenated = hyphenated_words(&raw);
    let mut lines: Vec<Line> = raw
        .iter()
        .enumerate()
        .filter(|(_, text)| !text.is_empty())
        .map(|(n, text)| Line {
            number: n + 1,
            text: text.clone(),
            before_ref: false,
        })
        .collect();
    drop_repeated_title(&mut lines);
    join_split_ids(&mut lines);
    for n in 1..lines.len() {
        if split_by_hyphenation(&lines[n - 1].text, &lines[n].text, &hyphenated) {
            lines[n - 1].text.pop();
            lines[n - 1].text.push(SOFT_HYPHEN);
        }
    }
    lines
}

/// A line as the parser reads it: trimmed, with any page footer (and the
/// copyright notice before it) taken out, and a copyright line dropped whole.
fn without_furniture(raw: &str, footer: &regex::Regex) -> String {
    let mut text = raw
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{c}')
        .to_string();
    // A footer pattern that matches nothing at all would never be used up.
    while let Some(found) = footer.find(&text).filter(|f| !f.is_empty()) {
        let start = text[..found.start()].rfind('©').unwrap_or(found.start());
        text = join([&text[..start], &text[found.end()..]]);
    }
    let copyright = text.starts_with('©') && text.split_whitespace().count() <= 6;
    if copyright { String::new() } else { text }
}

/// An id broken at its hyphen across lines ("… DAG-" / "DEC163 The DAG …"),
/// put back together on the first line, where it begins: upper-case letters
/// and a hyphen end one line, upper-case letters and digits begin the next.
fn join_split_ids(lines: &mut Vec<Line>) {
    for n in 1..lines.len() {
        let prefix = lines[n - 1].text.rsplit(' ').next().unwrap_or("");
        let letters = prefix.strip_suffix('-').unwrap_or("");
        if letters.len() < 2 || !letters.chars().all(|c| c.is_ascii_uppercase()) {
            continue;
        }
        let next = &lines[n].text;
        let end = next
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(next.len());
        let rest = &next[..end];
        let kind = rest.trim_end_matches(|c: char| c.is_ascii_digit());
        if kind.is_empty()
            || kind.len() == rest.len()
            || !kind.chars().all(|c| c.is_ascii_uppercase())
        {
            continue;
        }
        let rest = rest.to_string();
        lines[n - 1].text.push_str(&rest);
        lines[n].text = lines[n].text[end..].trim_start().to_string();
    }
    lines.retain(|line| !line.text.is_empty());
}

/// The report's title ("… Headline Report") repeated at the top of later pages.
fn drop_repeated_title(lines: &mut Vec<Line>) {
    let Some(title) = lines
        .iter()
        .find(|l| l.text.ends_with("Headline Report"))
        .map(|l| l.text.clone())
    else {
        return;
    };
    let mut seen = false;
    lines.retain(|l| {
        let repeat = seen && l.text == title;
        seen |= l.text == title;
        !repeat
    });
}

/// The hyphenated words the report writes whole on one line ("e-billing"):
/// where one of them is broken at its hyphen across lines, the hyphen is kept.
fn hyphenated_words(lines: &[String]) -> std::collections::HashSet<String> {
    lines
        .iter()
        .flat_map(|l| l.split_whitespace())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.contains('-'))
        .collect()
}

/// Whether `line` ends in the first part of a word that hyphenation split over
/// to `next`: both parts are letters, lower case but for a capital that starts
/// the word ("imple-" / "mentation", "Cata-" / "logue"), and
/// the report does not write them elsewhere as one hyphenated word, nor is the
/// first a prefix always hyphenated ("non-"). A capital or digit after the
/// hyphen ("post-" / "M5", "DES-" / "196") is a real hyphen.
fn split_by_hyphenation(
    line: &str,
    next: &str,
    hyphenated: &std::collections::HashSet<String>,
) -> bool {
    let Some(head) = line.strip_suffix('-') else {
        return false;
    };
    let first = head.rsplit(char::is_whitespace).next().unwrap_or("");
    let first = first.trim_start_matches(|c: char| !c.is_alphanumeric());
    let second: String = next
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    let lower = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_lowercase());
    // "Cata-" is the start of a capitalised word; "DAG-" is an acronym.
    let word_start = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_alphabetic) && chars.all(char::is_lowercase)
    };
    let first_part = first.rsplit('-').next().unwrap_or(first);
    word_start(first_part)
        && lower(&second)
        && !COMPOUND_PREFIXES.contains(&first_part.to_lowercase().as_str())
        && !hyphenated.contains(&format!("{}-{second}", first.to_lowercase()))
}

/// Prefixes always written with a hyphen ("non-approval", "self-assessment",
/// "cross-code") and never a syllable hyphenation splits off: a line ending in
/// one keeps its hyphen.
const COMPOUND_PREFIXES: &[&str] = &["non", "self", "cross"];

/// The parts of a headline report, each as the lines under its heading.
#[derive(Debug, Default)]
pub struct Sections {
    pub header: Vec<Line>,
    pub actions: Option<Vec<Line>>,
    pub decisions: Option<Vec<Line>>,
    pub discussion: Option<Vec<Line>>,
}

/// The parts in the order a report gives them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Header,
    Actions,
    Decisions,
    Discussion,
}

fn heading(text: &str) -> Option<Part> {
    match text.to_ascii_lowercase().as_str() {
        "actions" => Some(Part::Actions),
        "decisions" => Some(Part::Decisions),
        "key discussion items" | "discussion items" | "key discussion" => Some(Part::Discussion),
        _ => None,
    }
}

/// Splits the lines at the section headings ("Actions", "Decisions", "Key
/// Discussion Items"), dropping each table's column-heading line. Headings come
/// in that order, each once: a later "Actions" (an area called "Minutes and
/// Actions", say) is text.
pub fn sections(lines: Vec<Line>) -> Sections {
    let mut sections = Sections::default();
    let mut part = Part::Header;
    for line in lines {
        if let Some(next) = heading(&line.text).filter(|next| *next > part) {
            part = next;
            let fresh = Some(Vec::new());
            match next {
                Part::Actions if sections.actions.is_none() => sections.actions = fresh,
                Part::Decisions if sections.decisions.is_none() => sections.decisions = fresh,
                Part::Discussion if sections.discussion.is_none() => sections.discussion = fresh,
                _ => {}
            }
            continue;
        }
        if line.text.starts_with("Area Ref") || line.text == "Area Discussion" {
            continue;
        }
        let target = match part {
            Part::Header => &mut sections.header,
            Part::Actions => sections.actions.get_or_insert_with(Vec::new),
            Part::Decisions => sections.decisions.get_or_insert_with(Vec::new),
            Part::Discussion => sections.discussion.get_or_insert_with(Vec::new),
        };
        target.push(line);
    }
    sections
}

/// Joins wrapped lines into one text: a line ending in a hyphenated word part
/// ("post-" then "M5") joins without a space; one split by hyphenation (marked
/// with a [`SOFT_HYPHEN`]) joins without the hyphen where it goes on in lower case.
pub fn join<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    join_numbered(parts.into_iter().map(|part| (0, part))).0
}

/// [`join`], also giving where each part's line starts in the text:
/// (byte offset, line number), so a sentence can be traced to its line.
pub fn join_numbered<'a>(
    parts: impl IntoIterator<Item = (usize, &'a str)>,
) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut starts = Vec::new();
    for (line, part) in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if text.ends_with(SOFT_HYPHEN) {
            text.pop();
            if !part.starts_with(char::is_lowercase) {
                text.push('-');
            }
        } else {
            let hyphenated =
                text.ends_with('-') && text.chars().rev().nth(1).is_some_and(char::is_alphanumeric);
            if !text.is_empty() && !hyphenated {
                text.push(' ');
            }
        }
        starts.push((text.len(), line));
        text.push_str(part);
    }
    if text.ends_with(SOFT_HYPHEN) {
        text.pop();
        text.push('-');
    }
    (text, starts)
}

/// The line of the report that holds byte `offset` of a text from [`join_numbered`].
pub fn line_at(starts: &[(usize, usize)], offset: usize) -> Option<usize> {
    starts
        .iter()
        .take_while(|(start, _)| *start <= offset)
        .last()
        .or(starts.first())
        .map(|(_, line)| *line)
}

/// Words a line of running text cannot end on: the sentence goes on.
pub const CONTINUING_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "is", "of", "on", "or", "that",
    "the", "to", "which", "with",
];

/// Whether running text visibly goes on after `line`: a bracket left open, a
/// trailing comma or dash, or a last word that cannot end a sentence.
pub fn runs_on(line: &str) -> bool {
    let last_word = line.rsplit(char::is_whitespace).next().unwrap_or("");
    open_brackets(line) > 0
        || line.ends_with([',', '-', ';', ':', '&', '/', SOFT_HYPHEN])
        || CONTINUING_WORDS.contains(&last_word.to_ascii_lowercase().as_str())
}

/// The lines that start a table row: their first word is an id — unless the line
/// before runs on into them ("… the reversal of" / "DAG-DEC45 …" is text).
/// Run [`split_at_ids`] first, so that an id inside a line starts one.
pub fn row_starts(lines: &[Line], id: &regex::Regex) -> Vec<usize> {
    (0..lines.len())
        .filter(|&n| crate::import::Patterns::is_whole(id, lines[n].first_word()))
        .filter(|&n| n == 0 || lines[n - 1].before_ref || !runs_on(&lines[n - 1].text))
        .collect()
}

/// A table's lines with each row's id starting a line of its own: extraction
/// joins cells of one row onto one line ("Minutes and actions DAG-DEC55 Minutes
/// and …", "ASAP DAG26-04 Programme to …"), so an id inside a line is a row
/// boundary — unless it is a reference in running text: inside brackets, after
/// words that run on into it ("the reversal of DAG-DEC45"), or followed by a
/// lower-case word ("DAG-DEC45 and …"). What was before it keeps its line number.
pub fn split_at_ids(lines: Vec<Line>, id: &regex::Regex) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let mut rest = line.text.as_str();
        let mut cut = false;
        while let Some(at) = row_id_inside(rest, id) {
            out.push(Line {
                number: line.number,
                text: rest[..at].trim().to_string(),
                before_ref: true,
            });
            rest = &rest[at..];
            cut = true;
        }
        out.push(Line {
            number: line.number,
            text: rest.trim().to_string(),
            before_ref: line.before_ref && !cut,
        });
    }
    out
}

/// Where, after the start of `text`, a row's id begins, if one does.
fn row_id_inside(text: &str, id: &regex::Regex) -> Option<usize> {
    id.find_iter(text).find_map(|m| {
        let before = text[..m.start()].trim_end();
        let after = text[m.end()..].trim_start();
        let starts_cell =
            after.is_empty() || after.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
        let whole_word = text[m.end()..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace)
            && before.len() < m.start();
        (!before.is_empty()
            && whole_word
            && starts_cell
            && !runs_on(before)
            && open_brackets(before) <= 0
            && !before.ends_with(['(', '"', '\'', '’']))
        .then_some(m.start())
    })
}

/// How deep `text` leaves its round brackets: positive while one is open.
pub fn open_brackets(text: &str) -> i32 {
    text.chars().fold(0, |depth, c| match c {
        '(' => depth + 1,
        ')' => depth - 1,
        _ => depth,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footers_form_feeds_and_line_ends_are_dropped() {
        let footer = regex::Regex::new("Page [0-9]+ of [0-9]+").unwrap();
        let lines = content_lines("a \r\n\r\n© X  Page 1 of 5 \r\n\u{c}b\rc\n", &footer);
        let texts: Vec<(usize, &str)> = lines.iter().map(|l| (l.number, l.text.as_str())).collect();
        assert_eq!(texts, [(1, "a"), (4, "b"), (5, "c")]);
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn a_footer_inside_a_line_is_taken_out_and_split_words_are_joined() {
        let footer = regex::Regex::new("Page [0-9]+ of [0-9]+").unwrap();
        let text = "costs of CR032 © Elexon Limited 2023  Page 2 of 3 from the\n© Elexon Limited 2023\nInterface Cata-\nlogue and e-\nbilling, post-\nM5 non-\napproval\nsee e-billing";
        let lines = content_lines(text, &footer);
        assert_eq!(lines[0].text, "costs of CR032 from the");
        assert_eq!(lines[1].number, 3, "the copyright line is dropped");
        let joined = join(texts(&lines[1..6]));
        assert_eq!(
            joined,
            "Interface Catalogue and e-billing, post-M5 non-approval"
        );
    }

    #[test]
    fn an_id_inside_a_line_starts_a_row_unless_it_is_a_reference() {
        let id = regex::Regex::new(r"\bDAG-DEC[0-9]+\b").unwrap();
        let line = |text: &str| Line {
            number: 7,
            text: text.to_string(),
            before_ref: false,
        };
        let split = split_at_ids(
            vec![
                line("Minutes and actions DAG-DEC64 Minutes approved"),
                line("the reversal of DAG-DEC45 The"),
                line("superseding DAG-DEC45 and DAG-DEC46"),
                line("as agreed (DAG-DEC45 The"),
            ],
            &id,
        );
        assert_eq!(
            texts(&split),
            [
                "Minutes and actions",
                "DAG-DEC64 Minutes approved",
                "the reversal of DAG-DEC45 The",
                "superseding DAG-DEC45 and DAG-DEC46",
                "as agreed (DAG-DEC45 The"
            ]
        );
        assert!(split[0].before_ref && split.iter().all(|l| l.number == 7));
        assert_eq!(row_starts(&split, &id), [1]);
    }

    #[test]
    fn wrapped_lines_join_with_hyphenated_words_kept_whole() {
        assert_eq!(
            join(["clarity over the role of DAG post-", "M5"]),
            "clarity over the role of DAG post-M5"
        );
        assert_eq!(join(["a -", "b"]), "a - b");
        assert_eq!(open_brackets("(Data (DIP) Name"), 1);
    }
}
