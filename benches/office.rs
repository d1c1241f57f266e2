//! Office formats benchmark (issue 15, point 7): whole-process time of
//! `baseline redline` of two large workbooks and two large Word documents,
//! against the time to read both versions alone and against what people do
//! today, on the same inputs, in the same run, interleaved (median of
//! `BENCH_RUNS` runs each, 5 unless told, twice as many and one more for the
//! documents).
//!
//! - Workbooks: two .xlsx of 200,000 rows (~18 MB each, written by
//!   rust_xlsxwriter in constant-memory mode, so strings are inline), the
//!   second with 300 cells changed, 100 rows inserted and 100 removed in the
//!   middle (the formulas of the 500 rows between move with them, as Excel
//!   rewrites them) and a column added. Timed: calamine reading both (values
//!   alone; values and formulas, as the redline reads them), the redline as
//!   JSON and for the terminal, and a CSV export of both (values, by calamine
//!   and the csv crate, inside this process) followed by Python's `daff diff`.
//! - Word documents: two ~300-page .docx (headings, paragraphs, tables), the
//!   second with 1 % of paragraphs edited, 14 inserted, 15 blocks removed and
//!   table cells changed. Timed: reading both as the redline reads them
//!   (`baseline::redline::docx::read`), the redline as JSON and for the
//!   terminal, and `pandoc -t plain` of both followed by
//!   `git diff --no-index --word-diff`.
//!
//! Run: `cargo bench --bench office`. Needs `git`, `pandoc` and `daff` on the
//! PATH. Environment:
//! - `BASELINE_BIN=PATH` times another binary;
//! - `BENCH_KEEP=DIR` keeps the design repository (artefacts WB and DOC) and
//!   the four inputs (`old.xlsx`, `new.xlsx`, `old.docx`, `new.docx`) in DIR;
//! - `BENCH_RUNS=N` runs each command N times (the median is reported);
//! - `BENCH_SKIP_DAFF=1` leaves out daff (it takes minutes on these tables).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{Reader, Xlsx};
use rust_xlsxwriter::{Formula, Workbook};

mod common;
use common::run;

const ROWS: usize = 200_000;
/// Subsections of a document (a heading and four paragraphs, a table in every
/// third): 405 make the 300 pages LibreOffice lays out (`soffice --convert-to pdf`).
const SUBSECTIONS: usize = 405;
/// Set when this program is run again only to read the documents it is given,
/// to time reading them in a process of its own as the redline is timed.
const READ_DOCUMENTS: &str = "BENCH_READ_DOCUMENTS";

