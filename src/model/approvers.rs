//! The `approvers` file at the repository's root: who may sign baselines.
//!
//! It is git's allowed-signers format, so that `ssh-keygen -Y verify -f
//! approvers` and `git -c gpg.ssh.allowedSignersFile=approvers verify-tag`
//! read it as it is. Each line names one approver (the principal), the
//! validity of their key in the format's own `valid-after` / `valid-before`
//! options, the key, and the approver's role in the key's comment field
//! (`role=dag-chair`), which ssh-keygen ignores: an unknown option would make
//! ssh-keygen refuse the line.
//!
//! ```text
//! alice@example.org namespaces="git",valid-after="20230101",valid-before="20250101" ssh-ed25519 AAAA… role=dag-chair
//! ```
//!
//! `--until D` is the last day the key may sign: `valid-before` is the day
//! after. Dates are whole days, as every record's are.
//!
//! An approver who signs with OpenPGP (gpg) has a line of the same shape
//! behind `#openpgp `, which ssh-keygen skips as a comment: the key is the
//! binary export (`gpg --export`) in base64, and there is no `namespaces`
//! option (an OpenPGP signature has none).
//!
//! ```text
//! #openpgp bob@example.org valid-after="20230101" openpgp mDMEZ… role=dag-chair
//! ```
//!
//! An approver who signs with an X.509 certificate (gpgsm) has one behind
//! `#x509 `: the key is the certificate's DER in base64, its fingerprint the
//! SHA-1 of that DER, as gpgsm prints it.
//!
//! ```text
//! #x509 carol@example.org valid-after="20230101" x509 MIIC… role=dag-chair
//! ```

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::Serialize;

use super::{Date, openpgp, x509};
use crate::error::{Error, Result};

/// The file's path in the repository.
pub const APPROVERS: &str = super::paths::APPROVERS;

/// The comment lines the file begins with.
pub const HEADER: &str = "\
# Who may sign baselines, in git's allowed-signers format (ssh-keygen -Y verify -f approvers).
# Each line: name, namespaces=\"git\",valid-after=\"FROM\"[,valid-before=\"DAY AFTER UNTIL\"], key, role=ROLE.
# An OpenPGP key's line (ssh-keygen skips it): #openpgp name valid-after=\"FROM\"[,…] openpgp BASE64-OF-GPG-EXPORT role=ROLE.
# An X.509 certificate's line (ssh-keygen skips it): #x509 name valid-after=\"FROM\"[,…] x509 BASE64-OF-DER role=ROLE.
# Change it only with `baseline approver add|remove … --decision DEC`: verify reports any other edit.
";

/// The key types an approver's key may have (those ssh-keygen signs with).
pub const KEY_TYPES: [&str; 7] = [
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// One approver: a person (or function) whose key may sign baselines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approver {
    /// The principal: who signs, as signatures are checked against.
    pub name: String,
    /// What signing means for them, e.g. `dag-chair`.
    pub role: String,
    /// The first day the key may sign.
    pub from: Date,
    /// The last day the key may sign; none: open-ended.
    pub until: Option<Date>,
    pub key: PublicKey,
}

/// The prefix of an OpenPGP approver's line, and its key's type.
const OPENPGP_LINE: &str = "#openpgp ";
const OPENPGP_TYPE: &str = "openpgp";
/// The prefix of an X.509 approver's line, and its key's type.
const X509_LINE: &str = "#x509 ";
const X509_TYPE: &str = "x509";

/// An approver's public key: an SSH key (its type and its base64 blob, as a
/// `.pub` file holds them), an OpenPGP key (type `openpgp`, its binary
/// export in base64) or an X.509 certificate (type `x509`, its DER in base64).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicKey {
    /// What signatures it makes: `ssh`, `openpgp` or `x509`.
    pub format: SignatureFormat,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip)]
    pub base64: String,
    /// `SHA256:…` for an SSH key, as `ssh-keygen -l` prints it; the primary
    /// key's 40 hex digits for an OpenPGP key, as gpg prints it; SHA-1 of an
    /// X.509 certificate's DER, 40 hex digits, as gpgsm prints it.
    pub fingerprint: String,
}

