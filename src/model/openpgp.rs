//! Just enough of OpenPGP (RFC 4880) to list an approver's key and to read
//! what gpg says of a signature: the packets of a key export, the primary
//! key's fingerprint, the shape of a detached signature, and gpg's status
//! lines. The cryptography is gpg's: nothing here checks a signature.

use super::Date;
use super::approvers::{decode_base64, encode_base64};
use super::gnupg_status::{StatusLines, word};

/// A public key as `gpg --export` writes it: one primary key, its user ids,
/// subkeys and the signatures binding them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPgpKey {
    /// The export's bytes, as they are listed and imported.
    pub bytes: Vec<u8>,
    /// The primary key's v4 fingerprint, 40 upper-case hex digits as gpg prints it.
    pub fingerprint: String,
    /// Its subkeys' fingerprints: a signature may be made by a signing subkey.
    pub subkeys: Vec<String>,
}

/// Why some bytes are not one OpenPGP public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// A secret key: never to be listed.
    Private,
    /// Not a key export, or not one key; says why.
    Malformed(String),
}

const PUBLIC_KEY: u8 = 6;
const PUBLIC_SUBKEY: u8 = 14;
const SECRET_KEY: u8 = 5;
const SECRET_SUBKEY: u8 = 7;
const SIGNATURE: u8 = 2;

/// Whether `bytes` look like OpenPGP rather than an SSH `.pub` line: an armor
/// line, or a binary packet header (bit 7 set, which no text key starts with).
pub fn looks_like_openpgp(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    text.trim_start().starts_with("-----BEGIN PGP") || bytes.first().is_some_and(|b| b & 0x80 != 0)
}

/// Reads one OpenPGP public key, armored (`gpg --export --armor`) or binary.
pub fn read_key(bytes: &[u8]) -> Result<OpenPgpKey, KeyProblem> {
    let text = String::from_utf8_lossy(bytes);
    let binary = if text.trim_start().starts_with("-----BEGIN PGP") {
        if text.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----") {
            return Err(KeyProblem::Private);
        }
        dearmor(&text, "PGP PUBLIC KEY BLOCK").ok_or_else(|| {
            KeyProblem::Malformed("it is not a readable `PGP PUBLIC KEY BLOCK`".into())
        })?
    } else {
        bytes.to_vec()
    };
    key_from_binary(binary)
}

/// The key in a binary export: exactly one primary public key.
pub fn key_from_binary(bytes: Vec<u8>) -> Result<OpenPgpKey, KeyProblem> {
    let packets = packets(&bytes).map_err(KeyProblem::Malformed)?;
    if packets
        .iter()
        .any(|(tag, _)| [SECRET_KEY, SECRET_SUBKEY].contains(tag))
    {
        return Err(KeyProblem::Private);
    }
    let primaries: Vec<&[u8]> = packets
        .iter()
        .filter(|(tag, _)| *tag == PUBLIC_KEY)
        .map(|(_, body)| *body)
        .collect();
    let [body] = primaries.as_slice() else {
        return Err(KeyProblem::Malformed(format!(
            "it holds {} primary keys, and an approver has one",
            primaries.len()
        )));
    };
    if packets.first().map(|(tag, _)| *tag) != Some(PUBLIC_KEY) {
        return Err(KeyProblem::Malformed(
            "it does not begin with its primary key".into(),
        ));
    }
    let fingerprint = v4_fingerprint(body).ok_or_else(|| {
        KeyProblem::Malformed(format!(
            "its primary key is a version {} key; baseline reads version 4 keys, as gpg makes them",
            body.first().copied().unwrap_or(0)
        ))
    })?;
    let subkeys = packets
        .iter()
        .filter(|(tag, _)| *tag == PUBLIC_SUBKEY)
        .filter_map(|(_, body)| v4_fingerprint(body))
        .collect();
    Ok(OpenPgpKey {
        bytes,
        fingerprint,
        subkeys,
    })
}

impl OpenPgpKey {
    /// The export in base64, on one line, as the approvers file holds it.
    pub fn base64(&self) -> String {
        encode_base64(&self.bytes)
    }

    /// Whether a signature naming `issuer` (a fingerprint, or a key id: its
    /// last 16 hex digits) names this key or one of its subkeys.
    pub fn is_named_by(&self, issuer: &str) -> bool {
        let issuer = issuer.to_ascii_uppercase();
        let names = |fingerprint: &String| {
            fingerprint == &issuer || (issuer.len() == 16 && fingerprint.ends_with(&issuer))
        };
        names(&self.fingerprint) || self.subkeys.iter().any(names)
    }
}

