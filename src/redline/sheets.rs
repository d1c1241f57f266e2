//! Workbooks compared sheet by sheet and cell by cell: sheets added, removed
//! and renamed; on each sheet, rows paired by a key column where one is named
//! (`--key COLUMN` for every sheet, `--key "Sheet=Column"` for one), or else
//! aligned by content as lines are, with the rows of a changed stretch paired
//! by their first cell; columns paired by their header; and each paired row's
//! changed cells, values and formulas, old and new.

use std::collections::VecDeque;

use hashbrown::HashMap;
use imara_diff::{Algorithm, Diff, InternedInput};

use super::model::{CellChange, RowChange, RowKind, SheetChange, SheetKind};
use super::workbook::{Cell, Sheet};

/// Which column keys which sheet, as written: `Interface ID` keys every sheet,
/// `Interfaces=Interface ID` one sheet; several are joined with `;`.
pub struct KeyColumns {
    every: Option<String>,
    by_sheet: Vec<(String, String)>,
}

impl KeyColumns {
    pub fn parse(spec: Option<&str>) -> Self {
        let mut keys = KeyColumns {
            every: None,
            by_sheet: Vec::new(),
        };
        for part in spec.into_iter().flat_map(|s| s.split(';')) {
            match part.split_once('=') {
                Some((sheet, column)) => keys
                    .by_sheet
                    .push((sheet.trim().to_string(), column.trim().to_string())),
                None if !part.trim().is_empty() => keys.every = Some(part.trim().to_string()),
                None => {}
            }
        }
        keys
    }

    /// The key column of `sheet`, if one is named for it.
    pub fn of(&self, sheet: &str) -> Option<&str> {
        self.by_sheet
            .iter()
            .find(|(s, _)| s == sheet)
            .map(|(_, c)| c.as_str())
            .or(self.every.as_deref())
    }

    /// The column named for every sheet.
    pub fn every(&self) -> Option<&str> {
        self.every.as_deref()
    }

    /// The sheets named on their own, to check they exist.
    pub fn sheets(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_sheet.iter().map(|(s, c)| (s.as_str(), c.as_str()))
    }
}

/// Sheets at least this alike (by rows held on both) are one sheet renamed.
const RENAMED: f64 = 0.5;

/// Every sheet of both workbooks compared, in TO's order, removed sheets after.
pub fn compare(old: &[Sheet], new: &[Sheet], keys: &KeyColumns) -> Vec<SheetChange> {
    let mut old_of_new: Vec<Option<usize>> = new
        .iter()
        .map(|n| old.iter().position(|o| o.name == n.name))
        .collect();
    let mut unpaired_old: Vec<usize> = (0..old.len())
        .filter(|i| !old_of_new.contains(&Some(*i)))
        .collect();
    for (j, paired) in old_of_new.iter_mut().enumerate() {
        if paired.is_some() {
            continue;
        }
        let best = unpaired_old
            .iter()
            .map(|&i| (i, shared_rows(&old[i], &new[j])))
            .filter(|&(_, share)| share >= RENAMED)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, _)) = best {
            *paired = Some(i);
            unpaired_old.retain(|&k| k != i);
        }
    }
    let mut changes: Vec<SheetChange> = new
        .iter()
        .zip(&old_of_new)
        .map(|(sheet, paired)| match paired {
            Some(i) => compare_sheet(&old[*i], sheet, keys.of(&sheet.name)),
            None => whole(sheet, SheetKind::Added),
        })
        .collect();
    changes.extend(
        unpaired_old
            .iter()
            .map(|&i| whole(&old[i], SheetKind::Removed)),
    );
    changes
}