impl PublicKey {
    /// Reads a key file: an X.509 certificate (PEM or DER), an OpenPGP
    /// public key (armored or binary, one key) or an SSH `.pub` line; `what`
    /// names where it came from in a refusal. (Whether a certificate's DER is
    /// one certificate, gpgsm says: `Repo::check_x509_certificate`.)
    pub fn read(bytes: &[u8], what: &str) -> Result<Self> {
        if x509::looks_like_x509(bytes) {
            return match x509::read_certificate(bytes) {
                Ok(der) => Ok(Self::from_x509(&der)),
                Err(x509::CertProblem::Private) => Err(Error::refused(
                    format!("{what} holds a private key"),
                    "give the certificate alone: `gpgsm --export --armor FINGERPRINT > cert.pem`",
                )),
                Err(x509::CertProblem::Malformed(why)) => Err(Error::refused(
                    format!("{what} is not one X.509 certificate: {why}"),
                    "give one certificate, PEM or DER, as `gpgsm --export --armor FINGERPRINT > cert.pem` writes it",
                )),
            };
        }
        if !openpgp::looks_like_openpgp(bytes) {
            return Self::parse(&String::from_utf8_lossy(bytes), what);
        }
        match openpgp::read_key(bytes) {
            Ok(key) => Ok(Self::from_openpgp(&key)),
            Err(openpgp::KeyProblem::Private) => Err(Error::refused(
                format!("{what} is an OpenPGP secret key"),
                "give the public key: `gpg --export --armor KEYID > key.asc`",
            )),
            Err(openpgp::KeyProblem::Malformed(why)) => Err(Error::refused(
                format!("{what} is not an OpenPGP public key: {why}"),
                "give one key as `gpg --export --armor KEYID > key.asc` writes it",
            )),
        }
    }

    /// The approver's key an OpenPGP export is.
    pub fn from_openpgp(key: &openpgp::OpenPgpKey) -> Self {
        PublicKey {
            format: SignatureFormat::Openpgp,
            kind: OPENPGP_TYPE.to_string(),
            base64: key.base64(),
            fingerprint: key.fingerprint.clone(),
        }
    }

    /// The approver's key an X.509 certificate (its DER bytes) is.
    pub fn from_x509(der: &[u8]) -> Self {
        PublicKey {
            format: SignatureFormat::X509,
            kind: X509_TYPE.to_string(),
            base64: encode_base64(der),
            fingerprint: x509::fingerprint(der),
        }
    }

    /// An X.509 certificate's DER, as gpgsm imports it; none for other keys.
    pub fn x509_certificate(&self) -> Option<Vec<u8>> {
        (self.format == SignatureFormat::X509)
            .then(|| decode_base64(&self.base64))
            .flatten()
    }

    /// An OpenPGP key's export, as gpg imports it; none for an SSH key.
    pub fn openpgp_export(&self) -> Option<Vec<u8>> {
        (self.format == SignatureFormat::Openpgp)
            .then(|| decode_base64(&self.base64))
            .flatten()
    }

    /// Whether `other` is the same key: the same fingerprint (SSH and
    /// OpenPGP fingerprints never look alike), whatever else the export holds.
    pub fn same_key(&self, other: &PublicKey) -> bool {
        self.fingerprint == other.fingerprint
    }

    /// Whether a signature naming `issuer` was made with this key: for SSH
    /// (or X.509) its fingerprint; for OpenPGP the primary key's fingerprint
    /// or key id, or one of its subkeys'.
    pub fn is_named_by(&self, issuer: &str) -> bool {
        match self.openpgp_export() {
            Some(export) => {
                openpgp::key_from_binary(export).is_ok_and(|key| key.is_named_by(issuer))
            }
            None => self.fingerprint == issuer,
        }
    }

    /// Reads `type base64 [comment]` (a `.pub` file's line); `what` names
    /// where it came from in a refusal.
    pub fn parse(text: &str, what: &str) -> Result<Self> {
        let mut fields = text.split_whitespace();
        let (Some(kind), Some(base64)) = (fields.next(), fields.next()) else {
            return Err(bad_key(what, "it holds no `TYPE BASE64` public key line"));
        };
        if text.trim_start().starts_with("-----BEGIN") {
            return Err(Error::refused(
                format!("{what} is a private key"),
                "give the public key: the file ending in .pub",
            ));
        }
        Self::from_parts(kind, base64, what)
    }

    fn from_parts(kind: &str, base64: &str, what: &str) -> Result<Self> {
        if kind == X509_TYPE {
            return match decode_base64(base64) {
                Some(der) if der.first() == Some(&0x30) => Ok(Self::from_x509(&der)),
                _ => Err(bad_key(what, "its certificate is not base64 of DER")),
            };
        }
        if kind == OPENPGP_TYPE {
            let bytes = decode_base64(base64)
                .ok_or_else(|| bad_key(what, "its key is not valid base64"))?;
            let key = openpgp::key_from_binary(bytes)
                .map_err(|_| bad_key(what, "its key is not one OpenPGP public key"))?;
            return Ok(Self::from_openpgp(&key));
        }
        if !KEY_TYPES.contains(&kind) {
            return Err(bad_key(
                what,
                &format!(
                    "`{}` is not an SSH key type baseline accepts ({})",
                    kind.escape_debug(),
                    KEY_TYPES.join(", ")
                ),
            ));
        }
        let blob =
            decode_base64(base64).ok_or_else(|| bad_key(what, "its key is not valid base64"))?;
        // The blob begins with its own type: a key pasted under another name is refused.
        if ssh_string(&blob, 0).map(|(s, _)| s) != Some(kind.as_bytes()) {
            return Err(bad_key(
                what,
                "its key's bytes are not a key of the type named",
            ));
        }
        Ok(Self::from_blob(kind, &blob))
    }

