//! The pack's register of the release's versions, in the programme's own
//! columns (Short Name, Doc Number …) plus the file each is in, so that
//! `baseline import register` can read it back. Every row says when and from
//! which commit it was made.

use maud::html;
use rust_xlsxwriter::{Format, Workbook};

use super::page::{href, page};
use super::{PackArtefact, PackContents};
use crate::error::{Error, Result};

const COLUMNS: [&str; 14] = [
    "Short Name",
    "Doc Number",
    "Title",
    "Kind",
    "Status",
    "Version",
    "Date",
    "Decisions",
    "Changes",
    "SHA-256",
    "File",
    "Made at",
    "From commit",
    "Signed by",
];

fn row(pack: &PackContents, a: &PackArtefact) -> [String; 14] {
    let file = a.file.rsplit('/').next().unwrap_or(&a.file);
    [
        a.title.clone(),
        a.id.clone(),
        a.title.clone(),
        a.kind.clone(),
        "Baselined".to_string(),
        a.version.to_string(),
        a.date.to_string(),
        a.decisions.join(" "),
        a.changes.join(" "),
        a.sha256.clone(),
        file.to_string(),
        pack.made.at.to_string(),
        pack.made.commit.clone(),
        a.signed_by
            .as_ref()
            .map(|s| s.described())
            .unwrap_or_default(),
    ]
}

pub fn register_csv(pack: &PackContents) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |err: csv::Error| {
        Error::failed(
            format!("could not write the register as CSV: {err}"),
            "report this as a bug",
        )
    };
    writer.write_record(COLUMNS).map_err(failed)?;
    for a in &pack.artefacts {
        let cells = row(pack, a).map(crate::audit::register::inert);
        writer.write_record(cells).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|err| failed(err.into_error().into()))
}

/// The register as a workbook: sheet "Register" with a filter on its header,
/// and sheet "About" saying what the pack is and where it came from.
pub fn register_xlsx(pack: &PackContents) -> Result<Vec<u8>> {
    let failed = |err: rust_xlsxwriter::XlsxError| {
        Error::failed(
            format!("could not write the register as a workbook: {err}"),
            "report this as a bug",
        )
    };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("Register").map_err(failed)?;
    for (column, name) in (0u16..).zip(COLUMNS) {
        sheet
            .write_string_with_format(0, column, name, &bold)
            .map_err(failed)?;
    }
    for (line, a) in (1u32..).zip(&pack.artefacts) {
        for (column, cell) in (0u16..).zip(row(pack, a)) {
            sheet.write_string(line, column, cell).map_err(failed)?;
        }
    }
    let last_row = u32::try_from(pack.artefacts.len()).unwrap_or(u32::MAX - 1);
    sheet
        .autofilter(0, 0, last_row, COLUMNS.len() as u16 - 1)
        .map_err(failed)?;
    sheet.autofit();
    let about = book.add_worksheet().set_name("About").map_err(failed)?;
    for (line, (name, value)) in (0u32..).zip(about_lines(pack)) {
        about
            .write_string_with_format(line, 0, name, &bold)
            .map_err(failed)?;
        about.write_string(line, 1, value).map_err(failed)?;
    }
    about.autofit();
    book.save_to_buffer().map_err(failed)
}

fn about_lines(pack: &PackContents) -> Vec<(&'static str, String)> {
    let release = &pack.release;
    vec![
        ("Programme", pack.programme.clone()),
        ("Release", release.id.clone()),
        ("Release date", release.date.to_string()),
        ("Approved by", release.decisions.join(", ")),
        ("Made at", pack.made.at.to_string()),
        ("Made by", pack.made.by.clone()),
        ("From commit", pack.made.commit.clone()),
    ]
}

pub fn register_html(pack: &PackContents) -> String {
    let title = format!("{} register — {}", pack.programme, pack.release.id);
    page(
        &title,
        html! {
            h1 { (title) }
            p.made { "Made " (pack.made.at) " by " (pack.made.by) " from commit " code { (pack.made.commit) } "." }
            table {
                thead { tr { @for c in COLUMNS[..11].iter().chain(&COLUMNS[13..]) { th scope="col" { (c) } } } }
                tbody {
                    @for a in &pack.artefacts {
                        @let cells = row(pack, a);
                        tr {
                            td { (cells[0]) }
                            th scope="row" { (cells[1]) }
                            @for c in &cells[2..9] { td { (c) } }
                            td { code { (cells[9]) } }
                            td { a href=(href(&a.file)) { (cells[10]) } }
                            td { (cells[13]) }
                        }
                    }
                }
            }
        },
    )
}
