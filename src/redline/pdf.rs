//! A PDF document read as text, for a redline: the text of each page (read by
//! pdf_oxide, in reading order), each page headed by a line `# Page N` so that
//! every change is labelled with its page, as Markdown headings label the
//! changes of a Word document. Only the text is read, not the layout.
//!
//! A PDF can be broken or hostile, and its reader is a large library: it reads
//! on a thread of its own, with a deep stack, a deadline and bounds on what it
//! reads, and a panic there is a document not read, never a failed command.

use std::sync::{Once, mpsc};
use std::thread;
use std::time::Duration;

use pdf_oxide::PdfDocument;

/// A PDF larger than this is not read: 300 pages of text with their fonts
/// take a few megabytes, so this leaves room for a design full of drawings.
const MAX_PDF_BYTES: usize = 256 << 20;

/// More pages, or more text, than any design document holds: such a PDF is
/// not read.
const MAX_PAGES: usize = 20_000;
const MAX_TEXT_BYTES: usize = 64 << 20;

/// Reading 300 pages takes about half a second; a PDF that takes this long is
/// not a document but a trap (an endless content stream, a loop of forms).
const DEADLINE: Duration = Duration::from_secs(60);

/// The reader follows a PDF's nested objects recursively: on this stack a
/// release build follows 400,000 levels (a main thread's 8 MB: under 100,000).
/// Deeper nesting, which only a PDF crafted to do harm holds, still overflows
/// it and aborts the command (docs/redlines.md).
const READER_STACK_BYTES: usize = 512 << 20;

/// The name of the reader's thread, by which its panics are kept quiet.
const READER_THREAD: &str = "baseline-pdf-reader";

/// Reads a PDF's text, page by page; or says why it cannot be read ("it is
/// encrypted …", "it cannot be parsed: …").
pub fn read(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(format!("it is over {} MB", MAX_PDF_BYTES >> 20));
    }
    let bytes = bytes.to_vec();
    on_reader_thread(move || read_pages(bytes), DEADLINE)
}

/// Runs `read` on a thread of its own: its panic, or its running past
/// `deadline`, is a document not read.
fn on_reader_thread<R>(read: R, deadline: Duration) -> Result<String, String>
where
    R: FnOnce() -> Result<String, String> + Send + 'static,
{
    quiet_reader_panics();
    let (sender, receiver) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name(READER_THREAD.into())
        .stack_size(READER_STACK_BYTES)
        .spawn(move || {
            // The receiver is gone only after the deadline: nobody waits.
            let _ = sender.send(read());
        });
    if let Err(err) = spawned {
        return Err(format!("no thread could be started to read it: {err}"));
    }
    // A reader past its deadline is left behind: it ends with the command.
    match receiver.recv_timeout(deadline) {
        Ok(read) => read,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "reading it took over {} s and was given up",
            deadline.as_secs_f64()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("it made the PDF reader fail: it is malformed".into())
        }
    }
}

/// The text of every page, each under its `# Page N` line.
fn read_pages(bytes: Vec<u8>) -> Result<String, String> {
    let document = PdfDocument::from_bytes(bytes)
        .map_err(|err| format!("it cannot be parsed: {}", said(&err)))?;
    if !document.is_authenticated() {
        return Err("it is encrypted and opens only with a password".into());
    }
    let pages = document
        .page_count()
        .map_err(|err| format!("its pages cannot be found: {}", said(&err)))?;
    if pages > MAX_PAGES {
        return Err(format!("it has {pages} pages, over {MAX_PAGES}"));
    }
    let mut text = String::new();
    for page in 0..pages {
        let number = page + 1;
        let page_text = document
            .extract_text(page)
            .map_err(|err| format!("its page {number} cannot be read: {}", said(&err)))?;
        text.push_str(&format!("# Page {number}\n"));
        push_lines(&mut text, &page_text);
        if text.len() > MAX_TEXT_BYTES {
            return Err(format!("it holds over {} MB of text", MAX_TEXT_BYTES >> 20));
        }
    }
    Ok(text)
}