    /// The key whose wire-format bytes are `blob`.
    pub fn from_blob(kind: &str, blob: &[u8]) -> Self {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(blob);
        let fingerprint = base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest);
        PublicKey {
            format: SignatureFormat::Ssh,
            kind: kind.to_string(),
            base64: encode_base64(blob),
            fingerprint: format!("SHA256:{fingerprint}"),
        }
    }

    /// `type base64`, as allowed-signers and `.pub` files write it.
    pub fn line(&self) -> String {
        format!("{} {}", self.kind, self.base64)
    }
}

fn bad_key(what: &str, why: &str) -> Error {
    Error::refused(
        format!("{what} is not an SSH public key: {why}"),
        "give the public key file ssh-keygen made (e.g. ~/.ssh/id_ed25519.pub)",
    )
}

impl Approver {
    /// Whether the key may sign on `date`.
    pub fn valid_on(&self, date: Date) -> bool {
        self.from <= date && self.until.is_none_or(|until| date <= until)
    }

    /// Whether the key may sign a baseline dated `date` on the day `signed`:
    /// both must fall in its validity, so that a baseline dated back to the
    /// key's time does not let an expired key sign.
    pub fn may_sign_on(&self, date: Date, signed: Date) -> bool {
        self.valid_on(date) && self.valid_on(signed)
    }

    /// The validity as people read it: "from 2023-01-01 until 2024-12-31".
    pub fn validity(&self) -> String {
        match self.until {
            Some(until) => format!("from {} until {until}", self.from),
            None => format!("from {}", self.from),
        }
    }

    /// The allowed-signers line; for an OpenPGP key, the same behind
    /// `#openpgp `, for an X.509 certificate behind `#x509 `, neither with
    /// `namespaces`.
    pub fn line(&self) -> String {
        let prefix = line_prefix(self.key.format);
        let mut options = format!("valid-after=\"{}\"", compact(self.from));
        if self.key.format == SignatureFormat::Ssh {
            options.insert_str(0, "namespaces=\"git\",");
        }
        if let Some(until) = self.until {
            let before = until.tomorrow().unwrap_or(until);
            options.push_str(&format!(",valid-before=\"{}\"", compact(before)));
        }
        format!(
            "{prefix}{} {options} {} role={}",
            self.name,
            self.key.line(),
            self.role
        )
    }
}

/// What an approver's line begins with, for a key of `format`.
fn line_prefix(format: SignatureFormat) -> &'static str {
    match format {
        SignatureFormat::Ssh => "",
        SignatureFormat::Openpgp => OPENPGP_LINE,
        SignatureFormat::X509 => X509_LINE,
    }
}

/// `20230712`, as allowed-signers dates are written.
fn compact(date: Date) -> String {
    date.strftime("%Y%m%d").to_string()
}

fn from_compact(text: &str) -> Option<Date> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..])
        .parse()
        .ok()
}

/// Checks an approver's name: one word a signature can be checked against.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._@+-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::usage(
            format!("`{}` cannot name an approver", name.escape_debug()),
            "use one word of letters, digits and . _ @ + - (an email address is usual), at most 100 characters",
        ))
    }
}

/// Checks a role: one word, so that it reads back from the key's comment.
pub fn check_role(role: &str) -> Result<()> {
    let ok = !role.is_empty()
        && role.len() <= 60
        && role
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && role
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::usage(
            format!("`{}` cannot be a role", role.escape_debug()),
            "use one word of letters, digits and . _ - such as dag-chair or design-authority",
        ))
    }
}

