//! Arbitrary bytes never panic: the parsers of records, references, headline
//! reports and every redline engine meet random and mangled input here, as a
//! hostile repository or a damaged file would give them.

use baseline::model::config::ImportPatterns;
use baseline::model::{Format, Reference, VersionSelector};
use baseline::redline::{ReadAs, compare};
use proptest::prelude::*;

const REPORT: &str = include_str!("../examples/dag026/DAG026-headline-report.txt");
const REPORTS: [&str; 4] = [
    REPORT,
    include_str!("fixtures/import/DAG028-headline-report.txt"),
    include_str!("fixtures/import/DAG029-headline-report.txt"),
    include_str!("fixtures/import/DAG030-headline-report.txt"),
];

/// A report whose lines extraction broke otherwise: some joined, one dropped,
/// and an id or a footer dropped into the middle of one.
fn rearranged_report() -> impl Strategy<Value = Vec<u8>> {
    (
        0..REPORTS.len(),
        prop::collection::vec(any::<prop::sample::Index>(), 1..8),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        prop::sample::select(vec![
            "DAG-DEC99",
            "DAG99-01",
            "Page 3 of 9",
            "CR099",
            "-",
            "(",
            ")",
            ":",
        ]),
    )
        .prop_map(|(report, joins, dropped, at, inserted)| {
            let mut lines: Vec<String> = REPORTS[report].lines().map(str::to_string).collect();
            for join in joins {
                let n = join.index(lines.len() - 1);
                let next = lines.remove(n + 1);
                lines[n] = format!("{} {next}", lines[n]);
            }
            lines.remove(dropped.index(lines.len()));
            let n = at.index(lines.len());
            let middle = lines[n]
                .char_indices()
                .nth(lines[n].chars().count() / 2)
                .map_or(0, |(i, _)| i);
            lines[n].insert_str(middle, &format!(" {inserted} "));
            lines.join("\n").into_bytes()
        })
}

/// Text that is a real report with bytes flipped, cut or spliced.
fn mangled_report() -> impl Strategy<Value = Vec<u8>> {
    (
        0..REPORT.len(),
        0..REPORT.len(),
        any::<u8>(),
        prop::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(at, cut, byte, splice)| {
            let mut bytes = REPORT.as_bytes().to_vec();
            bytes[at] = byte;
            let (from, to) = (at.min(cut), at.max(cut));
            bytes.splice(from..(from + (to - from) / 8).min(bytes.len()), splice);
            bytes
        })
}

const FORMATS: [Format; 11] = [
    Format::Md,
    Format::Txt,
    Format::Csv,
    Format::Tsv,
    Format::Yaml,
    Format::Json,
    Format::Docx,
    Format::Xlsx,
    Format::Xlsm,
    Format::Ods,
    Format::Pdf,
];

/// A zip package of random parts under the names Office files use, so the
/// Word and workbook readers get past the zip and meet broken XML.
fn office_package() -> impl Strategy<Value = Vec<u8>> {
    let names = prop::sample::select(vec![
        "word/document.xml",
        "word/footnotes.xml",
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "[Content_Types].xml",
        "content.xml",
    ]);
    prop::collection::vec(
        (
            names,
            "(<[a-z:]{1,6}( [a-z:]{1,4}=\"[^\"<]{0,5}\")?/?>|</[a-z:]{1,6}>|[^<]{0,8}){0,30}",
        ),
        1..5,
    )
    .prop_map(|parts| {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, content) in parts {
            if zip
                .start_file(name, zip::write::SimpleFileOptions::default())
                .is_ok()
            {
                zip.write_all(content.as_bytes()).unwrap();
            }
        }
        zip.finish().unwrap().into_inner()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn references_never_panic(text in "\\PC{0,40}") {
        let _ = Reference::parse(&text, VersionSelector::Latest);
    }

    #[test]
    fn records_never_panic(text in "\\PC{0,200}") {
        let _ = toml::from_str::<baseline::model::Decision>(&text);
        let _ = toml::from_str::<baseline::model::VersionRecord>(&text);
        let _ = toml::from_str::<baseline::model::Change>(&text);
    }

    #[test]
    fn mangled_reports_never_panic(bytes in mangled_report()) {
        let patterns = baseline::import::Patterns::new(&ImportPatterns::default()).unwrap();
        let _ = baseline::import::parse(&bytes, &patterns);
    }

    #[test]
    fn rearranged_reports_never_panic(bytes in rearranged_report()) {
        let patterns = baseline::import::Patterns::new(&ImportPatterns::default()).unwrap();
        let _ = baseline::import::parse(&bytes, &patterns);
    }

    #[test]
    fn every_redline_engine_takes_random_bytes(
        old in prop::collection::vec(any::<u8>(), 0..300),
        new in prop::collection::vec(any::<u8>(), 0..300),
        format in prop::sample::select(FORMATS.to_vec()),
    ) {
        let _ = compare(&old, &new, ReadAs { format, key: Some("D-Flow") });
    }

    #[test]
    fn office_readers_take_broken_packages(
        old in office_package(),
        new in office_package(),
        format in prop::sample::select(vec![Format::Docx, Format::Xlsx, Format::Ods]),
    ) {
        let _ = compare(&old, &new, ReadAs { format, key: None });
    }
}