/// Appends a page's lines: trimmed, blank ones left out, ligatures spelt as
/// letters (a re-exported document may set "ﬁ" where it had "fi"), control
/// characters as spaces, and a line starting with `#` escaped so that only
/// the page lines label changes.
fn push_lines(text: &mut String, page: &str) {
    for line in page.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') {
            text.push('\\');
        }
        for c in line.chars() {
            match ligature(c) {
                Some(letters) => text.push_str(letters),
                None if c.is_control() => text.push(' '),
                None => text.push(c),
            }
        }
        text.push('\n');
    }
}

/// The letters a typographic ligature stands for.
fn ligature(c: char) -> Option<&'static str> {
    Some(match c {
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' | 'ﬆ' => "st",
        _ => return None,
    })
}

/// What the reader said of an error, on one line and short: it may quote
/// bytes of the file.
fn said(err: &pdf_oxide::Error) -> String {
    let said: String = err
        .to_string()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    said.trim().to_string()
}

/// A panic on the reader's thread is reported as a PDF not read: the default
/// hook's message ("thread … panicked at …") is not printed for it. Panics
/// elsewhere go to the hook that was there before.
fn quiet_reader_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if thread::current().name() != Some(READER_THREAD) {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &[u8] = include_bytes!("../../tests/fixtures/pdf/icc-v1.pdf");
    const PASSWORD: &[u8] = include_bytes!("../../tests/fixtures/pdf/icc-v1-password.pdf");
    const NO_COPY: &[u8] = include_bytes!("../../tests/fixtures/pdf/icc-v1-no-copy.pdf");

    #[test]
    fn each_page_is_read_under_its_page_line() {
        let text = read(V1).unwrap();
        assert!(
            text.starts_with("# Page 1\n1 Scope\nThis Code of Connection sets out"),
            "{text}"
        );
        assert!(
            text.contains(
                "# Page 2\n4 Connection\n4.2 Certificates\n\
                 Participants renew certificates every two years.\n\
                 A certificate that is revoked is listed within one hour.\n\
                 # Page 3\n5 Support\nThe service desk answers within four working hours.\n"
            ),
            "{text}"
        );
        assert!(text.ends_with("hours.\n"), "{text}");
    }

    #[test]
    fn a_pdf_that_only_forbids_copying_is_read_and_one_that_needs_a_password_is_not() {
        assert_eq!(read(NO_COPY), read(V1));
        assert_eq!(
            read(PASSWORD),
            Err("it is encrypted and opens only with a password".into())
        );
    }

    #[test]
    fn broken_pdfs_are_not_read_and_say_why() {
        let truncated = &V1[..V1.len() / 2];
        let mut garbage = b"%PDF-1.7\n".to_vec();
        garbage.extend((0..20_000u32).map(|n| (n.wrapping_mul(2_654_435_761) >> 24) as u8));
        for bytes in [truncated, &garbage, b"%PDF-1.4\n", b""] {
            let why = read(bytes).unwrap_err();
            assert!(why.starts_with("it cannot be parsed: "), "{why}");
            assert!(!why.contains('\n') && why.len() < 260, "{why}");
        }
    }

    #[test]
    fn objects_nested_deeper_than_the_main_thread_can_follow_do_not_overflow_the_stack() {
        // A debug build's frames are larger than a release build's (which
        // follows 400,000 levels): 20,000 here.
        let deep = format!(
            "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X {}{} >>\nendobj\n\
             2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
            "[".repeat(20_000),
            "]".repeat(20_000)
        );
        // Read or not, the reader returns: the process does not abort.
        let _ = read(deep.as_bytes());
    }

    #[test]
    fn a_reader_that_panics_or_overruns_its_deadline_is_a_document_not_read() {
        let panicked = on_reader_thread(|| panic!("index out of bounds"), DEADLINE);
        assert_eq!(
            panicked,
            Err("it made the PDF reader fail: it is malformed".into())
        );
        let slow = on_reader_thread(
            || {
                thread::sleep(Duration::from_secs(5));
                Ok(String::new())
            },
            Duration::from_millis(100),
        );
        assert_eq!(
            slow,
            Err("reading it took over 0.1 s and was given up".into())
        );
    }

    #[test]
    fn lines_are_trimmed_ligatures_spelt_out_and_hashes_escaped() {
        let mut text = String::new();
        push_lines(
            &mut text,
            "  The oﬃce certiﬁes  \n\n# not a page\nA\u{0}B\n",
        );
        assert_eq!(text, "The office certifies\n\\# not a page\nA B\n");
    }
}