/// Reads the file; every line that is not blank or a comment must be an
/// approver's, as baseline writes them.
pub fn parse(text: &str) -> Result<Vec<Approver>> {
    let mut approvers = Vec::new();
    // Split on '\n' alone: a line ending in '\r' is not one baseline wrote.
    for (n, line) in text.split('\n').enumerate() {
        let ours = line.starts_with(OPENPGP_LINE) || line.starts_with(X509_LINE);
        if !ours && (line.trim().is_empty() || line.trim_start().starts_with('#')) {
            continue;
        }
        // Exactly as written back, so that no option ssh-keygen reads
        // otherwise (twice, in another order, other spacing) slips through.
        let approver = parse_line(line).filter(|a| a.line() == line).ok_or_else(|| {
            Error::refused(
                format!(
                    "{APPROVERS} line {}: `{}` is not an approver's line as baseline writes them",
                    n + 1,
                    line.escape_debug()
                ),
                "restore the file from a trusted clone; change it only with `baseline approver add|remove`",
            )
        })?;
        approvers.push(approver);
    }
    Ok(approvers)
}

fn parse_line(line: &str) -> Option<Approver> {
    let (line, format) = if let Some(rest) = line.strip_prefix(OPENPGP_LINE) {
        (rest, SignatureFormat::Openpgp)
    } else if let Some(rest) = line.strip_prefix(X509_LINE) {
        (rest, SignatureFormat::X509)
    } else {
        (line, SignatureFormat::Ssh)
    };
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [name, options, kind, base64, role] = fields.as_slice() else {
        return None;
    };
    check_name(name).ok()?;
    let role = role.strip_prefix("role=")?;
    check_role(role).ok()?;
    let (mut from, mut until, mut git) = (None, None, false);
    for option in options.split(',') {
        let (key, value) = option.split_once('=')?;
        let value = value.strip_prefix('"')?.strip_suffix('"')?;
        match key {
            "namespaces" => git = value.split(',').any(|n| n == "git"),
            "valid-after" => from = Some(from_compact(value)?),
            "valid-before" => until = Some(from_compact(value)?.yesterday().ok()?),
            _ => return None,
        }
    }
    // An OpenPGP or X.509 line has no namespaces (and its key is of its
    // prefix's format); an SSH line is limited to git's.
    let key = PublicKey::from_parts(kind, base64, "").ok()?;
    if format != key.format || (format == SignatureFormat::Ssh) != git {
        return None;
    }
    Some(Approver {
        name: name.to_string(),
        role: role.to_string(),
        from: from?,
        until,
        key,
    })
}

/// The file's text for `approvers`.
pub fn render(approvers: &[Approver]) -> String {
    let mut text = HEADER.to_string();
    for approver in approvers {
        text.push_str(&approver.line());
        text.push('\n');
    }
    text
}

/// A signature as git appends it to a signed tag's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagSignature {
    pub format: SignatureFormat,
    /// The armored signature, as it stands in the tag.
    pub armored: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureFormat {
    Ssh,
    Openpgp,
    X509,
}

impl std::fmt::Display for SignatureFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignatureFormat::Ssh => "ssh",
            SignatureFormat::Openpgp => "openpgp",
            SignatureFormat::X509 => "x509",
        })
    }
}

/// Splits a tag object's bytes (or its message) into what was signed and the
/// signature git appended, as git itself does: the signature begins at the
/// last line that opens one.
pub fn split_signed(raw: &[u8]) -> (&[u8], Option<TagSignature>) {
    const OPENINGS: [(&str, SignatureFormat); 4] = [
        ("-----BEGIN PGP SIGNATURE-----", SignatureFormat::Openpgp),
        ("-----BEGIN PGP MESSAGE-----", SignatureFormat::Openpgp),
        ("-----BEGIN SIGNED MESSAGE-----", SignatureFormat::X509),
        ("-----BEGIN SSH SIGNATURE-----", SignatureFormat::Ssh),
    ];
    let mut found = None;
    let mut at = 0;
    for line in raw.split_inclusive(|&b| b == b'\n') {
        if let Some((_, format)) = OPENINGS
            .iter()
            .find(|(o, _)| line.starts_with(o.as_bytes()))
        {
            found = Some((at, *format));
        }
        at += line.len();
    }
    match found {
        Some((start, format)) => (
            &raw[..start],
            Some(TagSignature {
                format,
                armored: String::from_utf8_lossy(&raw[start..]).into_owned(),
            }),
        ),
        None => (raw, None),
    }
}

/// The public key an SSH signature (`-----BEGIN SSH SIGNATURE-----`) was made
/// with: the SSHSIG blob names it.
pub fn ssh_signature_key(armored: &str) -> Option<PublicKey> {
    let body: String = armored
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    let blob = decode_base64(&body)?;
    let rest = blob.strip_prefix(b"SSHSIG")?;
    // A version (u32), then the public key as a string.
    let (key, _) = ssh_string(rest, 4)?;
    let (kind, _) = ssh_string(key, 0)?;
    Some(PublicKey::from_blob(std::str::from_utf8(kind).ok()?, key))
}

