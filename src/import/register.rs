//! Reading a programme's own register of artefacts — a CSV file or a workbook
//! with a header row (Doc Number, Short Name, Sub Type, Status, Version, File)
//! and a row per artefact — into rows to adopt. Pure: bytes in, rows and the
//! problems of each bad row out, numbered as the spreadsheet shows them.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Format, VersionNumber};
use crate::redline::encoding;
use crate::rules;

/// One artefact the register lists, its cells read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row as the spreadsheet numbers it: the header is row 1.
    pub number: usize,
    pub id: String,
    pub title: String,
    pub kind: Option<String>,
    pub owner: Option<String>,
    pub status: Option<String>,
    pub version: VersionNumber,
    /// The content file, as the register names it (relative to the files folder).
    pub file: String,
}

/// What is wrong with one cell of a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The row as the spreadsheet numbers it.
    pub row: usize,
    /// The column concerned, by the register's own header.
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}, {}: {}", self.row, self.column, self.message)
    }
}

/// A register read: the sheet its rows came from (for a workbook), every row
/// whose cells could be read, and the problems of each bad row (a row listed
/// twice is among the rows, and has a problem).
#[derive(Debug)]
pub struct Register {
    pub sheet: Option<String>,
    /// The header's own words for the id and file columns, to name them in
    /// problems found later (an id already registered, a file missing).
    pub id_column: String,
    pub file_column: String,
    pub rows: Vec<Row>,
    pub problems: Vec<Problem>,
}

/// The statuses that say an artefact is baselined, in a programme's words.
pub const ADOPTABLE_STATUSES: [&str; 3] = ["baselined", "approved", "published"];

/// The fields read from a register, each with the headers that name it
/// (compared ignoring case, spaces and punctuation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Id,
    Title,
    Kind,
    Owner,
    Status,
    Version,
    File,
}

const FIELDS: [(Field, &[&str], bool); 7] = [
    (Field::Id, &["Doc Number", "Document Number"], true),
    (Field::Title, &["Short Name", "Title"], true),
    (Field::Kind, &["Sub Type", "Kind"], false),
    (Field::Owner, &["Owner"], false),
    (Field::Status, &["Status"], false),
    (Field::Version, &["Version"], true),
    (Field::File, &["File", "File Name"], true),
];

/// A cell as the register holds it: text, or a number a workbook stores as one.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.trim().to_string(),
            Cell::Number(number) => number.to_string(),
        }
    }
}

/// Reads the register `name` (its extension gives its format) from `bytes`.
/// A register that cannot be read, or whose header lacks a required column,
/// is refused; a bad row is a problem, and reading goes on.
pub fn read(name: &str, bytes: &[u8]) -> Result<Register> {
    let extension = std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => rows_of(name, None, csv_rows(name, bytes, None)?),
        Some("tsv") => rows_of(name, None, csv_rows(name, bytes, Some(b'\t'))?),
        Some("xlsx" | "xlsm" | "ods") => workbook(name, bytes),
        _ => Err(Error::usage(
            format!("{name}: a register is read from a .csv, .tsv, .xlsx, .xlsm or .ods file"),
            "save the register from Excel as a workbook (.xlsx) or as CSV",
        )),
    }
}

/// A table's rows, each with its spreadsheet row number; the first is the header.
type Table = Vec<(usize, Vec<Cell>)>;

fn csv_rows(name: &str, bytes: &[u8], delimiter: Option<u8>) -> Result<Table> {
    let text = encoding::decode(Format::Csv, bytes).ok_or_else(|| {
        Error::refused(
            format!("{name} is not text in UTF-8, UTF-16 or Windows-1252"),
            "save the register from Excel as \"CSV UTF-8\" or as a workbook (.xlsx)",
        )
    })?;
    let text = text.text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or("");
    // Excel writes ';' between cells where ',' is the decimal separator.
    let delimiter = delimiter.unwrap_or(if first_line.contains(',') || !first_line.contains(';') {
        b','
    } else {
        b';'
    });
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut table = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|err| {
            Error::refused(
                format!("{name}, row {}: the CSV cannot be read: {err}", index + 1),
                "open the register in Excel and save it as CSV again",
            )
        })?;
        let cells = record.iter().map(|c| Cell::Text(c.to_string())).collect();
        table.push((index + 1, cells));
    }
    Ok(table)
}

