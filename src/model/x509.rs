//! Just enough of X.509 to list an approver's certificate and to read what
//! gpgsm says of a signature: a certificate's DER bytes, taken from PEM or as
//! they are, and its fingerprint (SHA-1 of the DER, as gpgsm prints it).
//! Nothing here reads the certificate's fields or checks a signature: that
//! is gpgsm's (see `repo::x509`), which also says whether the bytes are one
//! certificate.

use super::Date;
use super::approvers::decode_base64;
use super::gnupg_status::{StatusLines, word};

/// The PEM label of a certificate.
const CERTIFICATE: &str = "CERTIFICATE";

/// The armor lines git's X.509 signatures are written between.
const SIGNATURE_BEGIN: &str = "-----BEGIN SIGNED MESSAGE-----";
const SIGNATURE_END: &str = "-----END SIGNED MESSAGE-----";

/// Why some bytes are not one X.509 certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertProblem {
    /// A private key is in it: never to be listed.
    Private,
    /// Not a certificate, or not one; says why.
    Malformed(String),
}

/// Whether `bytes` look like an X.509 certificate rather than an SSH or
/// OpenPGP key: PEM with a `CERTIFICATE` block (after text, perhaps, as
/// `gpgsm --export --armor` and `openssl x509 -text` write it), or DER (an
/// ASN.1 SEQUENCE, 0x30, which neither a text key nor an OpenPGP packet
/// starts with).
pub fn looks_like_x509(bytes: &[u8]) -> bool {
    bytes.first() == Some(&0x30)
        || String::from_utf8_lossy(bytes).lines().any(|line| {
            let line = line.trim();
            line == "-----BEGIN CERTIFICATE-----" || line == "-----BEGIN X509 CERTIFICATE-----"
        })
}

/// The DER bytes of the one certificate in `bytes`: PEM (one `CERTIFICATE`
/// block, nothing private beside it) or DER as it is. Whether the DER is one
/// certificate is then for gpgsm to say.
pub fn read_certificate(bytes: &[u8]) -> Result<Vec<u8>, CertProblem> {
    if bytes.first() == Some(&0x30) {
        return Ok(bytes.to_vec());
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| CertProblem::Malformed("it is neither PEM text nor DER".into()))?;
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines().map(str::trim) {
        if let Some(label) = armor_label(line, "-----BEGIN ") {
            if open.is_some() {
                return Err(CertProblem::Malformed(
                    "a PEM block opens inside another".into(),
                ));
            }
            open = Some((label.to_string(), String::new()));
        } else if let Some(label) = armor_label(line, "-----END ") {
            match open.take() {
                Some((opened, body)) if opened == label => blocks.push((opened, body)),
                _ => {
                    return Err(CertProblem::Malformed(format!(
                        "`-----END {label}-----` closes no block it opened"
                    )));
                }
            }
        } else if let Some((_, body)) = open.as_mut() {
            body.push_str(line);
        }
    }
    if open.is_some() {
        return Err(CertProblem::Malformed("a PEM block is not closed".into()));
    }
    if blocks
        .iter()
        .any(|(label, _)| label.contains("PRIVATE KEY"))
    {
        return Err(CertProblem::Private);
    }
    let certificates: Vec<&String> = blocks
        .iter()
        .filter(|(label, _)| label == CERTIFICATE || label == "X509 CERTIFICATE")
        .map(|(_, body)| body)
        .collect();
    let ([body], 1) = (certificates.as_slice(), blocks.len()) else {
        return Err(CertProblem::Malformed(format!(
            "it holds {} certificates and {} other PEM blocks, and an approver has one certificate",
            certificates.len(),
            blocks.len() - certificates.len()
        )));
    };
    match decode_base64(body) {
        Some(der) if der.first() == Some(&0x30) => Ok(der),
        _ => Err(CertProblem::Malformed(
            "its certificate block is not base64 of a DER certificate".into(),
        )),
    }
}

/// `LABEL` of a `-----BEGIN LABEL-----` (or END) line.
fn armor_label<'a>(line: &'a str, opening: &str) -> Option<&'a str> {
    line.strip_prefix(opening)?.strip_suffix("-----")
}

/// A certificate's fingerprint as gpgsm prints it: SHA-1 of its DER, 40
/// upper-case hex digits.
pub fn fingerprint(der: &[u8]) -> String {
    use sha1::Digest;
    base16ct::upper::encode_string(&sha1::Sha1::digest(der))
}

