//! Calendar dates as records hold them (`2023-07-12`) and the clock that stamps them.

use crate::error::{Error, Result};

pub use jiff::Timestamp;
pub use jiff::civil::Date;

/// Parses a `YYYY-MM-DD` date given on the command line.
pub fn parse_date(text: &str) -> Result<Date> {
    text.parse::<Date>().map_err(|err| {
        Error::usage(
            format!("`{text}` is not a date: {err}"),
            "write dates as YYYY-MM-DD, such as 2023-07-12",
        )
    })
}

/// Today in the local time zone: the default business date of a record.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// The current time to the second, as records stamp it.
pub fn now() -> Timestamp {
    let now = Timestamp::now();
    now.round(jiff::Unit::Second).unwrap_or(now)
}
