//! Where a line sits in a Markdown document: the path of headings above it.

use super::lines::Lines;

/// The heading path in effect at each line.
pub struct HeadingPaths {
    /// For each line, an index into `paths`.
    at_line: Vec<usize>,
    paths: Vec<Vec<String>>,
}

impl HeadingPaths {
    pub fn of(lines: Lines<'_>) -> HeadingPaths {
        let mut paths: Vec<Vec<String>> = vec![Vec::new()];
        let mut stack: Vec<(usize, String)> = Vec::new();
        let mut at_line = Vec::with_capacity(lines.len());
        let mut fence: Option<&str> = None;
        for line in lines.iter() {
            let trimmed = trim_start(line);
            if !trimmed.starts_with(['#', '`', '~']) {
                at_line.push(paths.len() - 1);
                continue;
            }
            if let Some(open) = fence {
                if trimmed.starts_with(open) {
                    fence = None;
                }
            } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fence = Some(&trimmed[..3]);
            } else if let Some((level, title)) = heading(line) {
                stack.retain(|(l, _)| *l < level);
                stack.push((level, title));
                paths.push(stack.iter().map(|(_, t)| t.clone()).collect());
            }
            at_line.push(paths.len() - 1);
        }
        HeadingPaths { at_line, paths }
    }

    /// The heading path at line `index` (past the end: the last one).
    pub fn at(&self, index: usize) -> Vec<String> {
        let slot = self
            .at_line
            .get(index)
            .or(self.at_line.last())
            .copied()
            .unwrap_or(0);
        self.paths[slot].clone()
    }
}

/// A line without its leading whitespace; most lines start with a letter, which
/// their first byte shows without decoding characters.
#[inline]
fn trim_start(line: &str) -> &str {
    match line.as_bytes().first() {
        Some(b) if b.is_ascii_graphic() => line,
        _ => line.trim_start(),
    }
}

/// An ATX heading's level and text: `## 3.2 Retained flows ##` → (2, "3.2 Retained flows").
fn heading(line: &str) -> Option<(usize, String)> {
    let line = line.trim_end();
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let level = rest.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let text = &rest[level..];
    if !(text.is_empty() || text.starts_with([' ', '\t'])) {
        return None;
    }
    let text = text.trim().trim_end_matches('#').trim_end();
    Some((level, text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_heading_levels_and_skip_code() {
        let lines = [
            "# 1 Scope\n",
            "text\n",
            "## 1.1 Flows ##\n",
            "```\n",
            "# not a heading\n",
            "```\n",
            "more\n",
            "# 2 Other\n",
            "  ## 2.1 Indented\n",
            "x\n",
        ];
        let text = lines.concat();
        let split = crate::redline::lines::split_lines(&text);
        let paths = HeadingPaths::of(Lines::of(&text, &split));
        assert_eq!(paths.at(1), ["1 Scope"]);
        assert_eq!(paths.at(6), ["1 Scope", "1.1 Flows"]);
        assert_eq!(paths.at(9), ["2 Other", "2.1 Indented"]);
        assert!(heading("#hashtag").is_none());
    }
}