/// The v4 fingerprint: SHA-1 over 0x99, the body's length (two bytes) and the body.
fn v4_fingerprint(body: &[u8]) -> Option<String> {
    use sha1::Digest;
    if body.first() != Some(&4) {
        return None;
    }
    let len = u16::try_from(body.len()).ok()?;
    let mut hasher = sha1::Sha1::new();
    hasher.update([0x99]);
    hasher.update(len.to_be_bytes());
    hasher.update(body);
    Some(base16ct::upper::encode_string(&hasher.finalize()))
}

/// Each packet's tag and body; an error says where the bytes stop being packets.
fn packets(bytes: &[u8]) -> Result<Vec<(u8, &[u8])>, String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let (tag, start, len) = packet_header(bytes, at)
            .ok_or_else(|| format!("byte {at} does not begin an OpenPGP packet"))?;
        let end = start
            .checked_add(len)
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| format!("the packet at byte {at} runs past the end"))?;
        out.push((tag, &bytes[start..end]));
        at = end;
    }
    if out.is_empty() {
        return Err("it is empty".into());
    }
    Ok(out)
}

/// A packet header at `at`: its tag, where its body starts, and its length.
/// Partial and indeterminate lengths are refused: key exports and detached
/// signatures never use them.
fn packet_header(bytes: &[u8], at: usize) -> Option<(u8, usize, usize)> {
    let first = *bytes.get(at)?;
    if first & 0x80 == 0 {
        return None;
    }
    let byte = |i: usize| bytes.get(at + i).map(|&b| usize::from(b));
    if first & 0x40 != 0 {
        let tag = first & 0x3f;
        let o = byte(1)?;
        return match o {
            0..192 => Some((tag, at + 2, o)),
            192..224 => Some((tag, at + 3, ((o - 192) << 8) + byte(2)? + 192)),
            255 => {
                let len = (byte(2)? << 24) | (byte(3)? << 16) | (byte(4)? << 8) | byte(5)?;
                Some((tag, at + 6, len))
            }
            _ => None,
        };
    }
    let tag = (first >> 2) & 0x0f;
    match first & 3 {
        0 => Some((tag, at + 2, byte(1)?)),
        1 => Some((tag, at + 3, (byte(1)? << 8) | byte(2)?)),
        2 => {
            let len = (byte(1)? << 24) | (byte(2)? << 16) | (byte(3)? << 8) | byte(4)?;
            Some((tag, at + 5, len))
        }
        _ => None,
    }
}

/// The bytes of an ASCII-armored block of `kind` (e.g. `PGP SIGNATURE`):
/// armor headers and the checksum line are skipped.
fn dearmor(text: &str, kind: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {kind}-----");
    let end = format!("-----END {kind}-----");
    let mut lines = text.lines().map(str::trim_end);
    lines.find(|l| *l == begin)?;
    let mut body = String::new();
    let mut in_headers = true;
    for line in lines {
        if line == end {
            return decode_base64(&body).filter(|b| !b.is_empty());
        }
        if in_headers {
            if line.contains(": ") {
                continue;
            }
            in_headers = false;
        }
        // The checksum line (`=ABCD`): base64 never starts a line with '='.
        if line.starts_with('=') {
            continue;
        }
        body.push_str(line.trim());
    }
    None
}

/// Checks that `armored` is one detached signature over binary data (what
/// `git tag -s` makes), so that gpg checks it against the tag's payload and
/// not against some message of its own. Says what it is otherwise.
pub fn check_detached_signature(armored: &str) -> Result<(), String> {
    const END: &str = "-----END PGP SIGNATURE-----";
    if armored
        .split_once(END)
        .is_some_and(|(_, after)| !after.trim().is_empty())
    {
        return Err(format!("text follows its `{END}` line"));
    }
    let bytes =
        dearmor(armored, "PGP SIGNATURE").ok_or("it is not a readable `PGP SIGNATURE` block")?;
    let packets = packets(&bytes)?;
    let [(SIGNATURE, body)] = packets.as_slice() else {
        return Err(format!(
            "it holds {} packets, where a detached signature is one signature packet",
            packets.len()
        ));
    };
    // v4: version, then the signature type; v3: version, a length of 5, then the type.
    let class = match body.first() {
        Some(3) => body.get(2),
        Some(4..=6) => body.get(1),
        _ => None,
    };
    if class != Some(&0) {
        return Err("it is not a signature over binary data, as git makes them".into());
    }
    Ok(())
}

