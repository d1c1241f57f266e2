//! Table redlines: CSV/TSV rows paired by their key column and compared cell by
//! cell, in the manner of daff — never a guessed pairing: a missing or duplicate
//! key makes the caller fall back to a text redline with a warning.

mod keys;
mod read;
mod records;
mod split;

use super::model::{CellChange, RowChange, RowKind, Summary, TableDiff};
pub use read::{Parsed, parse};
use read::{Table, Written, cell};

/// Why a table could not be compared on its key.
pub struct NotComparable(pub String);

impl NotComparable {
    /// The same reason, said of one side ("FROM" or "TO").
    pub fn of(&self, side: &str) -> Self {
        NotComparable(format!("{side} {}", self.0))
    }
}

/// A row number that names no row.
const NONE: u32 = u32::MAX;

/// How the rows of the two sides pair by key: for each row, the other side's row
/// with its key, or [`NONE`].
struct Pairing {
    new_of_old: Vec<u32>,
    old_of_new: Vec<u32>,
}

impl Pairing {
    fn new_of_old(&self, i: usize) -> Option<usize> {
        Some(self.new_of_old[i])
            .filter(|&j| j != NONE)
            .map(|j| j as usize)
    }

    fn old_of_new(&self, j: usize) -> Option<usize> {
        Some(self.old_of_new[j])
            .filter(|&i| i != NONE)
            .map(|i| i as usize)
    }
}

/// Pairs rows by key (each side's keys are unique, as `parse` checked). Rows
/// mostly keep their order, so the row after the last one paired is tried first,
/// and FROM's key index only where that fails.
fn pair(old: &Table<'_>, new: &Table<'_>) -> Pairing {
    let mut pairing = Pairing {
        new_of_old: vec![NONE; old.len()],
        old_of_new: vec![NONE; new.len()],
    };
    let mut next = 0;
    for j in 0..new.len() {
        let key = new.key(j);
        let found = if next < old.len() && old.key(next) == key {
            Some(next)
        } else {
            old.find(key)
        };
        if let Some(i) = found {
            pairing.old_of_new[j] = i as u32;
            pairing.new_of_old[i] = j as u32;
            next = i + 1;
        }
    }
    pairing
}

/// What the comparison found for one row, in the order the redline lists it.
enum Found {
    Removed(usize),
    Added(usize),
    /// A row on both sides that is written differently, or moved.
    Paired {
        old: usize,
        new: usize,
        moved: bool,
    },
}

/// Two tables whose rows are paired on their key: the rows that may have changed,
/// and the lines that kept their place. [`Paired::diff`] then compares the rows
/// cell by cell, which can be done beside the line operations.
pub struct Paired<'a> {
    key: &'a str,
    old: (&'a str, &'a Parsed),
    new: (&'a str, &'a Parsed),
    columns: Columns,
    found: Vec<Found>,
    /// Pairs of (FROM line, TO line), 0-based, increasing on both sides: anchors
    /// for the line operations that rebuild TO.
    pub anchors: Vec<(usize, usize)>,
    /// For each anchor, whether its two lines are known to be the same already.
    pub identical: Vec<bool>,
}

/// Pairs the rows of two tables on `key`, each parsed from its text by [`parse`].
pub fn compare<'a>(
    key: &'a str,
    (old_text, old_parsed): (&'a str, &'a Parsed),
    (new_text, new_parsed): (&'a str, &'a Parsed),
) -> Result<Paired<'a>, NotComparable> {
    let (old, new) = (
        Table::new(old_parsed, old_text),
        Table::new(new_parsed, new_text),
    );
    let pairing = pair(&old, &new);
    let columns = match_columns(&old, &new, &pairing);
    // Where the columns are the same, a row written the same holds the same cells.
    let same_columns = old.header == new.header;
    let kept = kept_in_order(&pairing);

    // Removed rows are listed where they stood: before the first common row that
    // followed them in FROM.
    let mut found = Vec::new();
    let mut next_old = 0;
    let mut removed_before = |limit: usize, found: &mut Vec<Found>| {
        while next_old < limit {
            if pairing.new_of_old(next_old).is_none() {
                found.push(Found::Removed(next_old));
            }
            next_old += 1;
        }
    };
    let mut anchors = Anchors {
        pairs: Vec::with_capacity(new.len() + 1),
        identical: Vec::with_capacity(new.len() + 1),
    };
    if let (Some(a), Some(b)) = (old.header_row, new.header_row) {
        anchors.record(a, b, a.bytes == b.bytes);
    }
    for (j, &kept) in kept.iter().enumerate() {
        let Some(i) = pairing.old_of_new(j) else {
            found.push(Found::Added(j));
            continue;
        };
        let (a, b) = (old.written(i), new.written(j));
        let same = a.bytes == b.bytes;
        if kept {
            removed_before(i, &mut found);
            anchors.record(a, b, same);
        }
        if !kept || !same_columns || !same {
            found.push(Found::Paired {
                old: i,
                new: j,
                moved: !kept,
            });
        }
    }
    removed_before(old.len(), &mut found);
    Ok(Paired {
        key,
        old: (old_text, old_parsed),
        new: (new_text, new_parsed),
        columns,
        found,
        anchors: anchors.pairs,
        identical: anchors.identical,
    })
}