fn main() {
    if std::env::var_os(READ_DOCUMENTS).is_some() {
        std::env::args()
            .skip(1)
            .for_each(|path| read_document(Path::new(&path)));
        return;
    }
    let bin = std::env::var_os("BASELINE_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_baseline")),
        PathBuf::from,
    );
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let temporary = tempfile::tempdir().expect("a temporary directory");
    let dir = std::env::var_os("BENCH_KEEP").map_or_else(|| temporary.path().into(), PathBuf::from);
    let repo = dir.join("design");
    std::fs::create_dir_all(&repo).expect("create the repository folder");
    run(&bin, &repo, &["init", "--programme", "Bench"]);

    let (old_xlsx, new_xlsx) = (dir.join("old.xlsx"), dir.join("new.xlsx"));
    write_workbook(&old_xlsx, &workbook_rows(false));
    write_workbook(&new_xlsx, &workbook_rows(true));
    let (old_docx, new_docx) = (dir.join("old.docx"), dir.join("new.docx"));
    let (old_blocks, new_blocks) = document_blocks();
    std::fs::write(&old_docx, docx(&old_blocks)).expect("write FROM");
    std::fs::write(&new_docx, docx(&new_blocks)).expect("write TO");
    let size = |p: &Path| std::fs::metadata(p).expect("an input").len() as f64 / 1e6;
    println!(
        "inputs: workbooks {ROWS} rows, {:.1} and {:.1} MB; documents {} and {} blocks, {:.1} and {:.1} MB",
        size(&old_xlsx),
        size(&new_xlsx),
        old_blocks.len(),
        new_blocks.len(),
        size(&old_docx),
        size(&new_docx)
    );
    record(&bin, &repo, "WB", "workbook.xlsx", &old_xlsx, &new_xlsx);
    record(&bin, &repo, "DOC", "document.docx", &old_docx, &new_docx);

    let redline = |id: &'static str, format: &'static str| {
        let (bin, repo) = (bin.clone(), repo.clone());
        move || {
            run_quiet(
                &bin,
                &repo,
                &["redline", id, "0.1", "0.2", "--format", format],
            )
        }
    };
    let (old_csv, new_csv) = (dir.join("old.csv"), dir.join("new.csv"));
    let mut workbook_commands: Vec<Timed<'_>> = vec![
        (
            "calamine: values of both",
            Box::new(|| read_workbook(&old_xlsx, &new_xlsx, false)),
        ),
        (
            "calamine: values and formulas of both",
            Box::new(|| read_workbook(&old_xlsx, &new_xlsx, true)),
        ),
        ("redline --format json", Box::new(redline("WB", "json"))),
        ("redline --format term", Box::new(redline("WB", "term"))),
    ];
    if std::env::var_os("BENCH_SKIP_DAFF").is_none() {
        workbook_commands.push((
            "CSV export of both (calamine) + daff diff",
            Box::new(|| {
                export_csv(&old_xlsx, &old_csv);
                export_csv(&new_xlsx, &new_csv);
                quiet(Command::new("daff").arg("diff").arg(&old_csv).arg(&new_csv));
            }),
        ));
    }
    let workbook_times = interleaved_medians(&mut workbook_commands, runs);
    report(
        "Workbooks, 200,000 rows",
        &workbook_commands,
        &workbook_times,
        1,
    );

    let (old_txt, new_txt) = (dir.join("old.txt"), dir.join("new.txt"));
    let mut document_commands: Vec<Timed<'_>> = vec![
        (
            "docx::read of both, in this process",
            Box::new(|| {
                [&old_docx, &new_docx]
                    .iter()
                    .for_each(|path| read_document(path))
            }),
        ),
        (
            "docx::read of both, in a process of its own",
            Box::new(|| {
                let this = std::env::current_exe().expect("the benchmark's path");
                quiet(
                    Command::new(this)
                        .env(READ_DOCUMENTS, "1")
                        .arg(&old_docx)
                        .arg(&new_docx),
                );
            }),
        ),
        ("redline --format json", Box::new(redline("DOC", "json"))),
        ("redline --format term", Box::new(redline("DOC", "term"))),
        (
            "pandoc -t plain of both + git diff --word-diff",
            Box::new(|| {
                for (docx, txt) in [(&old_docx, &old_txt), (&new_docx, &new_txt)] {
                    quiet(
                        Command::new("pandoc")
                            .args(["-t", "plain", "-o"])
                            .arg(txt)
                            .arg(docx),
                    );
                }
                quiet(
                    Command::new("git")
                        .args(["diff", "--no-index", "--word-diff"])
                        .arg(&old_txt)
                        .arg(&new_txt),
                );
            }),
        ),
    ];
    // The documents' commands take milliseconds (pandoc seconds): more runs.
    let document_times = interleaved_medians(&mut document_commands, 2 * runs + 1);
    report(
        "Word documents, ~300 pages",
        &document_commands,
        &document_times,
        1,
    );
}

/// Reads a Word document as the redline reads it.
fn read_document(path: &Path) {
    let bytes = std::fs::read(path).expect("read a document");
    std::hint::black_box(baseline::redline::docx::read(&bytes).expect("a document"));
}

/// A command to time, with its name.
type Timed<'a> = (&'a str, Box<dyn FnMut() + 'a>);

/// Registers an artefact from `old` and records two drafts, 0.1 (`old`) and 0.2 (`new`).
fn record(bin: &Path, repo: &Path, id: &str, file: &str, old: &Path, new: &Path) {
    std::fs::copy(old, repo.join(file)).expect("copy FROM");
    run(bin, repo, &["add", id, "--title", "Benchmark input", file]);
    run(bin, repo, &["draft", id, "--date", "2024-01-01"]);
    let new = new.to_str().expect("utf-8 path");
    run(bin, repo, &["draft", id, new, "--date", "2024-01-02"]);
}