/// The share of the larger sheet's rows that the other holds too.
fn shared_rows(old: &Sheet, new: &Sheet) -> f64 {
    let most = old.rows.len().max(new.rows.len());
    if most == 0 {
        return 1.0;
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for line in &old.lines {
        *counts.entry(line).or_default() += 1;
    }
    let shared = new
        .lines
        .iter()
        .filter(|line| match counts.get_mut(line.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count();
    shared as f64 / most as f64
}

fn texts(row: &[Cell]) -> Vec<String> {
    row.iter().map(Cell::text).collect()
}

fn whole(sheet: &Sheet, kind: SheetKind) -> SheetChange {
    SheetChange {
        sheet: sheet.name.clone(),
        old_name: None,
        kind,
        key: None,
        columns_added: Vec::new(),
        columns_removed: Vec::new(),
        rows: Vec::new(),
        warnings: Vec::new(),
    }
}

/// A sheet's columns: their labels, and for each of TO's columns, FROM's
/// column that holds the same (by header where both sheets have one).
struct Columns {
    /// Whether both first rows are headers, so columns pair by name (and the
    /// header rows' differences are the columns added and removed).
    by_header: bool,
    labels: Vec<String>,
    old_labels: Vec<String>,
    old_of_new: Vec<Option<usize>>,
    added: Vec<String>,
    removed: Vec<String>,
}

/// A first row that names its columns: every cell text, none twice.
fn header(sheet: &Sheet) -> Option<Vec<String>> {
    let first = sheet.rows.first()?;
    let names = texts(first);
    let unique = names
        .iter()
        .enumerate()
        .all(|(i, n)| !n.is_empty() && !names[..i].contains(n));
    (unique && !names.is_empty()).then_some(names)
}

fn columns(old: &Sheet, new: &Sheet) -> Columns {
    let width = |s: &Sheet| s.rows.iter().map(Vec::len).max().unwrap_or(0);
    if let (Some(old_names), Some(new_names)) = (header(old), header(new)) {
        return Columns {
            by_header: true,
            old_of_new: new_names
                .iter()
                .map(|n| old_names.iter().position(|o| o == n))
                .collect(),
            added: new_names
                .iter()
                .filter(|n| !old_names.contains(n))
                .cloned()
                .collect(),
            removed: old_names
                .iter()
                .filter(|o| !new_names.contains(o))
                .cloned()
                .collect(),
            labels: new_names,
            old_labels: old_names,
        };
    }
    let letters = |s: &Sheet| {
        (0..width(s))
            .map(|c| column_letters(s.origin.1 + c as u32))
            .collect()
    };
    Columns {
        by_header: false,
        labels: letters(new),
        old_labels: letters(old),
        old_of_new: (0..width(new))
            .map(|c| (c < width(old)).then_some(c))
            .collect(),
        added: Vec::new(),
        removed: Vec::new(),
    }
}

/// A column's letters as a spreadsheet names it: A, B … Z, AA, AB …
pub fn column_letters(column: u32) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// How the rows of two sheets pair: (FROM row, TO row) indexes, in order,
/// each side once at most.
type RowPairs = Vec<(Option<usize>, Option<usize>)>;

fn compare_sheet(old: &Sheet, new: &Sheet, key: Option<&str>) -> SheetChange {
    let columns = columns(old, new);
    let mut change = whole(new, SheetKind::Unchanged);
    if old.name != new.name {
        change.old_name = Some(old.name.clone());
    }
    let keyed = key.map(|k| by_key(old, new, k));
    let pairs = match keyed {
        Some(Ok(pairs)) => {
            change.key = key.map(str::to_string);
            pairs
        }
        Some(Err(why)) => {
            change
                .warnings
                .push(format!("rows are aligned by content, not by key: {why}"));
            by_content(old, new)
        }
        None => by_content(old, new),
    };
    change.rows = row_changes(old, new, &columns, &pairs);
    change.columns_added = columns.added;
    change.columns_removed = columns.removed;
    let changed = !change.rows.is_empty()
        || !change.columns_added.is_empty()
        || !change.columns_removed.is_empty()
        || change.old_name.is_some();
    if changed {
        change.kind = SheetKind::Changed;
    }
    change
}

/// Rows paired by the key column, the header row with the header row; none
/// where a side has no such column, a row without a key or a key twice.
fn by_key(old: &Sheet, new: &Sheet, key: &str) -> Result<RowPairs, String> {
    let (old_keys, new_keys) = (keyed_rows(old, key, "FROM")?, keyed_rows(new, key, "TO")?);
    let old_row: HashMap<&str, usize> = old_keys.iter().map(|(r, k)| (k.as_str(), *r)).collect();
    let mut paired_old = vec![false; old.rows.len()];
    let mut pairs: RowPairs = vec![(Some(0), Some(0))];
    for (j, k) in &new_keys {
        let i = old_row.get(k.as_str()).copied();
        if let Some(i) = i {
            paired_old[i] = true;
        }
        pairs.push((i, Some(*j)));
    }
    for (i, _) in old_keys.iter().filter(|(i, _)| !paired_old[*i]) {
        pairs.push((Some(*i), None));
    }
    Ok(pairs)
}

/// The rows under a sheet's header with their keys.
fn keyed_rows(sheet: &Sheet, key: &str, side: &str) -> Result<Vec<(usize, String)>, String> {
    let names = header(sheet).ok_or_else(|| format!("{side}'s first row is not a header"))?;
    let column = names
        .iter()
        .position(|n| n == key)
        .ok_or_else(|| format!("{side} has no column \"{key}\""))?;
    let mut seen = hashbrown::HashSet::new();
    let mut rows = Vec::new();
    for (r, row) in sheet.rows.iter().enumerate().skip(1) {
        if row.is_empty() {
            continue;
        }
        let value = row.get(column).map(Cell::text).unwrap_or_default();
        let number = sheet.origin.0 as usize + r + 1;
        if value.trim().is_empty() {
            return Err(format!("{side}'s row {number} has no \"{key}\""));
        }
        if !seen.insert(value.clone()) {
            return Err(format!("{side} has the key \"{value}\" twice"));
        }
        rows.push((r, value));
    }
    Ok(rows)
}

/// Rows aligned by content as lines are; in a changed stretch, rows with the
/// same first cell pair, the others are added or removed.
fn by_content(old: &Sheet, new: &Sheet) -> RowPairs {
    let mut input = InternedInput::default();
    input.update_before(old.lines.iter().map(String::as_str));
    input.update_after(new.lines.iter().map(String::as_str));
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    for hunk in diff.hunks() {
        let (before, after) = (hunk.before.start as usize, hunk.after.start as usize);
        pairs.extend((i..before).zip(j..after).map(|(a, b)| (Some(a), Some(b))));
        let olds: Vec<usize> = (before..hunk.before.end as usize).collect();
        let news: Vec<usize> = (after..hunk.after.end as usize).collect();
        pairs.extend(pair_by_first_cell(old, new, &olds, &news));
        (i, j) = (hunk.before.end as usize, hunk.after.end as usize);
    }
    pairs.extend(
        (i..old.rows.len())
            .zip(j..new.rows.len())
            .map(|(a, b)| (Some(a), Some(b))),
    );
    pairs
        .into_iter()
        .filter(|&(a, b)| {
            let empty = |s: &Sheet, r: Option<usize>| r.is_none_or(|r| s.rows[r].is_empty());
            !(empty(old, a) && empty(new, b))
        })
        .collect()
}

fn pair_by_first_cell(old: &Sheet, new: &Sheet, olds: &[usize], news: &[usize]) -> RowPairs {
    let first = |s: &Sheet, r: usize| s.rows[r].first().map(Cell::text).unwrap_or_default();
    // Where each first cell comes in FROM's stretch, in order, so that a row of
    // TO finds the next one after the last row paired without scanning the
    // stretch again (a stretch can be a whole sheet, as when a column is added).
    let mut places: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (at, &i) in olds.iter().enumerate() {
        let cell = first(old, i);
        if !cell.is_empty() {
            places.entry(cell).or_default().push_back(at);
        }
    }
    let mut pairs = Vec::new();
    let mut next = 0;
    for &j in news {
        let found = places.get_mut(&first(new, j)).and_then(|at| {
            while at.front().is_some_and(|&a| a < next) {
                at.pop_front();
            }
            at.front().copied()
        });
        if let Some(at) = found {
            pairs.extend(olds[next..at].iter().map(|&i| (Some(i), None)));
            pairs.push((Some(olds[at]), Some(j)));
            next = at + 1;
        } else {
            pairs.push((None, Some(j)));
        }
    }
    pairs.extend(olds[next..].iter().map(|&i| (Some(i), None)));
    pairs
}

fn row_changes(old: &Sheet, new: &Sheet, columns: &Columns, pairs: &RowPairs) -> Vec<RowChange> {
    let number = |s: &Sheet, r: usize| s.origin.0 as usize + r + 1;
    let mut changes = Vec::new();
    for &(i, j) in pairs {
        let (kind, cells, values) = match (i, j) {
            (Some(0), Some(0)) if columns.by_header => continue,
            (Some(i), Some(j)) => {
                let cells = changed_cells(&old.rows[i], &new.rows[j], columns);
                if cells.is_empty() {
                    continue;
                }
                (RowKind::Changed, cells, Vec::new())
            }
            (None, Some(j)) => (
                RowKind::Added,
                Vec::new(),
                values(&new.rows[j], &columns.labels),
            ),
            (Some(i), None) => (
                RowKind::Removed,
                Vec::new(),
                values(&old.rows[i], &columns.old_labels),
            ),
            (None, None) => continue,
        };
        let row = j.map_or_else(|| &old.rows[i.unwrap_or(0)], |j| &new.rows[j]);
        changes.push(RowChange {
            anchor: format!("{}-row-{}", new.name, j.map_or(0, |j| number(new, j))),
            key: row.first().map(Cell::text).unwrap_or_default(),
            kind,
            old_row: i.map(|i| number(old, i)),
            new_row: j.map(|j| number(new, j)),
            moved: false,
            cells,
            values,
        });
    }
    changes
}

fn changed_cells(old: &[Cell], new: &[Cell], columns: &Columns) -> Vec<CellChange> {
    let text = |row: &[Cell], c: usize| row.get(c).map(Cell::text).unwrap_or_default();
    let width = new.len().max(columns.labels.len());
    let mut cells: Vec<CellChange> = (0..width)
        .filter_map(|c| {
            let old_cell = columns.old_of_new.get(c).copied().flatten();
            if old_cell.is_some_and(|o| old.get(o) == new.get(c)) {
                return None;
            }
            let before = old_cell.map(|o| text(old, o)).unwrap_or_default();
            let after = text(new, c);
            (before != after).then(|| CellChange {
                column: columns
                    .labels
                    .get(c)
                    .cloned()
                    .unwrap_or_else(|| column_letters(c as u32)),
                old: before,
                new: after,
            })
        })
        .collect();
    // What a removed column held.
    for (o, label) in columns.old_labels.iter().enumerate() {
        if columns.removed.contains(label) && !text(old, o).is_empty() {
            cells.push(CellChange {
                column: label.clone(),
                old: text(old, o),
                new: String::new(),
            });
        }
    }
    cells
}

fn values(row: &[Cell], labels: &[String]) -> Vec<(String, String)> {
    row.iter()
        .enumerate()
        .filter(|(_, cell)| !cell.text().is_empty())
        .map(|(c, cell)| {
            let label = labels
                .get(c)
                .cloned()
                .unwrap_or_else(|| column_letters(c as u32));
            (label, cell.text())
        })
        .collect()
}