/// Checks that `armored` is one armored block as git writes an X.509
/// signature (`-----BEGIN SIGNED MESSAGE-----`, base64, the end line), and
/// nothing after it. Whether it is detached and over the tag is gpgsm's to
/// say: it refuses a signature holding its own content when given the data.
pub fn check_signature_block(armored: &str) -> Result<(), String> {
    let mut lines = armored.lines().map(str::trim_end);
    if lines.next() != Some(SIGNATURE_BEGIN) {
        return Err(format!("it does not begin with `{SIGNATURE_BEGIN}`"));
    }
    let mut body = String::new();
    for line in lines.by_ref() {
        if line == SIGNATURE_END {
            if lines.any(|l| !l.trim().is_empty()) {
                return Err(format!("text follows its `{SIGNATURE_END}` line"));
            }
            return match decode_base64(&body) {
                Some(der) if der.first() == Some(&0x30) => Ok(()),
                _ => Err("its body is not base64 of a CMS signature".into()),
            };
        }
        body.push_str(line.trim());
    }
    Err(format!("it has no `{SIGNATURE_END}` line"))
}

/// What gpgsm's `--status-fd` lines say of one detached signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A good signature by the certificate with this fingerprint.
    Good {
        fingerprint: String,
        /// The day the signature says it was made (the signer's clock).
        signed_on: Option<Date>,
    },
    /// The signature does not hold over the data (BADSIG).
    Bad { fingerprint: String },
    /// None of the certificates gpgsm was given made it.
    UnknownCertificate,
    /// Anything else: gpgsm could not check it; says what gpgsm said.
    Unchecked(String),
}

/// Reads gpgsm's status lines (`[GNUPG:] KEYWORD args…`) for one signature.
/// A signature is good only where there is one signature, one VALIDSIG and
/// one of GOODSIG, EXPSIG, EXPKEYSIG or REVKEYSIG (the approvers file, not
/// the certificate's own dates, says when it may sign), both naming the same
/// certificate.
pub fn read_status(status: &str) -> Verdict {
    let status = StatusLines::read(status);
    if status.several_signatures() {
        return Verdict::Unchecked("it holds more than one signature".into());
    }
    if let Some(bad) = status.with("BADSIG").first() {
        return Verdict::Bad {
            fingerprint: word(bad, 1),
        };
    }
    if (status.with("ERROR").iter()).any(|l| l.get(1) == Some(&"verify.findkey")) {
        return Verdict::UnknownCertificate;
    }
    if let Some(err) = status.with("ERRSIG").first() {
        return Verdict::Unchecked(format!(
            "gpgsm could not check it (error code {})",
            word(err, 6)
        ));
    }
    if let Some(err) = status.with("ERROR").first() {
        return Verdict::Unchecked(format!(
            "gpgsm could not check it ({} {})",
            word(err, 1),
            word(err, 2)
        ));
    }
    let good = status.good();
    let valid = status.with("VALIDSIG");
    match (good.as_slice(), valid.as_slice()) {
        // VALIDSIG fpr date time expire …; GOODSIG fpr subject.
        ([g], [v]) if g.get(1).is_some() && g.get(1) == v.get(1) => Verdict::Good {
            fingerprint: word(v, 1),
            signed_on: v.get(2).and_then(|day| day.parse().ok()),
        },
        _ => Verdict::Unchecked("gpgsm did not report one good signature".into()),
    }
}

