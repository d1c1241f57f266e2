//! What a Word, Excel or OpenDocument package holds, apart from how it is
//! packed: a document saved again without edits has other zip bytes and other
//! document properties (last saved, editing time), and the same content.

use std::io::{Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

use crate::model::Format;

/// Parts that say how and when a document was saved, not what it says.
fn is_metadata(part: &str) -> bool {
    part.starts_with("docProps/")
        || part.starts_with("Thumbnails/")
        || part == "meta.xml"
        || part == "settings.xml"
}

/// More than this unpacked is not a design document but a zip bomb: such a
/// package is taken to have changed.
const MAX_UNPACKED_BYTES: u64 = 4 << 30;

/// A digest of a package's content: every part but its metadata, by name, as
/// unpacked. None for a format that is not a package, or content that does not
/// unpack.
pub fn content_digest(format: Format, content: &mut (impl Read + Seek)) -> Option<String> {
    if format != Format::Docx && !format.is_workbook() {
        return None;
    }
    content.seek(SeekFrom::Start(0)).ok()?;
    let mut package = zip::ZipArchive::new(content).ok()?;
    let mut parts: Vec<(String, [u8; 32])> = Vec::new();
    let mut unpacked = 0;
    for n in 0..package.len() {
        let mut part = package.by_index(n).ok()?;
        let name = part.name().ok()?.into_owned();
        if part.is_dir() || is_metadata(&name) {
            continue;
        }
        parts.push((name, digest_of(&mut part, &mut unpacked)?));
    }
    parts.sort();
    let mut digest = Sha256::new();
    for (name, part) in &parts {
        digest.update((name.len() as u64).to_le_bytes());
        digest.update(name.as_bytes());
        digest.update(part);
    }
    Some(base16ct::lower::encode_string(&digest.finalize()))
}

/// The SHA-256 of what `reader` gives, counted into `unpacked`; none past the
/// limit or on a read error.
fn digest_of(reader: &mut impl Read, unpacked: &mut u64) -> Option<[u8; 32]> {
    let mut digest = Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let read = reader.read(&mut buffer).ok()?;
        if read == 0 {
            return Some(digest.finalize().into());
        }
        *unpacked += read as u64;
        if *unpacked > MAX_UNPACKED_BYTES {
            return None;
        }
        digest.update(&buffer[..read]);
    }
}