/// Prints each command's median and its ratio to the reference command
/// (`reference` indexes `commands`).
fn report(title: &str, commands: &[Timed<'_>], times: &[Duration], reference: usize) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!();
    println!("| {title} | median ms | / {} |", commands[reference].0);
    println!("|---|---:|---:|");
    for ((name, _), &time) in commands.iter().zip(times) {
        println!(
            "| {name} | {:.1} | {:.2} |",
            ms(time),
            ms(time) / ms(times[reference])
        );
    }
}

/// Reads every sheet of both workbooks with calamine: as the redline does,
/// values and formulas in one pass over each sheet's cells, kept; or as a
/// plain reader would, values alone.
fn read_workbook(old: &Path, new: &Path, formulas: bool) {
    for path in [old, new] {
        let mut book: Xlsx<_> = calamine::open_workbook(path).expect("a workbook");
        for name in book.sheet_names() {
            if !formulas {
                std::hint::black_box(book.worksheet_range(&name).expect("a sheet"));
                continue;
            }
            let mut reader = book.worksheet_cells_reader(&name).expect("a sheet");
            let mut cells = Vec::new();
            while let Some(cell) = reader.next_cell_with_formula().expect("a cell") {
                cells.push((cell.pos, calamine::Data::from(cell.value), cell.formula));
            }
            std::hint::black_box(cells);
        }
    }
}

/// Writes a workbook's first sheet as CSV, values as calamine shows them.
fn export_csv(workbook: &Path, csv_path: &Path) {
    let mut book: Xlsx<_> = calamine::open_workbook(workbook).expect("a workbook");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("a sheet");
    let mut out = csv::Writer::from_path(csv_path).expect("write the CSV");
    for row in range.rows() {
        out.write_record(row.iter().map(|cell| cell.to_string()))
            .expect("write a row");
    }
    out.flush().expect("write the CSV");
}

fn run_quiet(bin: &Path, repo: &Path, args: &[&str]) {
    quiet(Command::new(bin).args(args).current_dir(repo));
}

/// Runs a command with its output discarded; git's diff exits 1 when the files differ.
fn quiet(command: &mut Command) {
    let status = command
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "{command:?} failed: {status}"
    );
}

/// The median time of each command, run in turn (one of each, then again) so
/// that a slow spell of a shared machine weighs on all of them alike.
fn interleaved_medians(commands: &mut [Timed<'_>], runs: usize) -> Vec<Duration> {
    commands.iter_mut().for_each(|(_, f)| f());
    let mut times = vec![Vec::with_capacity(runs); commands.len()];
    for _ in 0..runs {
        for ((_, f), times) in commands.iter_mut().zip(times.iter_mut()) {
            let started = Instant::now();
            f();
            times.push(started.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort();
            t[runs / 2]
        })
        .collect()
}

/// A cheap, repeatable pseudo-random sequence.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn word(&mut self) -> &'static str {
        WORDS[(self.next() % WORDS.len() as u64) as usize]
    }

    fn words(&mut self, n: usize) -> String {
        (0..n).map(|_| self.word()).collect::<Vec<_>>().join(" ")
    }
}

const WORDS: [&str; 24] = [
    "settlement",
    "flow",
    "meter",
    "the",
    "data",
    "service",
    "registration",
    "of",
    "interface",
    "half",
    "hourly",
    "consumption",
    "party",
    "and",
    "design",
    "message",
    "supplier",
    "agent",
    "reading",
    "market",
    "validation",
    "for",
    "is",
    "code",
];

/// A workbook row: its key, text cells, two numbers, and whether it has the
/// added column's value.
#[derive(Clone)]
struct Row {
    key: String,
    text: [String; 5],
    quantity: f64,
    rate: f64,
    status: Option<&'static str>,
}

/// FROM's rows, or TO's: 300 cells changed, 100 rows inserted at 60,000 and
/// 100 removed from 60,500, and a "Status" column added.
fn workbook_rows(edited: bool) -> Vec<Row> {
    let mut rng = Lcg(11);
    let mut rows: Vec<Row> = (0..ROWS)
        .map(|n| Row {
            key: format!("D{n:06}"),
            text: [
                rng.words(2),
                ["DTN", "DIP"][(rng.next() % 2) as usize].to_string(),
                ["Yes", "No", "Under review"][(rng.next() % 3) as usize].to_string(),
                format!("Programme {}", rng.word()),
                rng.words(20),
            ],
            quantity: (rng.next() % 10_000) as f64,
            rate: (rng.next() % 1_000) as f64 / 100.0,
            status: None,
        })
        .collect();
    if !edited {
        return rows;
    }
    let mut rng = Lcg(12);
    for _ in 0..300 {
        let row = &mut rows[(rng.next() % ROWS as u64) as usize];
        match rng.next() % 3 {
            0 => row.text[0] = rng.words(2),
            1 => row.text[4] = rng.words(20),
            _ => row.quantity += 1.0,
        }
    }
    rows.drain(60_500..60_600);
    let inserted: Vec<Row> = (0..100)
        .map(|n| Row {
            key: format!("N{n:06}"),
            text: [
                rng.words(2),
                "DIP".into(),
                "Yes".into(),
                "Programme new".into(),
                rng.words(20),
            ],
            quantity: n as f64,
            rate: 1.0,
            status: None,
        })
        .collect();
    rows.splice(60_000..60_000, inserted);
    for row in &mut rows {
        row.status = Some(["Open", "Closed", "Deferred"][(rng.next() % 3) as usize]);
    }
    rows
}