/// The first sheet whose header has every required column.
fn workbook(name: &str, bytes: &[u8]) -> Result<Register> {
    use calamine::Reader;
    let unreadable = |err: calamine::Error| {
        Error::refused(
            format!("{name} cannot be read as a workbook: {err}"),
            "open it in Excel or LibreOffice and save it again as .xlsx",
        )
    };
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let mut first_refusal = None;
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).map_err(unreadable)?;
        let table = sheet_rows(&range);
        match rows_of(name, Some(&sheet), table) {
            Ok(register) => return Ok(register),
            Err(err) => {
                first_refusal.get_or_insert(err);
            }
        }
    }
    Err(first_refusal.unwrap_or_else(|| {
        Error::refused(
            format!("{name} has no sheets"),
            "name the workbook that holds the register",
        )
    }))
}

fn sheet_rows(range: &calamine::Range<calamine::Data>) -> Table {
    use calamine::Data;
    let top = range.start().map_or(0, |(row, _)| row as usize);
    let left = range.start().map_or(0, |(_, column)| column as usize);
    range
        .rows()
        .enumerate()
        .map(|(index, cells)| {
            // Blank columns left of the used range keep their places.
            let mut row = vec![Cell::Text(String::new()); left];
            row.extend(cells.iter().map(|cell| match cell {
                Data::Int(n) => Cell::Number(*n as f64),
                Data::Float(n) => Cell::Number(*n),
                Data::Empty => Cell::Text(String::new()),
                other => Cell::Text(other.to_string()),
            }));
            (top + index + 1, row)
        })
        .collect()
}

/// Where each field is in the header, and the header's own words for it.
struct Columns {
    at: HashMap<Field, (usize, String)>,
}

impl Columns {
    fn find(name: &str, sheet: Option<&str>, row: usize, header: &[Cell]) -> Result<Columns> {
        let place = match sheet {
            Some(sheet) => format!("{name}, sheet \"{sheet}\""),
            None => name.to_string(),
        };
        // Each field's column, and the rank of the header naming it: where two
        // headers name one field (a pack's register has Short Name and Title),
        // the first of its names wins; the same name twice is refused.
        let mut found: HashMap<Field, (usize, usize, String)> = HashMap::new();
        for (index, cell) in header.iter().enumerate() {
            let words = cell.text();
            let Some((field, rank)) = FIELDS.iter().find_map(|(field, names, _)| {
                let rank = names.iter().position(|n| same_header(n, &words))?;
                Some((*field, rank))
            }) else {
                continue;
            };
            match found.get(&field) {
                Some((_, earlier, _)) if *earlier < rank => continue,
                Some((_, earlier, _)) if *earlier > rank => {}
                None => {}
                Some((_, _, earlier)) => {
                    return Err(Error::refused(
                        format!(
                            "{place}: the header has both \"{earlier}\" and \"{words}\", which name the same thing"
                        ),
                        "keep one of the two columns (rename or delete the other) and run again",
                    ));
                }
            }
            found.insert(field, (index, rank, words));
        }
        let at: HashMap<Field, (usize, String)> = found
            .into_iter()
            .map(|(field, (index, _, words))| (field, (index, words)))
            .collect();
        let missing: Vec<&str> = FIELDS
            .iter()
            .filter(|(field, _, required)| *required && !at.contains_key(field))
            .map(|(_, names, _)| names[0])
            .collect();
        if !missing.is_empty() {
            return Err(Error::refused(
                format!(
                    "{place}: the header (row {row}) has no column {} (it has: {})",
                    missing.join(", "),
                    header
                        .iter()
                        .map(Cell::text)
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "the register's header row names its columns: Doc Number, Short Name, Version and File are required; Sub Type, Status and Owner are read where present",
            ));
        }
        Ok(Columns { at })
    }

    /// The header's words for a field.
    fn header(&self, field: Field) -> String {
        self.at
            .get(&field)
            .map_or_else(String::new, |(_, words)| words.clone())
    }

    fn cell<'r>(&self, row: &'r [Cell], field: Field) -> Option<&'r Cell> {
        let (index, _) = self.at.get(&field)?;
        row.get(*index)
    }

    /// A cell's text, none where the column is absent or the cell is empty.
    fn text(&self, row: &[Cell], field: Field) -> Option<String> {
        self.cell(row, field)
            .map(Cell::text)
            .filter(|t| !t.is_empty())
    }
}

fn same_header(expected: &str, found: &str) -> bool {
    let letters = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    letters(expected) == letters(found)
}

