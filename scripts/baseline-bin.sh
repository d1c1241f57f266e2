#!/usr/bin/env bash
# Prints the path of the `baseline` binary to use: BASELINE_BIN if set, else the
# debug build `cargo test` also uses, built now. Cargo shows its progress on
# standard error and reports where it put the binary, wherever CARGO_TARGET_DIR
# or a cargo config sends the target folder.
#
# Usage: B="$(bash scripts/baseline-bin.sh)"
set -euo pipefail

if [ -n "${BASELINE_BIN:-}" ]; then
    echo "$BASELINE_BIN"
    exit 0
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v cargo >/dev/null; then
    echo "error: cargo is not on the PATH, and BASELINE_BIN is not set" >&2
    echo "hint: install Rust (https://rustup.rs), or set BASELINE_BIN=/path/to/baseline" >&2
    exit 2
fi
B="$(cargo build --locked --manifest-path "$ROOT/Cargo.toml" --bin baseline \
    --message-format=json-render-diagnostics |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)"
if [ -z "$B" ] || [ ! -x "$B" ]; then
    echo "error: cargo built baseline but did not say where the binary is" >&2
    echo "hint: run \`cargo build --locked\` and set BASELINE_BIN=/path/to/target/debug/baseline" >&2
    exit 1
fi
echo "$B"