/// The length-prefixed string at `at` in SSH wire format, and where the next begins.
fn ssh_string(bytes: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let len = bytes.get(at..at + 4)?;
    let len = u32::from_be_bytes(len.try_into().ok()?) as usize;
    let start = at + 4;
    Some((bytes.get(start..start.checked_add(len)?)?, start + len))
}

/// Base64 as ssh-keygen and gpg write it; read with or without its padding.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    BASE64.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBYmq3tTdbV+HFBgElWGmjgy41YKHPZlsxIw/1HaAlfM alice";

    #[test]
    fn base64_round_trips() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar"] {
            assert_eq!(decode_base64(&encode_base64(bytes)).unwrap(), bytes);
        }
        assert_eq!(encode_base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(encode_base64(b"fo"), "Zm8=");
        assert!(decode_base64("not base64!").is_none());
    }

    #[test]
    fn a_key_has_the_fingerprint_ssh_keygen_prints() {
        let key = PublicKey::parse(KEY, "k").unwrap();
        assert_eq!(
            key.fingerprint,
            "SHA256:dvJPFZoYt9pzCUqHpTK6gBKFroalZKfEr8Feki7Wgx0"
        );
        assert!(
            PublicKey::parse(
                "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIBYmq3tTdbV+HFBgElWGmjgy41YKHPZlsxIw/1HaAlfM",
                "k"
            )
            .is_err()
        );
        assert!(PublicKey::parse("-----BEGIN OPENSSH PRIVATE KEY----- x", "k").is_err());
    }

    #[test]
    fn an_approver_line_reads_back() {
        let approver = Approver {
            name: "alice@example.org".into(),
            role: "dag-chair".into(),
            from: "2023-01-01".parse().unwrap(),
            until: Some("2024-12-31".parse().unwrap()),
            key: PublicKey::parse(KEY, "k").unwrap(),
        };
        let line = approver.line();
        assert!(line.contains("valid-before=\"20250101\""), "{line}");
        let listed = std::slice::from_ref(&approver);
        assert_eq!(parse(&render(listed)).unwrap(), listed);
        assert!(approver.valid_on("2024-12-31".parse().unwrap()));
        assert!(!approver.valid_on("2025-01-01".parse().unwrap()));
        assert!(!approver.valid_on("2022-12-31".parse().unwrap()));
        assert!(parse("alice cert-authority ssh-ed25519 AAAA role=x").is_err());
        // Lines ssh-keygen would read otherwise than baseline wrote them.
        let twice = line.replace(
            "namespaces=\"git\"",
            "namespaces=\"file\",namespaces=\"git\"",
        );
        let crlf = format!("{line}\r");
        let spaced = line.replacen(' ', "  ", 1);
        for other in [twice, crlf, spaced] {
            assert!(parse(&other).is_err(), "{other:?}");
        }
    }

    #[test]
    fn an_x509_line_reads_back_behind_its_comment_mark() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x01];
        let approver = Approver {
            name: "carol@example.org".into(),
            role: "dag-chair".into(),
            from: "2023-01-01".parse().unwrap(),
            until: None,
            key: PublicKey::from_x509(&der),
        };
        let line = approver.line();
        assert_eq!(
            line,
            "#x509 carol@example.org valid-after=\"20230101\" x509 MAMCAQE= role=dag-chair"
        );
        assert_eq!(approver.key.fingerprint, x509::fingerprint(&der));
        assert_eq!(approver.key.x509_certificate().unwrap(), der);
        let listed = std::slice::from_ref(&approver);
        assert_eq!(parse(&render(listed)).unwrap(), listed);
        // An X.509 key behind no mark, or with namespaces, or an SSH key behind it.
        let bare = line.trim_start_matches("#x509 ").to_string();
        let spaced = line.replace("valid-after", "namespaces=\"git\",valid-after");
        let ssh = format!("#x509 alice valid-after=\"20230101\" {KEY}");
        for other in [bare, spaced, ssh] {
            assert!(parse(&other).is_err(), "{other:?}");
        }
        let read = PublicKey::read(&der, "cert.der").unwrap();
        assert_eq!(read.format, SignatureFormat::X509);
    }

    #[test]
    fn a_signature_is_split_from_what_it_signs() {
        let raw = b"object 1\n\nmessage\n-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n";
        let (payload, signature) = split_signed(raw);
        assert_eq!(payload, b"object 1\n\nmessage\n");
        assert_eq!(signature.unwrap().format, SignatureFormat::Ssh);
        assert_eq!(split_signed(b"plain\n").1, None);
    }
}
