//! Table redlines: CSV/TSV rows paired by their key column and compared cell by
//! cell, in the manner of daff — never a guessed pairing: a missing or duplicate
//! key makes the caller fall back to a text redline with a warning.

use std::collections::HashMap;

use imara_diff::{Algorithm, Diff, InternedInput};

use super::model::{CellChange, RowChange, RowKind, Summary, TableDiff};
use crate::model::Format;

/// A parsed table: its header and rows, each row as many cells as it has.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
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
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(record)) => record.iter().map(|c| c.trim().to_string()).collect(),
        Some(Err(err)) => {
            return Err(NotComparable(format!(
                "{side}: the header row cannot be read: {err}"
            )));
        }
        None => Vec::new(),
    };
    let rows = records
        .map(|r| r.map(|r| r.iter().map(str::to_string).collect()))
        .collect::<Result<Vec<Vec<String>>, csv::Error>>()
        .map_err(|err| NotComparable(format!("{side}: {err}")))?;
    Ok(Table { header, rows })
}

/// Each row's key, refusing a missing column, an empty key or a duplicate.
fn keys(table: &Table, key: &str, side: &str) -> Result<Vec<String>, NotComparable> {
    let column = table
        .header
        .iter()
        .position(|c| c == key)
        .ok_or_else(|| NotComparable(format!("{side} has no key column \"{key}\"")))?;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut keys = Vec::with_capacity(table.rows.len());
    for (n, row) in table.rows.iter().enumerate() {
        let value = row.get(column).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            return Err(NotComparable(format!(
                "{side} row {} has no value in the key column \"{key}\"",
                n + 1
            )));
        }
        if let Some(first) = seen.insert(value, n) {
            return Err(NotComparable(format!(
                "{side} has the key \"{value}\" twice (rows {} and {})",
                first + 1,
                n + 1
            )));
        }
        keys.push(value.to_string());
    }
    Ok(keys)
}

/// Compares two tables on `key`.
pub fn diff(
    format: Format,
    key: &str,
    old_text: &str,
    new_text: &str,
    summary: &mut Summary,
) -> Result<TableDiff, NotComparable> {
    let old = parse(format, old_text, "FROM")?;
    let new = parse(format, new_text, "TO")?;
    let old_keys = keys(&old, key, "FROM")?;
    let new_keys = keys(&new, key, "TO")?;
    let columns = match_columns(&old, &new, &old_keys, &new_keys);

    let old_at: HashMap<&str, usize> = old_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let new_at: HashMap<&str, usize> = new_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let moved = moved_keys(&old_keys, &new_keys, &old_at, &new_at);

    // Removed rows are listed where they stood: before the first common row that
    // followed them in FROM.
    let mut rows = Vec::new();
    let mut next_old = 0;
    let mut removed_before = |limit: usize, rows: &mut Vec<RowChange>| {
        while next_old < limit {
            let k = &old_keys[next_old];
            if !new_at.contains_key(k.as_str()) {
                rows.push(row(
                    k,
                    RowKind::Removed,
                    Some(next_old),
                    None,
                    false,
                    Vec::new(),
                    values(&old.header, &old.rows[next_old]),
                ));
            }
            next_old += 1;
        }
    };
    for (j, k) in new_keys.iter().enumerate() {
        match old_at.get(k.as_str()) {
            None => rows.push(row(
                k,
                RowKind::Added,
                None,
                Some(j),
                false,
                Vec::new(),
                values(&new.header, &new.rows[j]),
            )),
            Some(&i) => {
                if !moved.contains(k.as_str()) {
                    removed_before(i, &mut rows);
                }
                let cells = changed_cells(&columns, &old.rows[i], &new.rows[j]);
                let is_moved = moved.contains(k.as_str());
                let kind = match (cells.is_empty(), is_moved) {
                    (false, _) => RowKind::Changed,
                    (true, true) => RowKind::Moved,
                    (true, false) => continue,
                };
                rows.push(row(k, kind, Some(i), Some(j), is_moved, cells, Vec::new()));
            }
        }
    }
    removed_before(old_keys.len(), &mut rows);
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

fn values(header: &[String], row: &[String]) -> Vec<(String, String)> {
    header.iter().cloned().zip(row.iter().cloned()).collect()
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
fn match_columns(old: &Table, new: &Table, old_keys: &[String], new_keys: &[String]) -> Columns {
    let mut pairs = Vec::new();
    let mut old_unpaired: Vec<usize> = Vec::new();
    for (i, name) in old.header.iter().enumerate() {
        match new.header.iter().position(|n| n == name) {
            Some(j) => pairs.push((i, j, name.clone())),
            None => old_unpaired.push(i),
        }
    }
    let mut new_unpaired: Vec<usize> = (0..new.header.len())
        .filter(|j| !pairs.iter().any(|p| p.1 == *j))
        .collect();
    let new_at: HashMap<&str, usize> = new_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let common: Vec<(usize, usize)> = old_keys
        .iter()
        .enumerate()
        .filter_map(|(i, k)| Some((i, *new_at.get(k.as_str())?)))
        .collect();
    let mut renamed = Vec::new();
    old_unpaired.retain(|&i| {
        let same = |j: usize| {
            let agree = common
                .iter()
                .filter(|&&(a, b)| old.rows[a].get(i) == new.rows[b].get(j))
                .count();
            !common.is_empty() && agree * 5 >= common.len() * 4
        };
        match new_unpaired.iter().position(|&j| same(j)) {
            Some(found) => {
                let j = new_unpaired.remove(found);
                renamed.push((old.header[i].clone(), new.header[j].clone()));
                pairs.push((i, j, new.header[j].clone()));
                false
            }
            None => true,
        }
    });
    Columns {
        pairs,
        added: new_unpaired
            .iter()
            .map(|&j| new.header[j].clone())
            .collect(),
        removed: old_unpaired
            .iter()
            .map(|&i| old.header[i].clone())
            .collect(),
        renamed,
    }
}

fn changed_cells(columns: &Columns, old: &[String], new: &[String]) -> Vec<CellChange> {
    let empty = String::new();
    columns
        .pairs
        .iter()
        .filter_map(|(i, j, name)| {
            let (a, b) = (old.get(*i).unwrap_or(&empty), new.get(*j).unwrap_or(&empty));
            (a != b).then(|| CellChange {
                column: name.clone(),
                old: a.clone(),
                new: b.clone(),
            })
        })
        .collect()
}

/// Keys of common rows whose order changed: those outside the longest run of
/// common rows that kept their order.
fn moved_keys<'k>(
    old_keys: &'k [String],
    new_keys: &'k [String],
    old_at: &HashMap<&str, usize>,
    new_at: &HashMap<&str, usize>,
) -> std::collections::HashSet<&'k str> {
    let old_common: Vec<&str> = old_keys
        .iter()
        .map(String::as_str)
        .filter(|k| new_at.contains_key(k))
        .collect();
    let new_common: Vec<&str> = new_keys
        .iter()
        .map(String::as_str)
        .filter(|k| old_at.contains_key(k))
        .collect();
    let mut input = InternedInput::default();
    input.update_before(old_common.iter().copied());
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
}
