//! The few styles the output uses; anstream drops them off a terminal and under NO_COLOR.

use anstyle::{AnsiColor, Style};

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const HINT: Style = AnsiColor::Cyan.on_default().bold();
pub const HEADING: Style = Style::new().bold();
pub const BASELINED: Style = AnsiColor::Green.on_default();
pub const DRAFT: Style = AnsiColor::Yellow.on_default();
pub const DIM: Style = Style::new().dimmed();
pub const OK: Style = AnsiColor::Green.on_default().bold();
pub const BAD: Style = AnsiColor::Red.on_default().bold();
