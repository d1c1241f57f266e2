//! The JSON redline: the redline as serde_json pretty-prints it (two spaces a
//! level), with its operations that rebuild TO from FROM.

use std::io::{self, Write};

use super::super::model::Redline;
use crate::error::Result;

pub fn render(redline: &Redline, out: &mut dyn Write) -> Result<()> {
    // The serializer writes in many small pieces: buffer them here, where the
    // writer is known, rather than behind `dyn Write`.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, redline).map_err(io::Error::from)?;
    writeln!(buffered)?;
    buffered.flush()?;
    Ok(())
}