/// The certificates in gpgsm's `--with-colons` listing: each `crt`/`crs`
/// record's fingerprint (the `fpr` record that follows it).
pub fn listed_fingerprints(listing: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_certificate = false;
    for line in listing.lines() {
        let mut fields = line.split(':');
        match fields.next() {
            Some("crt" | "crs") => in_certificate = true,
            Some("fpr") if in_certificate => {
                in_certificate = false;
                if let Some(fpr) = fields.nth(8) {
                    found.push(fpr.to_string());
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::approvers::encode_base64;

    fn pem(label: &str, body: &[u8]) -> String {
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            encode_base64(body)
        )
    }

    #[test]
    fn a_certificate_is_read_from_pem_or_der() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x01];
        assert_eq!(read_certificate(&der).unwrap(), der);
        assert_eq!(
            read_certificate(pem("CERTIFICATE", &der).as_bytes()).unwrap(),
            der
        );
        let two = pem("CERTIFICATE", &der).repeat(2);
        assert!(matches!(
            read_certificate(two.as_bytes()),
            Err(CertProblem::Malformed(_))
        ));
        let with_key = format!("{}{}", pem("CERTIFICATE", &der), pem("PRIVATE KEY", &der));
        assert_eq!(
            read_certificate(with_key.as_bytes()),
            Err(CertProblem::Private)
        );
        assert!(read_certificate(b"-----BEGIN CERTIFICATE-----\nAAAA\n").is_err());
        assert!(read_certificate(b"\xff\xfe").is_err());
        assert!(looks_like_x509(pem("CERTIFICATE", &der).as_bytes()));
        assert!(looks_like_x509(&der));
        let explained = format!("Issuer ...: /CN=alice\n\n{}", pem("CERTIFICATE", &der));
        assert!(looks_like_x509(explained.as_bytes()));
        assert_eq!(read_certificate(explained.as_bytes()).unwrap(), der);
        assert!(!looks_like_x509(b"ssh-ed25519 AAAA"));
    }

    #[test]
    fn the_fingerprint_is_sha1_of_the_der() {
        assert_eq!(
            fingerprint(b"abc"),
            "A9993E364706816ABA3E25717850C26C9CD0D89D"
        );
    }

    #[test]
    fn gpgsm_status_is_read() {
        let fpr = "43ABC5C7A3651DCCB0A50B86ED1153C5B63F11FD";
        let good = format!(
            "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG {fpr} /CN=alice\n[GNUPG:] VALIDSIG {fpr} 2026-12-04 20261204T191606 20990101T000000 0 0 1 8 00\n[GNUPG:] TRUST_FULLY 0 shell\n"
        );
        assert_eq!(
            read_status(&good),
            Verdict::Good {
                fingerprint: fpr.into(),
                signed_on: Some(jiff::civil::date(2026, 12, 4)),
            }
        );
        let bad = format!("[GNUPG:] NEWSIG\n[GNUPG:] BADSIG {fpr} /CN=alice\n");
        assert_eq!(
            read_status(&bad),
            Verdict::Bad {
                fingerprint: fpr.into()
            }
        );
        assert_eq!(
            read_status("[GNUPG:] NEWSIG\n[GNUPG:] ERROR verify.findkey 50331657\n"),
            Verdict::UnknownCertificate
        );
        assert!(matches!(
            read_status("[GNUPG:] ERROR verify.leave 50331718\n"),
            Verdict::Unchecked(_)
        ));
        assert!(matches!(
            read_status(&format!("{good}{good}")),
            Verdict::Unchecked(_)
        ));
        assert!(matches!(read_status(""), Verdict::Unchecked(_)));
        // An expired certificate's signature: the approvers file says when it may sign.
        let expired = good.replace("GOODSIG", "EXPKEYSIG");
        assert_eq!(
            read_status(&expired),
            Verdict::Good {
                fingerprint: fpr.into(),
                signed_on: Some(jiff::civil::date(2026, 12, 4)),
            }
        );
        let other = good.replacen(fpr, &"0".repeat(40), 1);
        assert!(matches!(read_status(&other), Verdict::Unchecked(_)));
    }

    #[test]
    fn a_signature_block_is_one_armored_block() {
        let block = pem("SIGNED MESSAGE", &[0x30, 0x80, 0, 0]);
        assert_eq!(check_signature_block(&block), Ok(()));
        assert!(check_signature_block(&format!("{block}more\n")).is_err());
        assert!(check_signature_block("-----BEGIN SIGNED MESSAGE-----\nAAAA\n").is_err());
        assert!(check_signature_block(&pem("PGP SIGNATURE", &[0x30])).is_err());
    }

    #[test]
    fn certificates_are_listed_by_fingerprint() {
        let listing = "crs:u:2048:1:ED1153C5B63F11FD:20261204T191559:20990101T000000:6F48D5F9F160D4B3::CN=alice::sS::::::23:\nfpr:::::::::43ABC5C7A3651DCCB0A50B86ED1153C5B63F11FD:::43ABC5C7A3651DCCB0A50B86ED1153C5B63F11FD:\nuid:u::::::::CN=alice::\n";
        assert_eq!(
            listed_fingerprints(listing),
            ["43ABC5C7A3651DCCB0A50B86ED1153C5B63F11FD"]
        );
        assert!(listed_fingerprints("").is_empty());
    }
}
