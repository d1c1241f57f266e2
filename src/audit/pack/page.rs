//! The frame every page of a pack shares: self-contained (no network fetches),
//! printable, and with every piece of record text escaped by maud.

use maud::{DOCTYPE, Markup, PreEscaped, html};

const CSS: &str = "body{font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",sans-serif;color:#1f2328;margin:0 auto;max-width:72rem;padding:1rem 1.5rem 3rem}\
table{border-collapse:collapse;margin:.75rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}\
thead th{background:#f6f8fa}code{font:13px ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}\
.made{color:#57606a}@media print{body{max-width:none;font-size:11pt}a{color:inherit}}";

pub fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

/// A relative link to a file of the pack, its path's parts percent-encoded.
pub fn href(path: &str) -> String {
    path.split('/')
        .map(|part| {
            part.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_to_a_file_with_spaces_and_symbols_is_encoded() {
        assert_eq!(
            super::href("Baselined Design Artefacts/DES138 A&B v1.0.xlsx"),
            "Baselined%20Design%20Artefacts/DES138%20A%26B%20v1.0.xlsx"
        );
    }
}
