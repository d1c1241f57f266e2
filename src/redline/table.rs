//! Table redlines: CSV/TSV rows paired by their key column and compared cell by
//! cell, in the manner of daff — never a guessed pairing: a missing or duplicate
//! key makes the caller fall back to a text redline with a warning.

use hashbrown::{HashMap, HashSet};
use imara_diff::{Algorithm, Diff, InternedInput};

use super::model::{CellChange, RowChange, RowKind, Summary, TableDiff};
use crate::model::Format;

/// A parsed table: its header, and its rows' cells packed in one buffer (a table
/// of tens of thousands of rows would otherwise cost two allocations a row).
struct Table {
    header: Vec<String>,
    data: Vec<u8>,
    /// Where each cell ends in `data`.
    ends: Vec<usize>,
    /// For each row, the index in `ends` of its first cell; one more at the end.
    rows: Vec<usize>,
}

impl Table {
    fn len(&self) -> usize {
        self.rows.len() - 1
    }

    fn cell(&self, row: usize, column: usize) -> Option<&[u8]> {
        let (first, next) = (self.rows[row], self.rows[row + 1]);
        let index = first + column;
        if index >= next {
            return None;
        }
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        Some(&self.data[start..self.ends[index]])
    }

    fn cells(&self, row: usize) -> impl Iterator<Item = &[u8]> {
        (0..self.rows[row + 1] - self.rows[row]).filter_map(move |c| self.cell(row, c))
    }
}

/// Why a table could not be compared on its key.
pub struct NotComparable(pub String);

fn parse(format: Format, text: &str, side: &str) -> Result<Table, NotComparable> {
    let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let failed = |err: csv::Error| NotComparable(format!("{side}: {err}"));
    let mut record = csv::ByteRecord::new();
    let header = match reader.read_byte_record(&mut record) {
        Ok(true) => record.iter().map(|c| cell(c).trim().to_string()).collect(),
        Ok(false) => Vec::new(),
        Err(err) => {
            return Err(NotComparable(format!(
                "{side}: the header row cannot be read: {err}"
            )));
        }
    };
    let mut table = Table {
        header,
        data: Vec::with_capacity(text.len()),
        ends: Vec::new(),
        rows: Vec::new(),
    };
    if let Some(name) = table
        .header
        .iter()
        .enumerate()
        .find_map(|(i, h)| table.header[..i].contains(h).then_some(h))
    {
        return Err(NotComparable(format!(
            "{side} has the column \"{name}\" twice"
        )));
    }
    while reader.read_byte_record(&mut record).map_err(failed)? {
        if record.len() > table.header.len() {
            return Err(NotComparable(format!(
                "{side} row {} has {} cells, more than the header's {}",
                table.rows.len() + 1,
                record.len(),
                table.header.len()
            )));
        }
        table.rows.push(table.ends.len());
        for field in record.iter() {
            table.data.extend_from_slice(field);
            table.ends.push(table.data.len());
        }
    }
    table.rows.push(table.ends.len());
    Ok(table)
}

/// A cell's text. The whole file is UTF-8 and cells split at ASCII delimiters,
/// so a cell is UTF-8 too; anything else is shown with replacement characters.
fn cell(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// One side's rows and keys, with where each key is.
struct Keyed<'t> {
    table: &'t Table,
    keys: Vec<&'t str>,
    at: HashMap<&'t str, usize>,
}

/// Each row's key, refusing a missing column, an empty key or a duplicate.
fn keyed<'t>(table: &'t Table, key: &str, side: &str) -> Result<Keyed<'t>, NotComparable> {
    let column = table
        .header
        .iter()
        .position(|c| c == key)
        .ok_or_else(|| NotComparable(format!("{side} has no key column \"{key}\"")))?;
    let mut at: HashMap<&str, usize> = HashMap::with_capacity(table.len());
    let mut keys = Vec::with_capacity(table.len());
    for n in 0..table.len() {
        let value = table
            .cell(n, column)
            .and_then(|v| std::str::from_utf8(v).ok())
            .map(str::trim)
            .unwrap_or("");
        if value.is_empty() {
            return Err(NotComparable(format!(
                "{side} row {} has no value in the key column \"{key}\"",
                n + 1
            )));
        }
        if let Some(first) = at.insert(value, n) {
            return Err(NotComparable(format!(
                "{side} has the key \"{value}\" twice (rows {} and {})",
                first + 1,
                n + 1
            )));
        }
        keys.push(value);
    }
    Ok(Keyed { table, keys, at })
}