/// The key a detached signature names as its issuer, unchecked: the issuer
/// fingerprint (40 hex digits) where it carries one, else the issuer key id
/// (16). It may be a signing subkey's.
pub fn signature_issuer(armored: &str) -> Option<String> {
    let bytes = dearmor(armored, "PGP SIGNATURE")?;
    let packets = packets(&bytes).ok()?;
    let [(SIGNATURE, body)] = packets.as_slice() else {
        return None;
    };
    if body.first() != Some(&4) {
        return None;
    }
    let hashed_len = usize::from(u16::from_be_bytes([*body.get(4)?, *body.get(5)?]));
    let hashed = body.get(6..6 + hashed_len)?;
    let at = 6 + hashed_len;
    let unhashed_len = usize::from(u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]));
    let unhashed = body.get(at + 2..at + 2 + unhashed_len)?;
    let mut key_id = None;
    for (kind, data) in subpackets(hashed).chain(subpackets(unhashed)) {
        match (kind, data) {
            (33, [4, fpr @ ..]) if fpr.len() == 20 => {
                return Some(base16ct::upper::encode_string(fpr));
            }
            (16, id) if id.len() == 8 => key_id = Some(base16ct::upper::encode_string(id)),
            _ => {}
        }
    }
    key_id
}

/// A signature's subpackets: each one's type (without the critical bit) and data.
fn subpackets(mut bytes: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    std::iter::from_fn(move || {
        let first = usize::from(*bytes.first()?);
        let (len, start): (usize, usize) = match first {
            0..192 => (first, 1),
            192..255 => (((first - 192) << 8) + usize::from(*bytes.get(1)?) + 192, 2),
            _ => (
                usize::from_be_bytes([
                    0,
                    0,
                    0,
                    0,
                    *bytes.get(1)?,
                    *bytes.get(2)?,
                    *bytes.get(3)?,
                    *bytes.get(4)?,
                ]),
                5,
            ),
        };
        let packet = bytes.get(start..start.checked_add(len)?)?;
        bytes = &bytes[start + len..];
        let (kind, data) = packet.split_first()?;
        Some((kind & 0x7f, data))
    })
}

/// What gpg's `--status-fd` lines say of one detached signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A good signature by a key whose primary key has this fingerprint,
    /// made on the day it states (as the signer's clock had it).
    Good {
        primary: String,
        signed_on: Option<Date>,
    },
    /// The signature does not hold over the data (BADSIG).
    Bad { key: String },
    /// No key gpg was given made it (ERRSIG with NO_PUBKEY).
    UnknownKey { key: String },
    /// Anything else: gpg could not check it; says what gpg said.
    Unchecked(String),
}

/// Reads gpg's status lines (`[GNUPG:] KEYWORD args…`) for one signature.
/// A signature is good only where gpg says VALIDSIG with a primary key
/// fingerprint and one of GOODSIG, EXPSIG, EXPKEYSIG or REVKEYSIG, for a
/// single signature over binary data.
pub fn read_status(status: &str) -> Verdict {
    let status = StatusLines::read(status);
    if status.several_signatures() {
        return Verdict::Unchecked("it holds more than one signature".into());
    }
    if let Some(bad) = status.with("BADSIG").first() {
        return Verdict::Bad { key: word(bad, 1) };
    }
    if let Some(err) = status.with("ERRSIG").first() {
        // ERRSIG keyid pkalgo hashalgo class time rc [fpr]; rc 9: no public key.
        if err.get(6) == Some(&"9") {
            return Verdict::UnknownKey {
                key: err.get(7).map_or_else(|| word(err, 1), |f| f.to_string()),
            };
        }
        return Verdict::Unchecked(format!(
            "gpg could not check it (error code {})",
            word(err, 6)
        ));
    }
    let good = status.good().len();
    let valid = status.with("VALIDSIG");
    match (good, valid.as_slice()) {
        // VALIDSIG fpr date time expire version reserved pkalgo hashalgo class primary
        (1, [v]) if v.get(9) == Some(&"00") && v.get(10).is_some() => Verdict::Good {
            primary: word(v, 10),
            signed_on: v.get(2).and_then(|day| day.parse().ok()),
        },
        (1, [_]) => Verdict::Unchecked(
            "gpg did not name the primary key, or the signature is not over binary data".into(),
        ),
        _ => Verdict::Unchecked("gpg did not report one good signature".into()),
    }
}