impl Paired<'_> {
    /// The rows that changed, cell by cell, with their counts in `summary`.
    pub fn diff(self, summary: &mut Summary) -> TableDiff {
        let old = Table::new(self.old.1, self.old.0);
        let new = Table::new(self.new.1, self.new.0);
        let mut rows = Vec::with_capacity(self.found.len());
        for found in &self.found {
            let change = match *found {
                Found::Removed(i) => row(
                    old.key(i),
                    RowKind::Removed,
                    (Some(i), None, false),
                    Vec::new(),
                    values(&old, i),
                ),
                Found::Added(j) => row(
                    new.key(j),
                    RowKind::Added,
                    (None, Some(j), false),
                    Vec::new(),
                    values(&new, j),
                ),
                Found::Paired {
                    old: i,
                    new: j,
                    moved,
                } => {
                    let cells = changed_cells(&self.columns, (&old, i), (&new, j));
                    let kind = match (cells.is_empty(), moved) {
                        (false, _) => RowKind::Changed,
                        (true, true) => RowKind::Moved,
                        (true, false) => continue,
                    };
                    row(
                        new.key(j),
                        kind,
                        (Some(i), Some(j), moved),
                        cells,
                        Vec::new(),
                    )
                }
            };
            rows.push(change);
        }
        for (n, r) in rows.iter_mut().enumerate() {
            r.anchor = format!("change-{}", n + 1);
        }
        let columns = self.columns;
        summary.rows_added = rows.iter().filter(|r| r.kind == RowKind::Added).count();
        summary.rows_removed = rows.iter().filter(|r| r.kind == RowKind::Removed).count();
        summary.rows_changed = rows.iter().filter(|r| r.kind == RowKind::Changed).count();
        summary.rows_moved = rows.iter().filter(|r| r.moved).count();
        summary.cells_changed = rows.iter().map(|r| r.cells.len()).sum();
        summary.columns_added = columns.added.len();
        summary.columns_removed = columns.removed.len();
        summary.columns_renamed = columns.renamed.len();
        TableDiff {
            key: self.key.to_string(),
            columns_added: Columns::names(&columns.added),
            columns_removed: Columns::names(&columns.removed),
            columns_renamed: columns.renamed,
            rows,
        }
    }
}

/// Anchors for the line operations, each known to pair identical lines or not.
struct Anchors {
    pairs: Vec<(usize, usize)>,
    identical: Vec<bool>,
}

impl Anchors {
    /// Anchors the lines of a record that kept its place: its first line, and
    /// where it is written the `same` on both sides, each line of a record that
    /// spans several (lines then known to be identical where what else is on
    /// them is the same too).
    fn record(&mut self, a: Written<'_>, b: Written<'_>, same: bool) {
        let identical = same && a.same_margins(&b);
        let mut push = |pair: (usize, usize)| {
            if self
                .pairs
                .last()
                .is_none_or(|last| last.0 < pair.0 && last.1 < pair.1)
            {
                self.pairs.push(pair);
                self.identical.push(identical);
            }
        };
        push((a.first_line, b.first_line));
        if same {
            (1..=a.last_line - a.first_line)
                .for_each(|n| push((a.first_line + n, b.first_line + n)));
        }
    }
}