/// Compares two tables on `key`.
pub fn diff(
    format: Format,
    key: &str,
    old_text: &str,
    new_text: &str,
    summary: &mut Summary,
) -> Result<TableDiff, NotComparable> {
    let (old_table, new_table) = std::thread::scope(|scope| {
        let first = scope.spawn(|| parse(format, old_text, "FROM"));
        let second = parse(format, new_text, "TO");
        (
            first
                .join()
                .unwrap_or_else(|_| parse(format, old_text, "FROM")),
            second,
        )
    });
    let (old_table, new_table) = (old_table?, new_table?);
    let old = keyed(&old_table, key, "FROM")?;
    let new = keyed(&new_table, key, "TO")?;
    let columns = match_columns(&old, &new);
    let moved = moved_keys(&old, &new);

    // Removed rows are listed where they stood: before the first common row that
    // followed them in FROM.
    let mut rows = Vec::new();
    let mut next_old = 0;
    let mut removed_before = |limit: usize, rows: &mut Vec<RowChange>| {
        while next_old < limit {
            let k = old.keys[next_old];
            if !new.at.contains_key(k) {
                let values = values(old.table, next_old);
                rows.push(row(
                    k,
                    RowKind::Removed,
                    Some(next_old),
                    None,
                    false,
                    Vec::new(),
                    values,
                ));
            }
            next_old += 1;
        }
    };
    for (j, &k) in new.keys.iter().enumerate() {
        let Some(&i) = old.at.get(k) else {
            let values = values(new.table, j);
            rows.push(row(
                k,
                RowKind::Added,
                None,
                Some(j),
                false,
                Vec::new(),
                values,
            ));
            continue;
        };
        let is_moved = moved.contains(k);
        if !is_moved {
            removed_before(i, &mut rows);
        }
        let cells = changed_cells(&columns, (old.table, i), (new.table, j));
        let kind = match (cells.is_empty(), is_moved) {
            (false, _) => RowKind::Changed,
            (true, true) => RowKind::Moved,
            (true, false) => continue,
        };
        rows.push(row(k, kind, Some(i), Some(j), is_moved, cells, Vec::new()));
    }
    removed_before(old.keys.len(), &mut rows);
    for (n, r) in rows.iter_mut().enumerate() {
        r.anchor = format!("change-{}", n + 1);
    }
    summary.rows_added = rows.iter().filter(|r| r.kind == RowKind::Added).count();
    summary.rows_removed = rows.iter().filter(|r| r.kind == RowKind::Removed).count();
    summary.rows_changed = rows.iter().filter(|r| r.kind == RowKind::Changed).count();
    summary.rows_moved = rows.iter().filter(|r| r.moved).count();
    summary.cells_changed = rows.iter().map(|r| r.cells.len()).sum();
    summary.columns_added = columns.added.len();
    summary.columns_removed = columns.removed.len();
    summary.columns_renamed = columns.renamed.len();
    Ok(TableDiff {
        key: key.to_string(),
        columns_added: columns.added,
        columns_removed: columns.removed,
        columns_renamed: columns.renamed,
        rows,
    })
}

fn row(
    key: &str,
    kind: RowKind,
    old: Option<usize>,
    new: Option<usize>,
    moved: bool,
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
        .zip(table.cells(row).map(|c| cell(c).into_owned()))
        .collect()
}

/// How the columns correspond: pairs of (old index, new index, shown name), and
/// the added, removed and renamed ones.
struct Columns {
    pairs: Vec<(usize, usize, String)>,
    added: Vec<String>,
    removed: Vec<String>,
    renamed: Vec<(String, String)>,
}

/// Columns pair by name; an unpaired old and new column holding the same values
/// in most common rows is a rename.
fn match_columns(old: &Keyed<'_>, new: &Keyed<'_>) -> Columns {
    let (old_header, new_header) = (&old.table.header, &new.table.header);
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
        let common: Vec<(usize, usize)> = old
            .keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| Some((i, *new.at.get(k)?)))
            .collect();
        old_unpaired.retain(|&i| {
            let same = |j: usize| {
                let agree = common
                    .iter()
                    .filter(|&&(a, b)| old.table.cell(a, i) == new.table.cell(b, j))
                    .count();
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
            .map(|&j| new_header[j].clone())
            .collect(),
        removed: old_unpaired
            .iter()
            .map(|&i| old_header[i].clone())
            .collect(),
        renamed,
    }
}

fn changed_cells(
    columns: &Columns,
    (old, i): (&Table, usize),
    (new, j): (&Table, usize),
) -> Vec<CellChange> {
    columns
        .pairs
        .iter()
        .filter_map(|(c, d, name)| {
            let (a, b) = (
                old.cell(i, *c).unwrap_or(b""),
                new.cell(j, *d).unwrap_or(b""),
            );
            (a != b).then(|| CellChange {
                column: name.clone(),
                old: cell(a).into_owned(),
                new: cell(b).into_owned(),
            })
        })
        .collect()
}

/// Keys of common rows whose order changed: those outside the longest run of
/// common rows that kept their order.
fn moved_keys<'t>(old: &Keyed<'t>, new: &Keyed<'t>) -> HashSet<&'t str> {
    let old_common = old.keys.iter().copied().filter(|k| new.at.contains_key(k));
    let new_common: Vec<&str> = new
        .keys
        .iter()
        .copied()
        .filter(|k| old.at.contains_key(k))
        .collect();
    let mut input = InternedInput::default();
    input.update_before(old_common);
    input.update_after(new_common.iter().copied());
    let diff = Diff::compute(Algorithm::Myers, &input);
    new_common
        .iter()
        .enumerate()
        .filter(|(j, _)| diff.is_added(*j as u32))
        .map(|(_, k)| *k)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compare(old: &str, new: &str) -> Result<(TableDiff, Summary), String> {
        let mut summary = Summary::default();
        diff(Format::Csv, "D-Flow", old, new, &mut summary)
            .map(|d| (d, summary))
            .map_err(|e| e.0)
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

    proptest! {
        #[test]
        fn row_changes_turn_the_old_table_into_the_new(old in table(), new in table()) {
            let (old_text, new_text) = (csv_text(&old), csv_text(&new));
            let (d, _) = compare(&old_text, &new_text).map_err(TestCaseError::fail)?;
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
            let mut ops_text = super::super::text::diff(&old_text, &new_text, super::super::text::Detail::Lines);
            prop_assert_eq!(super::super::model::apply(&old_text, &std::mem::take(&mut ops_text.ops)), new_text);
        }
    }
}