/// The fingerprint as shown: 40 hex digits in groups of four.
pub fn looks_like_fingerprint(text: &str) -> bool {
    text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A v4 ed25519 primary key packet body (from RFC 9580's sample v4 key).
    fn sample_key() -> Vec<u8> {
        // version 4, created 0x5c5d2b1d, algorithm 22 (EdDSA), an OID and a point.
        let mut body = vec![4, 0x5c, 0x5d, 0x2b, 0x1d, 22, 9];
        body.extend([0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01]);
        body.extend([0x01, 0x07, 0x40]);
        body.extend([7u8; 32]);
        let mut packet = vec![0xc6, body.len() as u8];
        packet.extend(body);
        packet
    }

    #[test]
    fn a_key_export_is_read_and_its_fingerprint_taken() {
        let key = key_from_binary(sample_key()).unwrap();
        assert_eq!(key.fingerprint.len(), 40);
        assert!(looks_like_fingerprint(&key.fingerprint));
        let armored = format!(
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: test\n\n{}\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----\n",
            key.base64()
        );
        assert_eq!(read_key(armored.as_bytes()).unwrap(), key);
        let mut two = sample_key();
        two.extend(sample_key());
        assert!(matches!(
            key_from_binary(two),
            Err(KeyProblem::Malformed(_))
        ));
        let mut secret = sample_key();
        secret[0] = 0xc5;
        assert_eq!(key_from_binary(secret), Err(KeyProblem::Private));
        assert!(key_from_binary(b"ssh-ed25519 AAAA".to_vec()).is_err());
        assert!(key_from_binary(vec![0xc6, 200]).is_err());
        assert!(key_from_binary(vec![0xc6, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
    }

    #[test]
    fn an_openpgp_approvers_line_reads_back_and_only_as_written() {
        use crate::model::approvers::{self, Approver, PublicKey};
        let key = PublicKey::from_openpgp(&key_from_binary(sample_key()).unwrap());
        let approver = Approver {
            name: "bob@example.org".into(),
            role: "dag-chair".into(),
            from: "2023-01-01".parse().unwrap(),
            until: Some("2024-12-31".parse().unwrap()),
            key,
        };
        let line = approver.line();
        assert!(
            line.starts_with(
                "#openpgp bob@example.org valid-after=\"20230101\",valid-before=\"20250101\" openpgp xjM"
            ),
            "{line}"
        );
        let listed = std::slice::from_ref(&approver);
        assert_eq!(
            approvers::parse(&approvers::render(listed)).unwrap(),
            listed
        );
        let namespaced = line.replace("valid-after", "namespaces=\"git\",valid-after");
        let ssh_marked = line.replace("#openpgp ", "");
        for other in [
            namespaced,
            ssh_marked,
            format!("{line} "),
            "#openpgp x".into(),
        ] {
            assert!(approvers::parse(&other).is_err(), "{other:?}");
        }
    }

    #[test]
    fn status_lines_give_one_verdict() {
        let good = "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG 1234 Alice\n[GNUPG:] VALIDSIG SUB 2023-01-01 1 0 4 0 22 10 00 PRIMARY\n";
        assert_eq!(
            read_status(good),
            Verdict::Good {
                primary: "PRIMARY".into(),
                signed_on: Some(jiff::civil::date(2023, 1, 1)),
            }
        );
        let bad = "[GNUPG:] NEWSIG\n[GNUPG:] BADSIG 1234 Alice\n";
        assert_eq!(read_status(bad), Verdict::Bad { key: "1234".into() });
        let unknown = "[GNUPG:] ERRSIG 1234 22 10 00 1 9 FPR\n[GNUPG:] NO_PUBKEY 1234\n";
        assert_eq!(
            read_status(unknown),
            Verdict::UnknownKey { key: "FPR".into() }
        );
        let text_class = good.replace(" 00 ", " 01 ");
        assert!(matches!(read_status(&text_class), Verdict::Unchecked(_)));
        let twice = format!("{good}{good}");
        assert!(matches!(read_status(&twice), Verdict::Unchecked(_)));
        assert!(matches!(read_status(""), Verdict::Unchecked(_)));
    }

    #[test]
    fn only_one_detached_binary_signature_is_accepted() {
        let sig = |body: &[u8]| {
            let mut packet = vec![0xc2, body.len() as u8];
            packet.extend(body);
            format!(
                "-----BEGIN PGP SIGNATURE-----\n\n{}\n-----END PGP SIGNATURE-----\n",
                encode_base64(&packet)
            )
        };
        assert_eq!(check_detached_signature(&sig(&[4, 0, 22, 10])), Ok(()));
        assert!(check_detached_signature(&sig(&[4, 1, 22, 10])).is_err());
        assert!(check_detached_signature("-----BEGIN PGP MESSAGE-----\n").is_err());
        let followed = format!("{}Signed by the DAG chair.\n", sig(&[4, 0, 22, 10]));
        assert_eq!(
            check_detached_signature(&followed),
            Err("text follows its `-----END PGP SIGNATURE-----` line".into())
        );
    }
}
