//! PDF artefacts are redlined by their text, page by page, word by word; a PDF
//! that cannot be read (broken, encrypted, hostile) is compared by size and
//! hash, and the redline says why. The fixtures are real PDFs made by
//! LibreOffice: tests/fixtures/pdf/make.sh.

mod common;

use common::Design;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

const NOTE: &str = "compared as the documents' extracted text, page by page, not their layout";

/// A design whose artefact ICC has the versions `contents`, 0.1, 0.2 … in order.
fn icc_with_versions(contents: &[Vec<u8>]) -> Design {
    let design = Design::new();
    let (first, rest) = contents.split_first().unwrap();
    std::fs::create_dir_all(design.file("in")).unwrap();
    std::fs::write(design.file("in/icc.pdf"), first).unwrap();
    design.ok(&["add", "ICC", "--title", "Code of Connection", "in/icc.pdf"]);
    design.ok(&["draft", "ICC", "--date", "2023-06-01"]);
    for (n, content) in rest.iter().enumerate() {
        std::fs::write(design.file("artefacts/ICC/icc.pdf"), content).unwrap();
        let date = format!("2023-06-{:02}", n + 2);
        design.ok(&["draft", "ICC", "--date", &date]);
    }
    design
}

#[test]
fn a_pdf_is_redlined_word_by_word_and_each_change_is_labelled_with_its_page() {
    let design = icc_with_versions(&[fixture("icc-v1.pdf"), fixture("icc-v2.pdf")]);

    let term = design.ok(&["redline", "ICC", "0.1", "0.2"]);
    assert!(term.contains("change-1 · Page 2 · modified"), "{term}");
    assert!(
        term.contains("~ Participants renew certificates every [-two years-]{+year+}."),
        "{term}"
    );
    assert!(term.contains("change-2 · Page 3 · inserted"), "{term}");
    assert!(
        term.contains("+ {+Incidents of severity 1 are escalated to the DIP Manager.+}"),
        "{term}"
    );
    assert!(term.contains(&format!("note: {NOTE}")), "{term}");
    assert!(!term.contains("warning"), "{term}");

    let json = design.json(&["redline", "ICC", "0.1", "0.2"]);
    assert_eq!(json["body"]["kind"], "text", "{json}");
    assert_eq!(json["warnings"], serde_json::json!([]), "{json}");
    assert_eq!(json["notes"], serde_json::json!([NOTE]), "{json}");
    let summary = &json["summary"];
    assert_eq!(summary["words_added"], 10, "{json}");
    assert_eq!(summary["words_removed"], 1, "{json}");
    assert_eq!(summary["words_changed"], 1, "{json}");
    let sections: Vec<&str> = summary["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["section"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["Page 2", "Page 3"], "{json}");
    assert_eq!(summary["sections"][0]["words_changed"], 1, "{json}");
    assert_eq!(summary["sections"][1]["words_added"], 10, "{json}");
}

#[test]
fn a_pdf_exported_again_from_the_same_text_has_no_changes() {
    let (v1, again) = (fixture("icc-v1.pdf"), fixture("icc-v1-again.pdf"));
    assert_ne!(v1, again, "LibreOffice writes its dates and document id");
    let design = icc_with_versions(&[v1, again]);
    let json = design.json(&["redline", "ICC", "0.1", "0.2"]);
    assert_eq!(json["body"]["kind"], "text", "{json}");
    assert_eq!(json["body"]["hunks"], serde_json::json!([]), "{json}");
    assert_eq!(json["summary"]["words_added"], 0, "{json}");
    assert_eq!(json["summary"]["words_removed"], 0, "{json}");
    assert_eq!(json["summary"]["words_changed"], 0, "{json}");
}

#[test]
fn a_pdf_that_only_forbids_copying_is_read() {
    let design = icc_with_versions(&[fixture("icc-v2.pdf"), fixture("icc-v1-no-copy.pdf")]);
    let term = design.ok(&["redline", "ICC", "0.1", "0.2"]);
    assert!(
        term.contains("Participants renew certificates every [-year-]{+two years+}."),
        "{term}"
    );
    assert!(!term.contains("warning"), "{term}");
}

/// The redline of 0.1 → 0.2 where 0.2 cannot be read: sizes and hashes, a
/// warning saying why, and no text.
fn assert_compared_by_hash(unreadable: Vec<u8>, why: &str) {
    let size = unreadable.len();
    let design = icc_with_versions(&[fixture("icc-v1.pdf"), unreadable]);
    let json = design.json(&["redline", "ICC", "0.1", "0.2"]);
    assert_eq!(json["body"]["kind"], "binary", "{json}");
    assert_eq!(json["to"]["size"], size, "{json}");
    assert_eq!(
        json["warnings"],
        serde_json::json!([format!(
            "TO is not a readable PDF document ({why}): only sizes and hashes are compared"
        )]),
        "{json}"
    );
    let term = design.ok(&["redline", "ICC", "0.1", "0.2"]);
    assert!(
        term.contains(&format!("content differs: 22027 bytes → {size} bytes")),
        "{term}"
    );
    assert!(
        term.contains(&format!(
            "warning: TO is not a readable PDF document ({why})"
        )),
        "{term}"
    );
    assert!(!term.contains("panicked"), "{term}");
}

#[test]
fn a_pdf_that_needs_a_password_is_compared_by_size_and_hash_saying_so() {
    assert_compared_by_hash(
        fixture("icc-v1-password.pdf"),
        "it is encrypted and opens only with a password",
    );
}

#[test]
fn a_truncated_pdf_is_compared_by_size_and_hash_saying_why() {
    let v1 = fixture("icc-v1.pdf");
    assert_compared_by_hash(
        v1[..v1.len() / 2].to_vec(),
        "it cannot be parsed: Invalid cross-reference table",
    );
}

#[test]
fn garbage_after_a_pdf_header_is_compared_by_size_and_hash_saying_why() {
    let mut garbage = b"%PDF-1.7\n".to_vec();
    garbage.extend((0..20_000u32).map(|n| (n.wrapping_mul(2_654_435_761) >> 24) as u8));
    assert_compared_by_hash(
        garbage,
        "it cannot be parsed: Invalid cross-reference table",
    );
}

/// A PDF of `objects`, numbered from 1, the first its catalog, with its
/// cross-reference table.
fn pdf_of(objects: &[String]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{object}\nendobj\n", n + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer << /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

#[test]
fn hostile_pdfs_neither_hang_nor_crash_the_redline() {
    let stream = |content: &str| {
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        )
    };
    let hostile = [
        // A page tree whose pages node is its own kid.
        pdf_of(&[
            "<< /Type /Catalog /Pages 2 0 R >>".into(),
            "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".into(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".into(),
        ]),
        // A form that draws itself.
        pdf_of(&[
            "<< /Type /Catalog /Pages 2 0 R >>".into(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X 4 0 R >> >> /Contents 5 0 R >>".into(),
            "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 4 0 R >> >> /Length 5 >>\nstream\n/X Do\nendstream".into(),
            stream("/X Do"),
        ]),
        // Two billion pages claimed, a stream claiming 100 GB.
        pdf_of(&[
            "<< /Type /Catalog /Pages 2 0 R >>".into(),
            "<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>".into(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".into(),
            "<< /Length 99999999999 >>\nstream\nBT (Hello) Tj ET\nendstream".into(),
        ]),
    ];
    for pdf in hostile {
        let design = icc_with_versions(&[fixture("icc-v1.pdf"), pdf]);
        let started = std::time::Instant::now();
        let output = design.run(&["redline", "ICC", "0.1", "0.2", "--format", "json"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(stderr.is_empty(), "{stderr}");
        assert!(started.elapsed().as_secs() < 30);
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        // Read as text (little or none) or by hash with a reason: either is honest.
        match json["body"]["kind"].as_str().unwrap() {
            "text" => assert_eq!(json["notes"][0], NOTE, "{json}"),
            "binary" => assert!(
                json["warnings"][0]
                    .as_str()
                    .unwrap()
                    .starts_with("TO is not a readable PDF document ("),
                "{json}"
            ),
            other => panic!("{other}: {json}"),
        }
    }
}
