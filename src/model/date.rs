//! Calendar dates as records hold them (`2023-07-12`) and the clock that stamps them.

use crate::error::{Error, Result};

pub use jiff::Timestamp;
pub use jiff::civil::Date;

/// The dates a programme's records may carry: a date outside them is a typing
/// error (1823 for 2023), not a business date.
pub const EARLIEST: Date = jiff::civil::date(1900, 1, 1);
pub const LATEST: Date = jiff::civil::date(2200, 12, 31);

/// Whether a date is one a record may carry.
pub fn in_range(date: Date) -> bool {
    (EARLIEST..=LATEST).contains(&date)
}

/// Parses a `YYYY-MM-DD` date given on the command line.
pub fn parse_date(text: &str) -> Result<Date> {
    let date = text.parse::<Date>().map_err(|err| {
        Error::usage(
            format!("`{text}` is not a date: {err}"),
            "write dates as YYYY-MM-DD, such as 2023-07-12",
        )
    })?;
    if !in_range(date) {
        return Err(Error::usage(
            format!("{text} is outside the dates a record may carry ({EARLIEST} to {LATEST})"),
            "check the year: write dates as YYYY-MM-DD, such as 2023-07-12",
        ));
    }
    Ok(date)
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
