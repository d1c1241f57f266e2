#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = baseline::cli::Cli::from_env();
    match baseline::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind == baseline::ErrorKind::OutputClosed => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = anstream::stderr();
            let _ = writeln!(
                stderr,
                "{}error:{} {}",
                baseline::cli::style::ERROR.render(),
                baseline::cli::style::ERROR.render_reset(),
                err.message
            );
            let _ = writeln!(
                stderr,
                "{}hint:{} {}",
                baseline::cli::style::HINT.render(),
                baseline::cli::style::HINT.render_reset(),
                err.hint
            );
            ExitCode::from(err.exit_code() as u8)
        }
    }
}