fn rows_of(name: &str, sheet: Option<&str>, table: Table) -> Result<Register> {
    let mut table = table.into_iter();
    let (header_row, header) = loop {
        match table.next() {
            Some((_, cells)) if cells.iter().all(|c| c.text().is_empty()) => continue,
            Some(header) => break header,
            None => {
                return Err(Error::refused(
                    format!("{name} is empty"),
                    "name the register file that lists the artefacts",
                ));
            }
        }
    };
    let columns = Columns::find(name, sheet, header_row, &header)?;
    let mut register = Register {
        sheet: sheet.map(str::to_string),
        id_column: columns.header(Field::Id),
        file_column: columns.header(Field::File),
        rows: Vec::new(),
        problems: Vec::new(),
    };
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut files: HashMap<String, usize> = HashMap::new();
    for (number, cells) in table {
        if cells.iter().all(|c| c.text().is_empty()) {
            continue;
        }
        let mut problems = Vec::new();
        let mut problem = |field: Field, message: String| {
            problems.push(Problem {
                row: number,
                column: columns.header(field),
                message,
            });
        };
        let row = read_row(number, &cells, &columns, &mut problem);
        if let Some(row) = &row {
            if let Some(earlier) = ids.insert(row.id.to_lowercase(), number) {
                problem(
                    Field::Id,
                    format!("{} is listed again: row {earlier} has it too", row.id),
                );
            }
            if let Some(earlier) = files.insert(row.file.clone(), number) {
                problem(
                    Field::File,
                    format!("{} is named again: row {earlier} names it too", row.file),
                );
            }
        }
        register.problems.extend(problems);
        register.rows.extend(row);
    }
    Ok(register)
}

/// A row's cells, each checked; none if a required one is missing or wrong
/// (each wrong cell is told to `problem`).
fn read_row(
    number: usize,
    cells: &[Cell],
    columns: &Columns,
    problem: &mut dyn FnMut(Field, String),
) -> Option<Row> {
    let mut required = |field: Field, what: &str| {
        let text = columns.text(cells, field);
        if text.is_none() {
            problem(field, format!("no {what} is given"));
        }
        text
    };
    let id = required(Field::Id, "document number");
    let title = required(Field::Title, "title");
    let file = required(Field::File, "file");
    let version = version(columns.cell(cells, Field::Version), &mut |m| {
        problem(Field::Version, m)
    });
    let mut one_line = |field: Field, text: Option<String>| {
        let text = text?;
        match rules::check_one_line(&columns.header(field), &text) {
            Ok(()) => Some(text),
            Err(err) => {
                problem(field, err.message);
                None
            }
        }
    };
    let title = one_line(Field::Title, title);
    let file = one_line(Field::File, file);
    let kind = columns.text(cells, Field::Kind);
    let owner = columns.text(cells, Field::Owner);
    let kind_ok = kind.is_none() || one_line(Field::Kind, kind.clone()).is_some();
    let owner_ok = owner.is_none() || one_line(Field::Owner, owner.clone()).is_some();
    let status = columns.text(cells, Field::Status);
    let status_ok = status_adoptable(columns, status.as_deref(), &mut |m| {
        problem(Field::Status, m)
    });
    if !(kind_ok && owner_ok && status_ok) {
        return None;
    }
    Some(Row {
        number,
        id: id?,
        title: title?,
        kind,
        owner,
        status,
        version: version?,
        file: file?,
    })
}

/// A version cell as text, "v5.6.1" read as 5.6.1. A number a workbook stored
/// as one is refused: 1.10 typed into a number cell is kept as 1.1.
fn version(cell: Option<&Cell>, problem: &mut dyn FnMut(String)) -> Option<VersionNumber> {
    let text = match cell {
        Some(Cell::Number(number)) => {
            problem(format!(
                "the workbook holds the version as the number {number}, which may not be what was typed (1.10 is kept as 1.1); format the column as Text and type the version again"
            ));
            return None;
        }
        Some(cell) => cell.text(),
        None => String::new(),
    };
    if text.is_empty() {
        problem("no version is given".into());
        return None;
    }
    let number = text.strip_prefix(['v', 'V']).unwrap_or(&text).trim_start();
    match number.parse() {
        Ok(version) => Some(version),
        Err(err) => {
            problem(err.message);
            None
        }
    }
}

