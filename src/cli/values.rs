//! How the command line reads values of the model: dates, and the words that
//! name an outcome, a change's kind or state, or a redline's format.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use crate::model::{ChangeKind, ChangeState, Date, Outcome, date};
use crate::redline::render;

/// A value the command line names by a word (`approved`, `impact-assessment`).
pub trait Choice: Copy + Send + Sync + 'static {
    const ALL: &'static [Self];
    /// The word that names it on the command line.
    fn name(self) -> &'static str;
    /// What it means, for the help's list of possible values.
    fn help(self) -> Option<&'static str> {
        None
    }
}

/// A clap parser for a [`Choice`], listing the possible values in the help.
pub fn choice<T: Choice>() -> impl TypedValueParser<Value = T> {
    let values = T::ALL.iter().map(|v| {
        let value = PossibleValue::new(v.name());
        match v.help() {
            Some(help) => value.help(help),
            None => value,
        }
    });
    PossibleValuesParser::new(values).try_map(|name: String| {
        T::ALL
            .iter()
            .copied()
            .find(|v| v.name() == name)
            .ok_or("not one of the possible values")
    })
}

/// clap value parser for `--date`.
pub fn date(text: &str) -> Result<Date, String> {
    date::parse_date(text).map_err(|err| format!("{}\nhint: {}", err.message, err.hint))
}

impl Choice for Outcome {
    const ALL: &'static [Self] = &[
        Outcome::Approved,
        Outcome::Rejected,
        Outcome::Deferred,
        Outcome::Noted,
    ];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Choice for ChangeKind {
    const ALL: &'static [Self] = &[ChangeKind::Cr, ChangeKind::Din];
    fn name(self) -> &'static str {
        match self {
            ChangeKind::Cr => "cr",
            ChangeKind::Din => "din",
        }
    }
    fn help(self) -> Option<&'static str> {
        Some(match self {
            ChangeKind::Cr => "A change request",
            ChangeKind::Din => "A design issue notice",
        })
    }
}

impl Choice for ChangeState {
    const ALL: &'static [Self] = &[
        ChangeState::Raised,
        ChangeState::ImpactAssessment,
        ChangeState::Approved,
        ChangeState::Rejected,
        ChangeState::Withdrawn,
        ChangeState::Deferred,
    ];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

/// What a redline is written as: rendered as text, or as a copy of the
/// artefact in its own format with the changes tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedlineFormat {
    Rendered(render::Format),
    Docx,
    Xlsx,
}

impl RedlineFormat {
    /// The format a file's extension names (`.html`, `.docx` …), if any.
    pub fn of_file(path: &std::path::Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        let name = match extension.as_str() {
            "htm" => "html",
            "markdown" => "md",
            "patch" => "diff",
            other => other,
        };
        Self::ALL.iter().copied().find(|f| f.name() == name)
    }
}

impl Choice for RedlineFormat {
    const ALL: &'static [Self] = &[
        RedlineFormat::Rendered(render::Format::Term),
        RedlineFormat::Rendered(render::Format::Diff),
        RedlineFormat::Rendered(render::Format::Md),
        RedlineFormat::Rendered(render::Format::Html),
        RedlineFormat::Rendered(render::Format::Json),
        RedlineFormat::Docx,
        RedlineFormat::Xlsx,
    ];
    fn name(self) -> &'static str {
        match self {
            RedlineFormat::Rendered(render::Format::Term) => "term",
            RedlineFormat::Rendered(render::Format::Diff) => "diff",
            RedlineFormat::Rendered(render::Format::Md) => "md",
            RedlineFormat::Rendered(render::Format::Html) => "html",
            RedlineFormat::Rendered(render::Format::Json) => "json",
            RedlineFormat::Docx => "docx",
            RedlineFormat::Xlsx => "xlsx",
        }
    }
    fn help(self) -> Option<&'static str> {
        Some(match self {
            RedlineFormat::Rendered(render::Format::Term) => {
                "For reading in a terminal (coloured on a terminal, marked [-…-]{+…+} otherwise)"
            }
            RedlineFormat::Rendered(render::Format::Diff) => {
                "A unified diff that `git apply` and `patch` accept"
            }
            RedlineFormat::Rendered(render::Format::Md) => "Markdown, for a pull request or a wiki",
            RedlineFormat::Rendered(render::Format::Html) => {
                "One self-contained, printable HTML page"
            }
            RedlineFormat::Rendered(render::Format::Json) => {
                "The redline as JSON, with operations that rebuild TO from FROM"
            }
            RedlineFormat::Docx => {
                "A Word artefact's new version with the changes as tracked changes (needs -o FILE)"
            }
            RedlineFormat::Xlsx => {
                "A workbook's new version with changed cells marked and old values in notes (needs -o FILE)"
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `word` as the command line would, with `choice::<T>()`.
    fn read<T: Choice + Clone>(word: &str) -> Result<T, clap::Error> {
        let command = clap::Command::new("t").arg(
            clap::Arg::new("v")
                .value_parser(choice::<T>())
                .required(true),
        );
        let matches = command.try_get_matches_from(["t", word])?;
        Ok(matches
            .get_one::<T>("v")
            .copied()
            .expect("a required value"))
    }

    /// Every value is read back from its word, which is the word its records
    /// hold; anything else is refused.
    #[test]
    fn each_value_is_read_from_the_word_its_records_hold() {
        for &v in Outcome::ALL {
            assert_eq!(read::<Outcome>(v.name()).unwrap(), v);
            assert_eq!(serde_json::to_value(v).unwrap(), v.name());
        }
        for &v in ChangeState::ALL {
            assert_eq!(read::<ChangeState>(v.name()).unwrap(), v);
            assert_eq!(serde_json::to_value(v).unwrap(), v.name());
        }
        for &v in ChangeKind::ALL {
            assert_eq!(read::<ChangeKind>(v.name()).unwrap(), v);
            assert_eq!(serde_json::to_value(v).unwrap(), v.name());
        }
        for &v in RedlineFormat::ALL {
            assert_eq!(read::<RedlineFormat>(v.name()).unwrap(), v);
        }
        let of_file = |name: &str| RedlineFormat::of_file(std::path::Path::new(name));
        assert_eq!(of_file("red.DOCX"), Some(RedlineFormat::Docx));
        assert_eq!(
            of_file("red.htm"),
            Some(RedlineFormat::Rendered(render::Format::Html))
        );
        assert_eq!(
            of_file("red.patch"),
            Some(RedlineFormat::Rendered(render::Format::Diff))
        );
        assert_eq!(of_file("red.txt"), None);
        assert!(read::<Outcome>("accepted").is_err());
        assert!(read::<ChangeKind>("CR").is_err());
    }
}
