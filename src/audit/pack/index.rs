//! The pack's front page: what the release is, and a link to every file in it.

use maud::html;

use super::PackContents;
use super::page::{href, page};
use crate::model::pack::{BASELINED, MANIFEST, REDLINED};

pub fn index_html(pack: &PackContents) -> String {
    let release = &pack.release;
    let title = format!("{} release {}", pack.programme, release.id);
    page(
        &title,
        html! {
            h1 { (title) @if let Some(t) = &release.title { " — " (t) } }
            p { "Dated " (release.date) ", approved by " (release.decisions.join(", ")) "." }
            ul {
                li { a href="release-note.html" { "Release note" } " (" a href="release-note.md" { "Markdown" } ")" }
                li { a href="register.html" { "Register" } " (" a href="register.xlsx" { "Excel" } ", " a href="register.csv" { "CSV" } ")" }
                li { a href=(href(MANIFEST)) { "Manifest" } ": the SHA-256 of every file here; check the pack with " code { "baseline verify --pack FOLDER" } }
            }
            h2 { (BASELINED) }
            ul {
                @for a in &pack.artefacts {
                    li { a href=(href(&a.file)) { (a.file.rsplit('/').next().unwrap_or(&a.file)) } }
                }
            }
            h2 { (REDLINED) }
            @let redlines: Vec<&String> = pack.artefacts.iter().filter_map(|a| a.redline.as_ref()).collect();
            @if redlines.is_empty() { p { "No artefact changed since the previous release." } }
            ul {
                @for r in redlines {
                    li { a href=(href(r)) { (r.rsplit('/').next().unwrap_or(r)) } }
                }
            }
            p.made { "Made " (pack.made.at) " by " (pack.made.by) " from commit " code { (pack.made.commit) } "." }
        },
    )
}