/// A row change: its key, kind, (FROM row, TO row, moved), changed cells, and the
/// cells of a row added or removed.
fn row(
    key: &str,
    kind: RowKind,
    (old, new, moved): (Option<usize>, Option<usize>, bool),
    cells: Vec<CellChange>,
    values: Vec<(String, String)>,
) -> RowChange {
    RowChange {
        anchor: String::new(),
        key: key.to_string(),
        kind,
        old_row: old.map(|i| i + 1),
        new_row: new.map(|j| j + 1),
        moved,
        cells,
        values,
    }
}

fn values(table: &Table, row: usize) -> Vec<(String, String)> {
    table
        .header
        .iter()
        .cloned()
        .zip(table.cells(row).iter().map(|c| cell(c).into_owned()))
        .collect()
}

/// How the columns correspond: pairs of (old index, new index, shown name), and
/// the added, removed and renamed ones.
struct Columns {
    pairs: Vec<(usize, usize, String)>,
    /// Columns only TO has (their index there) and only FROM has (there).
    added: Vec<(usize, String)>,
    removed: Vec<(usize, String)>,
    renamed: Vec<(String, String)>,
}

impl Columns {
    fn names(columns: &[(usize, String)]) -> Vec<String> {
        columns.iter().map(|(_, name)| name.clone()).collect()
    }
}

/// Columns pair by name; an unpaired old and new column holding the same values
/// in most common rows is a rename.
fn match_columns(old: &Table<'_>, new: &Table<'_>, pairing: &Pairing) -> Columns {
    let (old_header, new_header) = (old.header, new.header);
    let mut pairs = Vec::new();
    let mut old_unpaired: Vec<usize> = Vec::new();
    for (i, name) in old_header.iter().enumerate() {
        match new_header.iter().position(|n| n == name) {
            Some(j) => pairs.push((i, j, name.clone())),
            None => old_unpaired.push(i),
        }
    }
    let mut new_unpaired: Vec<usize> = (0..new_header.len())
        .filter(|j| !pairs.iter().any(|p| p.1 == *j))
        .collect();
    let mut renamed = Vec::new();
    if !old_unpaired.is_empty() && !new_unpaired.is_empty() {
        let common: Vec<_> = (0..old.len())
            .filter_map(|a| Some((old.cells(a), new.cells(pairing.new_of_old(a)?))))
            .collect();
        old_unpaired.retain(|&i| {
            let same = |j: usize| {
                let agree = common.iter().filter(|(a, b)| a.get(i) == b.get(j)).count();
                !common.is_empty() && agree * 5 >= common.len() * 4
            };
            match new_unpaired.iter().position(|&j| same(j)) {
                Some(found) => {
                    let j = new_unpaired.remove(found);
                    renamed.push((old_header[i].clone(), new_header[j].clone()));
                    pairs.push((i, j, new_header[j].clone()));
                    false
                }
                None => true,
            }
        });
    }
    Columns {
        pairs,
        added: new_unpaired
            .iter()
            .map(|&j| (j, new_header[j].clone()))
            .collect(),
        removed: old_unpaired
            .iter()
            .map(|&i| (i, old_header[i].clone()))
            .collect(),
        renamed,
    }
}

/// The cells of a row that differ: in columns on both sides, those whose values
/// differ; in a column added or removed, its value, wherever there is one.
fn changed_cells(
    columns: &Columns,
    (old, i): (&Table, usize),
    (new, j): (&Table, usize),
) -> Vec<CellChange> {
    let (old_cells, new_cells) = (old.cells(i), new.cells(j));
    let in_old = |c: usize| old_cells.get(c).unwrap_or_default();
    let in_new = |d: usize| new_cells.get(d).unwrap_or_default();
    let paired = columns
        .pairs
        .iter()
        .map(|(c, d, name)| (name, in_old(*c), in_new(*d)));
    let added = columns
        .added
        .iter()
        .map(|(d, name)| (name, &b""[..], in_new(*d)));
    let removed = columns
        .removed
        .iter()
        .map(|(c, name)| (name, in_old(*c), &b""[..]));
    paired
        .chain(added)
        .chain(removed)
        .filter(|(_, a, b)| a != b)
        .map(|(name, a, b)| CellChange {
            column: name.clone(),
            old: cell(a).into_owned(),
            new: cell(b).into_owned(),
        })
        .collect()
}