/// Whether a row's status (where the register has a Status column) says the
/// artefact is baselined: only baselined artefacts are adopted as baselines.
fn status_adoptable(
    columns: &Columns,
    status: Option<&str>,
    problem: &mut dyn FnMut(String),
) -> bool {
    if !columns.at.contains_key(&Field::Status) {
        return true;
    }
    match status {
        None => {
            problem("no status is given".into());
            false
        }
        Some(status) if ADOPTABLE_STATUSES.iter().any(|s| same_header(s, status)) => true,
        Some(status) => {
            problem(format!(
                "\"{status}\" is not a baselined status ({}): only baselined artefacts are adopted; take the row out and register the artefact with `baseline add`",
                ADOPTABLE_STATUSES.join(", ")
            ));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Doc Number,Short Name,Sub Type,Status,Version,File\n";

    fn read_csv(rows: &str) -> Register {
        read("register.csv", format!("{HEADER}{rows}").as_bytes()).unwrap()
    }

    fn problems(register: &Register) -> Vec<String> {
        register.problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn rows_are_read_with_their_spreadsheet_numbers() {
        let register = read_csv(
            "DES138,Interface Catalogue,Design Artefact,Baselined,5.6.1,DES138 Interface Catalogue v5.6.1.xlsx\n\
             ,,,,,\n\
             DES196,D-Flow and Interface Mapping,,Approved,v1.0,des196.csv\n",
        );
        assert_eq!(problems(&register), Vec::<String>::new());
        assert_eq!(register.rows.len(), 2);
        let first = &register.rows[0];
        assert_eq!(
            (first.number, first.id.as_str(), first.version.to_string()),
            (2, "DES138", "5.6.1".to_string())
        );
        assert_eq!(first.kind.as_deref(), Some("Design Artefact"));
        assert_eq!(register.rows[1].number, 4, "the blank row keeps its number");
        assert_eq!(register.rows[1].kind, None);
    }

    #[test]
    fn headers_match_ignoring_case_spaces_and_order() {
        let text = "\u{feff}FILE;version;doc  number;SHORT NAME\nd.md;1.0;DOC;A document\n";
        let register = read("r.csv", text.as_bytes()).unwrap();
        assert_eq!(register.rows[0].file, "d.md");
        assert_eq!(register.rows[0].status, None);
    }

    #[test]
    fn every_bad_row_is_a_problem_with_its_row_and_column() {
        let register = read_csv(
            "DES1,One,,Baselined,1.0,one.md\n\
             DES2,,,Draft,1.x,two.md\n\
             des1,Again,,Baselined,2.0,one.md\n\
             DES4,Four,,Baselined,1,\n",
        );
        assert_eq!(
            problems(&register),
            [
                "row 3, Short Name: no title is given",
                "row 3, Version: `1.x` is not a version number: each part must be digits",
                "row 3, Status: \"Draft\" is not a baselined status (baselined, approved, published): only baselined artefacts are adopted; take the row out and register the artefact with `baseline add`",
                "row 4, Doc Number: des1 is listed again: row 2 has it too",
                "row 4, File: one.md is named again: row 2 names it too",
                "row 5, File: no file is given",
                "row 5, Version: `1` is not a version number: it must have two to four parts",
            ]
        );
        assert_eq!(register.rows.len(), 2, "the row listed again is read");
    }

    #[test]
    fn a_register_without_a_required_column_is_refused() {
        let err = read("r.csv", b"Doc Number,Title,File\nDES1,One,one.md\n").unwrap_err();
        assert!(
            err.message
                .contains("the header (row 1) has no column Version"),
            "{}",
            err.message
        );
        let err = read("r.csv", b"Doc Number,Title,title,Version,File\n").unwrap_err();
        assert!(
            err.message.contains("both \"Title\" and \"title\""),
            "{}",
            err.message
        );
        let both = read(
            "r.csv",
            b"Title,Doc Number,Short Name,Version,File\nLong,D1,Short,1.0,d.md\n",
        );
        assert_eq!(
            both.unwrap().rows[0].title,
            "Short",
            "Short Name wins over Title"
        );
        assert!(read("r.txt", b"x").is_err());
        assert!(read("r.csv", b"").is_err());
    }

    #[test]
    fn windows_1252_csv_is_read() {
        let bytes = b"Doc Number,Short Name,Version,File\nDES1,Caf\xe9 rules,1.0,one.md\n";
        let register = read("r.csv", bytes).unwrap();
        assert_eq!(register.rows[0].title, "Café rules");
    }

    #[test]
    fn workbook_rows_keep_their_numbers_and_numeric_versions_are_refused() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("Notes").unwrap();
        sheet.write(0, 0, "Read me").unwrap();
        let sheet = book.add_worksheet().set_name("Register").unwrap();
        for (column, header) in ["Doc Number", "Short Name", "Version", "File"]
            .iter()
            .enumerate()
        {
            sheet.write(2, column as u16, *header).unwrap();
        }
        sheet
            .write_row(3, 0, ["DES1", "One", "5.6.1", "one.md"])
            .unwrap();
        sheet.write_row(4, 0, ["DES2", "Two"]).unwrap();
        sheet.write(4, 2, 1.1).unwrap();
        sheet.write(4, 3, "two.md").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let register = read("r.xlsx", &bytes).unwrap();
        assert_eq!(register.sheet.as_deref(), Some("Register"));
        assert_eq!(register.rows[0].number, 4);
        assert_eq!(register.problems[0].row, 5);
        assert!(register.problems[0].message.contains("as the number 1.1"));
    }
}
