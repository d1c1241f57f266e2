#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = baseline::cli::Cli::from_env();
    match baseline::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind == baseline::ErrorKind::OutputClosed => ExitCode::SUCCESS,
        Err(err) => {
            baseline::cli::print_error(&err);
            ExitCode::from(err.exit_code() as u8)
        }
    }
}