/// For each TO row: whether it is common to both sides and kept its order, that
/// is, lies on the longest run of common rows in the same order on both sides.
fn kept_in_order(pairing: &Pairing) -> Vec<bool> {
    let common = || (0..pairing.old_of_new.len()).filter_map(|j| Some((j, pairing.old_of_new(j)?)));
    let mut kept = vec![false; pairing.old_of_new.len()];
    let mut last = None;
    if common().all(|(_, i)| last.replace(i).is_none_or(|l| l < i)) {
        common().for_each(|(j, _)| kept[j] = true);
        return kept;
    }
    let common: Vec<(usize, usize)> = common().collect();
    for n in longest_increasing(&common.iter().map(|&(_, i)| i).collect::<Vec<_>>()) {
        kept[common[n].0] = true;
    }
    kept
}

/// The positions of a longest strictly increasing subsequence of `values`
/// (patience sorting, O(n log n)).
fn longest_increasing(values: &[usize]) -> Vec<usize> {
    // tails[l]: the position ending the best subsequence of length l + 1 so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; values.len()];
    for (n, &value) in values.iter().enumerate() {
        let length = tails.partition_point(|&t| values[t] < value);
        previous[n] = length.checked_sub(1).map(|l| tails[l]);
        if length == tails.len() {
            tails.push(n);
        } else {
            tails[length] = n;
        }
    }
    let mut kept = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(n) = at {
        kept.push(n);
        at = previous[n];
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn compare(old: &str, new: &str) -> Result<(TableDiff, Summary), String> {
        compare_with_anchors(old, new).map(|(d, s, _)| (d, s))
    }

    /// Anchors, and for each whether its lines are known to be identical.
    type Anchors = (Vec<(usize, usize)>, Vec<bool>);

    /// The line operations along `anchors`, as a redline makes them.
    fn ops_along(
        old: &str,
        new: &str,
        (pairs, identical): &Anchors,
    ) -> Vec<super::super::model::Op> {
        let lines = super::super::lines::split_lines;
        let (a, b) = (lines(old), lines(new));
        super::super::text::along_lines(
            super::super::lines::Lines::of(old, &a),
            super::super::lines::Lines::of(new, &b),
            pairs,
            identical,
        )
        .ops
    }

    fn compare_with_anchors(old: &str, new: &str) -> Result<(TableDiff, Summary, Anchors), String> {
        compare_on("D-Flow", old, new).map_err(|e| e.0)
    }

    /// Reads both sides and compares them on `key`, as a redline does.
    fn compare_on(
        key: &str,
        old: &str,
        new: &str,
    ) -> Result<(TableDiff, Summary, Anchors), NotComparable> {
        let old_table = parse(Format::Csv, old, key).map_err(|why| why.of("FROM"))?;
        let new_table = parse(Format::Csv, new, key).map_err(|why| why.of("TO"))?;
        let mut paired = super::compare(key, (old, &old_table), (new, &new_table))?;
        let anchors = (
            std::mem::take(&mut paired.anchors),
            std::mem::take(&mut paired.identical),
        );
        let mut summary = Summary::default();
        let diff = paired.diff(&mut summary);
        Ok((diff, summary, anchors))
    }

    #[test]
    fn rows_are_paired_by_key_and_cells_compared() {
        let old =
            "D-Flow,Name,Retained\nD0012,Reading,Yes\nD0300,Dispute,Review\nD0379,HH data,Review\n";
        let new =
            "D-Flow,Name,Retained\nD0300,Dispute,Yes\nD0379,HH data,Yes\nD0275,Scenario,Yes\n";
        let (d, s) = compare(old, new).unwrap();
        let kinds: Vec<(String, RowKind)> =
            d.rows.iter().map(|r| (r.key.clone(), r.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("D0012".into(), RowKind::Removed),
                ("D0300".into(), RowKind::Changed),
                ("D0379".into(), RowKind::Changed),
                ("D0275".into(), RowKind::Added)
            ]
        );
        assert_eq!(d.rows[1].cells[0].column, "Retained");
        assert_eq!(
            (
                d.rows[1].cells[0].old.as_str(),
                d.rows[1].cells[0].new.as_str()
            ),
            ("Review", "Yes")
        );
        assert_eq!(
            (
                s.rows_added,
                s.rows_removed,
                s.rows_changed,
                s.cells_changed
            ),
            (1, 1, 2, 2)
        );
    }

    #[test]
    fn rows_that_kept_their_place_anchor_the_line_operations() {
        let old = "D-Flow,Name\r\nD1,a\r\n\r\nD2,\"b\nc\"\r\nD3,c\r\nD4,d\r\n";
        let new = "D-Flow,Name\r\nD1,a\r\nD3,c\r\nD2,\"b\nc\"\r\nD4,e\r\n";
        let (_, _, anchors) = compare_with_anchors(old, new).unwrap();
        // Header, D1, D2 (both of its lines; D3 moved), and D4's first line.
        assert_eq!(anchors.0, [(0, 0), (1, 1), (3, 3), (4, 4), (6, 5)]);
        // The header's line, D1's and D2's two are the same on both sides; D4's
        // line differs.
        assert_eq!(anchors.1, [true, true, true, true, false]);
        let ops = ops_along(old, new, &anchors);
        assert_eq!(super::super::model::apply(old, &ops), new);
    }

    #[test]
    fn moved_rows_and_columns_are_reported() {
        let old = "D-Flow,Name,Notes\nD1,a,x\nD2,b,y\nD3,c,z\n";
        let new = "D-Flow,Title,Owner\nD3,c,me\nD1,a,me\nD2,b,me\n";
        let (d, s) = compare(old, new).unwrap();
        assert_eq!(
            d.columns_renamed,
            [("Name".to_string(), "Title".to_string())]
        );
        assert_eq!(d.columns_added, ["Owner"]);
        assert_eq!(d.columns_removed, ["Notes"]);
        assert_eq!(s.rows_moved, 1);
        assert!(d.rows.iter().any(|r| r.key == "D3" && r.moved));
        // Every row shows what it held in the removed column and holds in the
        // added one.
        for row in &d.rows {
            let cells: Vec<(&str, &str, &str)> = row
                .cells
                .iter()
                .map(|c| (c.column.as_str(), c.old.as_str(), c.new.as_str()))
                .collect();
            let notes = match row.key.as_str() {
                "D1" => "x",
                "D2" => "y",
                _ => "z",
            };
            assert_eq!(
                cells,
                [("Owner", "", "me"), ("Notes", notes, "")],
                "{}",
                row.key
            );
        }
    }

    #[test]
    fn keys_are_read_wherever_the_quoting_starts() {
        // The key column after plain cells, inside the quoted part, after a quote
        // that does not open a cell, and in a record that spans lines.
        let text = "A,Key,B\r\n\
                    a,K1,\"x,y\"\r\n\
                    a,\"K2\",b\r\n\
                    \"a,b\",\"K\"\"3\",c\n\
                    a\"b,K4,\"c\nd\"\n\
                    ,\"K5\"\"\",\"\"\n";
        let parsed = parse(Format::Csv, text, "Key").map_err(|e| e.0).unwrap();
        let table = Table::new(&parsed, text);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let expected: Vec<(String, Vec<String>)> = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[1].to_string(), r.iter().map(str::to_string).collect())
            })
            .collect();
        assert_eq!(expected.len(), 5);
        assert_eq!(table.len(), expected.len());
        for (n, (key, cells)) in expected.iter().enumerate() {
            assert_eq!(table.key(n), key);
            let read: Vec<String> = table
                .cells(n)
                .iter()
                .map(|c| cell(c).into_owned())
                .collect();
            assert_eq!(&read, cells);
        }
        assert_eq!(table.key(2), "K\"3");
    }

    #[test]
    fn a_last_record_without_a_line_break_ends_on_the_last_line() {
        for (text, lines) in [
            ("D-Flow\nD1", [1, 1]),
            ("D-Flow\nD1\n", [1, 1]),
            ("D-Flow,Name\nD1,\"a\nb\"", [1, 2]),
            ("D-Flow,Name\r\nD1,\"a\r\nb\"\r\n", [1, 2]),
        ] {
            let parsed = parse(Format::Csv, text, "D-Flow").map_err(|e| e.0).unwrap();
            let row = Table::new(&parsed, text).written(0);
            assert_eq!([row.first_line, row.last_line], lines, "{text:?}");
            assert!(row.last_line < parsed.lines(text).len(), "{text:?}");
        }
    }

    #[test]
    fn missing_and_duplicate_keys_are_not_guessed() {
        assert!(
            compare("Flow,Name\nD1,a\n", "Flow,Name\nD1,b\n")
                .unwrap_err()
                .contains("FROM has no key column \"D-Flow\"")
        );
        assert!(
            compare("D-Flow,Name\nD1,a\nD1,b\n", "D-Flow,Name\nD1,a\n")
                .unwrap_err()
                .contains("FROM has the key \"D1\" twice (rows 1 and 2)")
        );
        assert!(
            compare("D-Flow,Name\nD1,a\n", "D-Flow,Name\n,b\n")
                .unwrap_err()
                .contains("TO row 1 has no value")
        );
    }

    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// A keyed table as rows of (key, [a, b]) with unique keys, in random order.
    fn table() -> impl Strategy<Value = Vec<(u16, [String; 2])>> {
        proptest::collection::btree_map(0u16..60, ["[a-c]{0,3}", "(x|y, z|\"q\")?"], 0..25)
            .prop_map(|rows| rows.into_iter().collect::<Vec<_>>())
            .prop_shuffle()
    }

    fn csv_text(rows: &[(u16, [String; 2])]) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["D-Flow", "A", "B"]).unwrap();
        for (k, [a, b]) in rows {
            writer
                .write_record([format!("D{k:04}"), a.clone(), b.clone()])
                .unwrap();
        }
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    }

    /// Awkward CSV: quotes, doubled quotes, delimiters and line breaks in cells,
    /// text after a closing quote, an unclosed quote, CRLF, blank lines, short
    /// rows, keys quoted or not.
    fn awkward_csv() -> impl Strategy<Value = String> {
        let cell = prop_oneof![
            40 => proptest::string::string_regex(
                "[a-z]{0,3}|\"[a-z,\r\n]{0,3}\"|\"a\"\"b\"|a\"b|\"a\"b|\"a\" |",
            )
            .unwrap(),
            1 => Just("\"ab".to_string()),
        ];
        let row = proptest::collection::vec(cell, 1..4);
        let terminator = prop_oneof![
            Just("\n"),
            Just("\r\n"),
            Just("\n\n"),
            Just("\r"),
            Just("\r\r\n")
        ];
        proptest::collection::vec((0u8..64, any::<bool>(), row, terminator), 0..40).prop_map(
            |rows| {
                let mut text = String::from("Key,A,B,C\n");
                let mut used = std::collections::HashSet::new();
                for (key, quoted, cells, end) in rows.iter().filter(|r| used.insert(r.0)) {
                    text.push_str(&if *quoted {
                        format!("\"K{key}\"")
                    } else {
                        format!("K{key}")
                    });
                    for c in cells {
                        text.push(',');
                        text.push_str(c);
                    }
                    text.push_str(end);
                }
                text
            },
        )
    }

    /// Reads `text` keyed on column `column` and checks the rows against the
    /// `csv` crate's reading: the same cells, keys and lines, or a refusal where
    /// the csv crate's rows make the table not comparable.
    fn reads_as_the_csv_crate_does(text: &str, column: usize) -> Result<(), TestCaseError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let expected: Vec<Vec<Vec<u8>>> = reader
            .byte_records()
            .skip(1)
            .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
            .collect();
        // An open quote can run rows together: the table is then refused, as
        // it must be, for a row longer than the header, or a key empty or read twice.
        let mut keys = std::collections::HashSet::new();
        let key_of = |cells: &Vec<Vec<u8>>| {
            String::from_utf8_lossy(cells.get(column).map_or(&[][..], Vec::as_slice))
                .trim()
                .to_string()
        };
        let comparable = expected.iter().all(|cells| {
            let key = key_of(cells);
            cells.len() <= 4 && !key.is_empty() && keys.insert(key)
        });
        let parsed = match parse(Format::Csv, text, ["Key", "A", "B"][column]) {
            Ok(parsed) => parsed,
            Err(why) => {
                prop_assert!(!comparable, "refused: {}", why.0);
                return Ok(());
            }
        };
        prop_assert!(
            comparable,
            "read a table the csv crate reads as not comparable"
        );
        let table = Table::new(&parsed, text);
        prop_assert_eq!(
            parsed.lines(text).iter().collect::<Vec<_>>(),
            crate::redline::lines::split_lines(text)
        );
        prop_assert_eq!(table.len(), expected.len());
        prop_assert!(table.header_row.is_some());
        for (n, cells) in expected.iter().enumerate() {
            let read: Vec<Vec<u8>> = table.cells(n).iter().map(<[u8]>::to_vec).collect();
            prop_assert_eq!(&read, cells);
            prop_assert_eq!(table.key(n), key_of(cells));
        }
        Ok(())
    }

    /// Quotes, delimiters, carriage returns and line breaks at every place in a
    /// 64-byte block, and across blocks: cells of 0 to 65 bytes move them along.
    /// Each text has records the scan reads and ones it leaves to the older reader
    /// (a doubled quote, a lone carriage return, a quote inside a plain cell, text
    /// after a closing quote, a quote left open).
    #[test]
    fn records_read_the_same_wherever_the_blocks_cut_them() {
        for (pad, shift) in (0..=64).flat_map(|pad| [(pad, 0), (pad, 1)]) {
            let (x, y) = ("x".repeat(pad), "y".repeat(pad + shift));
            let text = format!(
                "Key,A,B,C\n\"K0{x}\"1,a\nK1,{x},\"q,1\",\"line\r\nbreak\"\r\n\"K2\",\"{y}\",b,c\n\
                 K3,{x},\"d\"\"e\",f\n\nK4,{y}\rK6,g\nK7,\"{x}\"\r\nK8,{y}a\"b\nK10,c\"\n\
                 {x}\"K9\"0,\"{y}\"z\n\"K5\",{x},\"open\n"
            );
            if let Err(failed) = reads_as_the_csv_crate_does(&text, 0) {
                panic!("padding {pad}+{shift}: {failed}");
            }
            assert!(
                parse(Format::Csv, &text, "Key").is_ok(),
                "padding {pad}+{shift}: read"
            );
        }
    }

    proptest! {
        #[test]
        fn rows_read_in_one_pass_hold_what_the_csv_crate_reads(text in awkward_csv(), column in 0usize..3) {
            reads_as_the_csv_crate_does(&text, column)?;
        }
    }

    proptest! {
        #[test]
        fn line_operations_rebuild_awkward_tables(old in awkward_csv(), new in awkward_csv()) {
            // Where an open quote runs rows together, the redline is a text one.
            let ops = match compare_on("Key", &old, &new) {
                Ok((_, _, anchors)) => ops_along(&old, &new, &anchors),
                Err(_) => super::super::text::diff(&old, &new, super::super::text::Detail::Lines).ops,
            };
            prop_assert_eq!(super::super::model::apply(&old, &ops), new);
        }

        #[test]
        fn row_changes_turn_the_old_table_into_the_new(old in table(), new in table()) {
            let (old_text, new_text) = (csv_text(&old), csv_text(&new));
            let (d, _, anchors) = compare_with_anchors(&old_text, &new_text).map_err(TestCaseError::fail)?;
            let as_map = |rows: &[(u16, [String; 2])]| -> BTreeMap<String, BTreeMap<String, String>> {
                rows.iter()
                    .map(|(k, [a, b])| (format!("D{k:04}"), BTreeMap::from([("A".to_string(), a.clone()), ("B".to_string(), b.clone())])))
                    .collect()
            };
            let mut rebuilt = as_map(&old);
            for row in &d.rows {
                match row.kind {
                    RowKind::Removed => { rebuilt.remove(&row.key); }
                    RowKind::Added => {
                        let cells = row.values.iter().filter(|(c, _)| c != "D-Flow").cloned().collect();
                        rebuilt.insert(row.key.clone(), cells);
                    }
                    RowKind::Changed | RowKind::Moved => {
                        let cells = rebuilt.get_mut(&row.key).expect("a changed row existed");
                        for cell in &row.cells {
                            cells.insert(cell.column.clone(), cell.new.clone());
                        }
                    }
                }
            }
            prop_assert_eq!(rebuilt, as_map(&new));
            let ops = ops_along(&old_text, &new_text, &anchors);
            prop_assert_eq!(super::super::model::apply(&old_text, &ops), new_text);
        }
    }
}
