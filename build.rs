//! Link settings for the `baseline` binary.
//!
//! A position-independent executable is relocated by the dynamic loader each
//! time it starts: `baseline` has some 16,000 relative relocations (vtables,
//! panic locations, clap's tables). Packed as DT_RELR they take a few kilobytes
//! instead of 380 and the loader applies them in a fifth of the time, so every
//! command starts about 0.2 ms sooner (a redline takes 6 ms). The binary stays
//! position-independent. Linkers and C libraries too old for it are left as they
//! are: a probe links (and, when not cross-compiling, runs) a small program first.
//!
//! A binary linked this way against glibc 2.36 or later needs glibc 2.36 or later
//! to start; `BASELINE_PORTABLE_LINK=1` builds one without packed relocations,
//! to be copied to older systems.

use std::env;
use std::path::PathBuf;
use std::process::Command;

const PACK_RELATIVE_RELOCATIONS: &str = "-Wl,-z,pack-relative-relocs";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for variable in ["BASELINE_PORTABLE_LINK", "CC", "CFLAGS", "RUSTC_LINKER"] {
        println!("cargo:rerun-if-env-changed={variable}");
    }
    let linux_gnu = env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    // A static binary is relocated by its own start-up code, which may not read
    // packed relocations.
    let static_crt = env::var("CARGO_CFG_TARGET_FEATURE")
        .is_ok_and(|features| features.split(',').any(|f| f == "crt-static"));
    let portable = env::var_os("BASELINE_PORTABLE_LINK").is_some_and(|v| !v.is_empty());
    if linux_gnu && !static_crt && !portable && links_and_runs_with(PACK_RELATIVE_RELOCATIONS) {
        println!("cargo:rustc-link-arg-bins={PACK_RELATIVE_RELOCATIONS}");
    }
}

/// Whether the linker rustc will use (the C compiler, unless cargo names
/// another) links a position-independent program with a relative relocation
/// and `flag`, and (on the machine it is built for) the program runs.
fn links_and_runs_with(flag: &str) -> bool {
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        return false;
    };
    let source = out_dir.join("probe.c");
    let program = out_dir.join("probe");
    let probe =
        "static int answer = 0;\nint *const found = &answer;\nint main(void) { return *found; }\n";
    if std::fs::write(&source, probe).is_err() {
        return false;
    }
    let mut link = match env::var_os("RUSTC_LINKER") {
        Some(linker) => Command::new(linker),
        None => match cc::Build::new()
            .cargo_metadata(false)
            .cargo_warnings(false)
            .try_get_compiler()
        {
            Ok(compiler) => compiler.to_command(),
            Err(_) => return false,
        },
    };
    let linked = link
        .args(["-fPIE", "-pie"])
        .arg(&source)
        .arg("-o")
        .arg(&program)
        .arg(flag)
        .output()
        .is_ok_and(|output| output.status.success());
    let native = env::var("HOST").ok() == env::var("TARGET").ok();
    linked && (!native || Command::new(&program).status().is_ok_and(|s| s.success()))
}
