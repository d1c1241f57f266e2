//! The JSON redline, printed as serde_json's `PrettyFormatter` prints it (two
//! spaces a level), but with each line's break and indentation written at once
//! rather than a level at a time: a large redline's JSON is mostly indentation.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use super::super::model::Redline;
use crate::error::Result;

pub fn render(redline: &Redline, out: &mut dyn Write) -> Result<()> {
    // The serializer writes in many small pieces: buffer them here, where the
    // writer is known, rather than behind `dyn Write`.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    write_pretty(&mut buffered, redline)?;
    writeln!(buffered)?;
    buffered.flush()?;
    Ok(())
}

fn write_pretty(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Indented::default());
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// A line break and the indentation of up to 32 levels.
const BREAK_AND_SPACES: &[u8; 65] =
    b"\n                                                                ";

#[derive(Default)]
struct Indented {
    level: usize,
    /// Whether the array or object being written has a value yet.
    has_value: bool,
}

impl Indented {
    fn new_line<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        match BREAK_AND_SPACES.get(..1 + 2 * self.level) {
            Some(line) => writer.write_all(line),
            None => {
                writer.write_all(b"\n")?;
                (0..self.level).try_for_each(|_| writer.write_all(b"  "))
            }
        }
    }

    fn begin<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn end<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.new_line(writer)?;
        }
        writer.write_all(bracket)
    }

    fn next<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.new_line(writer)
    }
}

impl Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[a-z\"\\\\\n ]{0,4}".prop_map(Value::from),
        ];
        leaf.prop_recursive(40, 200, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[a-c]{1,2}", inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    fn printed(value: &Value) -> String {
        let mut out = Vec::new();
        write_pretty(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    proptest! {
        #[test]
        fn prints_as_serde_json_pretty_prints(value in json()) {
            prop_assert_eq!(printed(&value), serde_json::to_string_pretty(&value).unwrap());
        }
    }

    #[test]
    fn deeper_than_the_spaces_at_hand_too() {
        let mut value = serde_json::json!({"leaf": [1, {"a": []}]});
        for _ in 0..40 {
            value = serde_json::json!({ "level": [value, {}] });
        }
        assert_eq!(
            printed(&value),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }
}
