#!/usr/bin/env bash
# Renders HTML redlines of a hostile document in headless Chromium and checks that
# nothing from the document ran: no injected script, image or style, no script
# error, and the page's title is still its own.
#
# Usage: bash scripts/check-html-in-browser.sh [OUT_DIR]
#   BASELINE_BIN  the binary to use (default: build the debug binary with cargo)
#   CHROMIUM      the browser (default: chromium on the PATH)
# Exits 0 when every check holds; leaves screenshots in OUT_DIR for a person to look at.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="$(bash "$ROOT/scripts/baseline-bin.sh")"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$CHROMIUM" ]; then
    echo "error: no chromium found" >&2
    echo "hint: apt-get install chromium, or set CHROMIUM=/path/to/browser" >&2
    exit 2
fi

OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
REPO="$(mktemp -d)"
PROFILES="$(mktemp -d)"  # a fresh browser profile for each run, removed at the end
trap 'rm -rf "$REPO" "$PROFILES"' EXIT
cd "$REPO"
export GIT_AUTHOR_NAME="Browser check" GIT_AUTHOR_EMAIL="check@example.invalid"
"$B" init --programme "Browser check" >/dev/null
printf '# Safe title\n\nOrdinary text.\n' > doc.md
"$B" add DOC --title '<img src=x onerror="document.title=1">Hostile' doc.md >/dev/null
"$B" draft DOC --date 2023-06-01 >/dev/null
cat > artefacts/DOC/doc.md <<'DOC'
# Safe title </title><script>document.title='PWNED-1'</script>

Ordinary text.<script>document.title='PWNED-2'</script>
"><img src=x onerror="document.title='PWNED-3'"> </style><script>document.title='PWNED-4'</script>
<iframe src="javascript:parent.document.title='PWNED-5'"></iframe> & &amp; &lt;
DOC
"$B" draft DOC --date 2023-06-02 >/dev/null

failures=0
check() {
    local name="$1" html="$2"
    local dom="$OUT/$name.dom.html" log="$OUT/$name.console.txt"
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d "$PROFILES/XXXXXX")" --enable-logging=stderr --v=0 \
        --dump-dom "file://$html" >"$dom" 2>"$log" || true
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d "$PROFILES/XXXXXX")" --window-size=1200,1400 \
        --screenshot="$OUT/$name.png" "file://$html" >/dev/null 2>&1 || true
    local title
    title="$(grep -o '<title>[^<]*</title>' "$dom" | head -n 1)"
    if [ "$title" != "<title>Redline of DOC: DOC@0.1 → DOC@0.2</title>" ]; then
        echo "FAIL $name: the title became: ${title:-nothing (did the page load?)}"; failures=$((failures + 1))
    fi
    if [ "$(grep -o '<script' "$dom" | wc -l)" != 1 ]; then
        echo "FAIL $name: a script element came from the document"; failures=$((failures + 1))
    fi
    if grep -q -e '<img' -e '<iframe' "$dom"; then
        echo "FAIL $name: an element came from the document"; failures=$((failures + 1))
    fi
    if grep -q 'Uncaught' "$log"; then
        echo "FAIL $name: a script error: $(grep 'Uncaught' "$log" | head -n 1)"; failures=$((failures + 1))
    fi
    if ! grep -q 'PWNED-4' "$dom"; then
        echo "FAIL $name: the document text is missing (it must be shown as text)"; failures=$((failures + 1))
    fi
    echo "checked $name: title, elements, script errors ($OUT/$name.png)"
}
"$B" redline DOC 0.1 0.2 --format html -o "$OUT/inline.html" >/dev/null
"$B" redline DOC 0.1 0.2 --format html --side-by-side -o "$OUT/side-by-side.html" >/dev/null
check inline "$OUT/inline.html"
check side-by-side "$OUT/side-by-side.html"
if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all browser checks passed"