/// Writes one sheet, "Interfaces": a header, then each row with a formula
/// (`=Gn*Hn`, its result stored) for its total.
fn write_workbook(path: &Path, rows: &[Row]) {
    let mut workbook = Workbook::new();
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .expect("a worksheet");
    sheet.set_name("Interfaces").expect("a sheet name");
    let mut header = vec![
        "Key",
        "Name",
        "Interface",
        "Retained",
        "Owner",
        "Commentary",
        "Quantity",
        "Rate",
        "Total",
    ];
    if rows.iter().any(|r| r.status.is_some()) {
        header.push("Status");
    }
    sheet.write_row(0, 0, header).expect("the header");
    for (n, row) in rows.iter().enumerate() {
        let r = n as u32 + 1;
        sheet.write(r, 0, &row.key).expect("a cell");
        for (c, text) in row.text.iter().enumerate() {
            sheet.write(r, c as u16 + 1, text).expect("a cell");
        }
        sheet.write(r, 6, row.quantity).expect("a cell");
        sheet.write(r, 7, row.rate).expect("a cell");
        let total = Formula::new(format!("=G{}*H{}", r + 1, r + 1))
            .set_result((row.quantity * row.rate).to_string());
        sheet.write_formula(r, 8, total).expect("a cell");
        if let Some(status) = row.status {
            sheet.write(r, 9, status).expect("a cell");
        }
    }
    workbook.save(path).expect("save the workbook");
}

/// A block of a Word document.
#[derive(Clone)]
enum Block {
    Heading(usize, String),
    Paragraph(String),
    Table(Vec<Vec<String>>),
}

/// FROM's blocks and TO's: per subsection a heading and four paragraphs of about
/// 100 words, every third one a table of 8 rows; TO with 1 % of paragraphs
/// given a different word, 14 paragraphs inserted, 15 blocks removed, and a
/// cell changed in every tenth table.
fn document_blocks() -> (Vec<Block>, Vec<Block>) {
    let mut rng = Lcg(21);
    let mut old = Vec::new();
    for page in 0..SUBSECTIONS {
        if page % 20 == 0 {
            old.push(Block::Heading(
                1,
                format!("{} {}", page / 20 + 1, rng.words(3)),
            ));
        }
        old.push(Block::Heading(
            2,
            format!("{}.{} {}", page / 20 + 1, page % 20 + 1, rng.words(4)),
        ));
        for _ in 0..4 {
            let words = 90 + (rng.next() % 20) as usize;
            old.push(Block::Paragraph(rng.words(words)));
        }
        if page % 3 == 0 {
            old.push(Block::Table(
                (0..8)
                    .map(|r| {
                        vec![
                            format!("D{page:03}{r}"),
                            rng.words(2),
                            rng.words(3),
                            rng.words(6),
                        ]
                    })
                    .collect(),
            ));
        }
    }
    let mut new = Vec::new();
    let mut tables = 0;
    for (n, block) in old.iter().enumerate() {
        let mut block = block.clone();
        match &mut block {
            Block::Paragraph(text) if rng.next().is_multiple_of(100) => {
                let mut words: Vec<&str> = text.split(' ').collect();
                let at = (rng.next() % words.len() as u64) as usize;
                words[at] = "amended";
                *text = words.join(" ");
            }
            Block::Table(rows) => {
                tables += 1;
                if tables % 10 == 0 {
                    rows[3][2] = rng.words(3);
                }
            }
            _ => {}
        }
        if n % 150 == 75 {
            continue;
        }
        if n % 150 == 0 && n > 0 {
            new.push(Block::Paragraph(rng.words(60)));
        }
        new.push(block);
    }
    (old, new)
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// A Word package: the blocks as `word/document.xml`, with the styles that
/// make Heading1 and Heading2 headings.
fn docx(blocks: &[Block]) -> Vec<u8> {
    let run = |text: &str| format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#);
    let mut body = String::new();
    for block in blocks {
        match block {
            Block::Heading(level, text) => body.push_str(&format!(
                r#"<w:p><w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>{}</w:p>"#,
                run(text)
            )),
            Block::Paragraph(text) => body.push_str(&format!("<w:p>{}</w:p>", run(text))),
            Block::Table(rows) => {
                body.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
                for cells in rows {
                    body.push_str("<w:tr>");
                    for cell in cells {
                        body.push_str(&format!("<w:tc><w:p>{}</w:p></w:tc>", run(cell)));
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let heading = |level: usize, size: usize| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/><w:pPr><w:outlineLvl w:val="{}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr></w:style>"#,
            level - 1
        )
    };
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>{}{}</w:styles>"#,
        heading(1, 32),
        heading(2, 26)
    );
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_string(),
        ),
        ("word/document.xml", document),
        ("word/styles.xml", styles),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in parts {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(name, options).expect("a part");
        zip.write_all(content.as_bytes()).expect("a part");
    }
    zip.finish().expect("the package").into_inner()
}
