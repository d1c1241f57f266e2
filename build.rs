//! Link settings for the `baseline` binary.
//!
//! A position-independent executable is relocated by the dynamic loader each
//! time it starts: `baseline` has some 16,000 relative relocations (vtables,
//! panic locations, clap's tables). Packed as DT_RELR they take a few kilobytes
//! instead of 380 and the loader applies them in a fifth of the time, so every
//! command starts about 0.2 ms sooner (a redline takes 7 ms). The binary stays
//! position-independent. Linkers and C libraries too old for it are left as they
//! are: a probe links (and, when not cross-compiling, runs) a small program first.

use std::env;
use std::path::PathBuf;
use std::process::Command;

const PACK_RELATIVE_RELOCATIONS: &str = "-Wl,-z,pack-relative-relocs";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let linux_gnu = env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if linux_gnu && links_and_runs_with(PACK_RELATIVE_RELOCATIONS) {
        println!("cargo:rustc-link-arg-bins={PACK_RELATIVE_RELOCATIONS}");
    }
}

/// Whether the C toolchain links a program with `flag`, and (on the machine it
/// is built for) the program runs.
fn links_and_runs_with(flag: &str) -> bool {
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        return false;
    };
    let source = out_dir.join("probe.c");
    let program = out_dir.join("probe");
    if std::fs::write(&source, "int main(void) { return 0; }\n").is_err() {
        return false;
    }
    let Ok(compiler) = cc::Build::new()
        .cargo_metadata(false)
        .cargo_warnings(false)
        .try_get_compiler()
    else {
        return false;
    };
    let linked = compiler
        .to_command()
        .arg(&source)
        .arg("-o")
        .arg(&program)
        .arg(flag)
        .output()
        .is_ok_and(|output| output.status.success());
    let native = env::var("HOST").ok() == env::var("TARGET").ok();
    linked && (!native || Command::new(&program).status().is_ok_and(|s| s.success()))
}
