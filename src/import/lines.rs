//! A report's text as numbered lines: page furniture and blank lines dropped, and
//! the text split into its sections.

/// One line of the report, as the parser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based, in the file as given.
    pub number: usize,
    /// Trimmed, never empty.
    pub text: String,
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

/// The non-blank lines of `text` that are not page headers or footers. Handles
/// LF, CRLF and CR line ends and the form feeds pdftotext puts at page breaks.
pub fn content_lines(text: &str, footer: &regex::Regex) -> Vec<Line> {
    text.replace("\r\n", "\n")
        .split(['\n', '\r'])
        .enumerate()
        .filter_map(|(n, raw)| {
            let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}');
            (!trimmed.is_empty() && !footer.is_match(trimmed)).then(|| Line {
                number: n + 1,
                text: trimmed.to_string(),
            })
        })
        .collect()
}

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
/// ("post-" then "M5") joins without a space.
pub fn join<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for part in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        let hyphenated =
            text.ends_with('-') && text.chars().rev().nth(1).is_some_and(char::is_alphanumeric);
        if !text.is_empty() && !hyphenated {
            text.push(' ');
        }
        text.push_str(part);
    }
    text
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
        || line.ends_with([',', '-', ';', ':', '&', '/'])
        || CONTINUING_WORDS.contains(&last_word.to_ascii_lowercase().as_str())
}

/// The lines that start a table row: their first word is an id — unless the line
/// before runs on into them ("… the reversal of" / "DAG-DEC45 …" is text).
pub fn row_starts(lines: &[Line], id: &regex::Regex) -> Vec<usize> {
    (0..lines.len())
        .filter(|&n| crate::import::Patterns::is_whole(id, lines[n].first_word()))
        .filter(|&n| n == 0 || !runs_on(&lines[n - 1].text))
        .collect()
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
