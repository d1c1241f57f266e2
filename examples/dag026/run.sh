#!/usr/bin/env bash
# Re-enacts the MHHS Design Advisory Group meeting DAG026 (12 July 2023) with
# `baseline`: six design artefacts (Markdown, CSV, a Word document and an Excel
# workbook), the change requests discussed, decisions DAG-DEC55 to DAG-DEC60,
# the baselines they allowed, the redlines (a red-lined Word copy among them)
# and the audit trail; then an illustrative second meeting, DAG027, approving
# Interim Release IR3, its publication pack and the auditor's check of it.
#
# Source: the real DAG026 headline report (issued 14/07/2023); see README.md.
# The documents in docs/ are illustrative samples, not the programme's
# published text.
#
# Usage: bash examples/dag026/run.sh [DIR]
#   Creates the design repository in DIR/dag026 (DIR defaults to a new
#   temporary directory) and prints each step as it runs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DOCS="$HERE/docs"

# BASELINE_BIN runs an already-built binary instead (the tests use it);
# otherwise cargo builds it, showing its progress.
B="$(bash "$ROOT/scripts/baseline-bin.sh")"
[ -n "${BASELINE_BIN:-}" ] || echo "Using $B"

BASE="${1:-$(mktemp -d)}"
REPO="$BASE/dag026"
if [ -e "$REPO" ] && [ -n "$(ls -A "$REPO")" ]; then
    echo "error: $REPO already exists and is not empty" >&2
    echo "hint: pass another directory, or remove $REPO first" >&2
    exit 2
fi
mkdir -p "$REPO"
cd "$REPO"
echo "Design repository: $REPO"

step() { printf '\n# %s\n' "$*"; }

# ---------------------------------------------------------------------------
step "Create the design repository for the MHHS programme"
# A fixed local git identity makes recorded_by the same on every machine;
# `baseline init` adopts the existing (empty) git repository.
git init --quiet
git config user.name "MHHS Design Team (example)"
git config user.email "design@example.invalid"
# git's identity variables would override the configuration (CI sets them).
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
"$B" init --programme "MHHS"

# ---------------------------------------------------------------------------
step "Register the six design artefacts (working content only, no version yet)"
# The Interface Code of Connections is a Word document and the DES138 Interface
# Catalogue an Excel workbook, as the programme's are (docs/make-office-files.sh
# made them with LibreOffice); the others are Markdown and CSV.
"$B" add DIP-ICC --title "Interface Code of Connections" \
    --owner "Programme (DIP)" "$DOCS/interface-code-of-connections.docx"
"$B" add DIP-PKI-CP --title "DIP PKI Certificate Profiles" \
    --owner "Programme (DIP)" "$DOCS/dip-pki-certificate-profiles.md"
"$B" add DIP-PKI-POL --title "DIP PKI Policy" \
    --owner "Programme (DIP)" "$DOCS/dip-pki-policy.md"
"$B" add DES196 --title "D-Flow and Interface Mapping" --kind table --key D-Flow \
    --owner "Programme (Design)" "$DOCS/before-dag026/des196.csv"
"$B" add OC --title "Operational Choreography Design Artefact" \
    --owner "Programme (Design)" "$DOCS/before-dag026/operational-choreography.md"
# Its Interfaces sheet has a row per interface, keyed by its Interface ID.
"$B" add DES138 --title "Interface Catalogue" --key "Interfaces=Interface ID" \
    --owner "Programme (Design)" "$DOCS/before-dag026/des138-interface-catalogue.xlsx"

# ---------------------------------------------------------------------------
step "Record the drafts that went out before the meeting"
"$B" draft OC --date 2023-05-10 \
    -m "Operational Choreography as it stood before the CR018 redline"
"$B" draft DIP-ICC --date 2023-06-07 -m "Post-consultation draft for DAG approval"
"$B" draft DIP-PKI-CP --date 2023-06-07 -m "Post-consultation draft for DAG approval"
"$B" draft DIP-PKI-POL --date 2023-06-07 -m "Post-consultation draft for DAG approval"
"$B" draft DES196 --date 2023-06-21 \
    -m "Updated after consultation with DAG members; D0012, D0275, D0300 and D0379 under review"
# The real DES138 had been baselined long before DAG026; this repository starts
# with the catalogue as it stood when CR025 came to the meeting.
"$B" draft DES138 --date 2023-06-21 \
    -m "Interface Catalogue as it stood when CR025 came to DAG026"

# ---------------------------------------------------------------------------
step "Raise the change requests discussed at DAG026"
# The headline report gives no titles for CR017, CR018 or CR024 and no raise
# dates for any CR: the titles below paraphrase what the report says about them
# and the dates are invented (all before the meeting). The report says CR018
# "has been in progress for some time".
"$B" change add CR017 --kind cr --date 2023-01-11 --affects OC \
    --title "Registration service response timeframes (alternative to CR018)"
"$B" change add CR018 --kind cr --date 2023-01-25 --affects OC --excludes CR017 \
    --title "Registration service response timeframes: DNO and iDNO responses in near real time"
# CR024 was raised by RECCo; the report does not say what it changes. It has to
# affect at least one registered artefact: DES196 is the least bad choice, as
# CR024 was handled together with CR025 (interface naming, also RECCo's) and
# DES196 is the interface mapping. Replace this if the real scope is known.
"$B" change add CR024 --kind cr --date 2023-05-03 --affects DES196 \
    --title "RECCo change request CR024 (scope not stated in the DAG026 headline report)"
# CR025 renames DIP interfaces and, as agreed at the meeting, adds a column to
# the Interface Catalogue for the terms used in code drafting.
"$B" change add CR025 --kind cr --date 2023-05-03 --affects DIP-ICC --affects DES138 \
    --title "DIP Interface Name Changes"
"$B" change add CR027 --kind cr --date 2023-06-28 --affects DIP-ICC \
    --title "New DIP flow for e-billing of site specific DUoS charging (raised by UKPN)"

step "Earlier impact assessments (no decision recorded for these steps)"
"$B" change set CR017 impact-assessment --date 2023-02-08
"$B" change set CR018 impact-assessment --date 2023-02-08
"$B" change set CR024 impact-assessment --date 2023-05-17
"$B" change set CR025 impact-assessment --date 2023-05-17

# ---------------------------------------------------------------------------
step "DAG026, 12 July 2023: what importing the headline report would record"
# The report's text as pdftotext gives it (DAG026-headline-report.txt, beside
# this script). A dry run shows the meeting, decisions, actions and change steps
# without recording anything; the warnings name what the parser could not place.
"$B" import report "$HERE/DAG026-headline-report.txt" --dry-run

step "Import it: one commit holds the meeting, DAG-DEC55 to DAG-DEC60, eight actions and the change steps"
# A decision is linked to the registered artefacts it names by id (DAG-DEC57
# names DES196). DAG-DEC56 names the three DIP documents by title only: the
# import suggests the correction that links them, and applies nothing itself.
# DAG-DEC58 moves CR027 to impact assessment and DAG-DEC59 approves CR025.
# DAG-DEC60 was settled after the meeting ("POST MEETING UPDATE"): the report
# does not date the Chair's determination, so the decision takes the report's
# issue date, 14/07/2023, the latest it can have. It approves CR018, which
# rejects CR017 with the same decision.
"$B" import report "$HERE/DAG026-headline-report.txt"

step "Importing the same report again records nothing"
"$B" import report "$HERE/DAG026-headline-report.txt"

step "Apply the suggested link: DAG-DEC56 approves the three DIP documents"
"$B" decision correct DAG-DEC56 --artefact DIP-ICC --artefact DIP-PKI-CP --artefact DIP-PKI-POL \
    --reason "the DAG026 headline report names them by title" --date 2023-07-14

step "The meeting, as imported"
"$B" meeting show DAG026

# ---------------------------------------------------------------------------
step "DES196: record the version reflecting the changes agreed at the meeting"
"$B" draft DES196 "$DOCS/agreed-at-dag026/des196.csv" --date 2023-07-12 \
    -m "Changes agreed at DAG026: D0012 removed; D0300, D0379 and D0275 retained; commentary added to D0379; scenario variants added to D0275; retention clarified as for go-live of the MHHS TOM, not MHHS testing"

step "Baseline the DIP design documents as version one (DAG-DEC56)"
"$B" approve DIP-ICC --decision DAG-DEC56 --date 2023-07-12
"$B" approve DIP-PKI-CP --decision DAG-DEC56 --date 2023-07-12
"$B" approve DIP-PKI-POL --decision DAG-DEC56 --date 2023-07-12

step "Baseline DES196 as version one (DAG-DEC57)"
"$B" approve DES196 --decision DAG-DEC57 --date 2023-07-12

# ---------------------------------------------------------------------------
# CR024 stays in impact assessment: RECCo will issue v2.0 for a further
# five-working-day IA (actions DAG26-03 and DAG26-04).

step "The Programme redlines the OC to implement CR018 and issues it for review"
"$B" draft OC "$DOCS/agreed-at-dag026/operational-choreography.md" --change CR018 --date 2023-07-20 \
    -m "Redlined OC implementing CR018, issued to DAG for review"

step "The Programme implements CR025 (approved, DAG-DEC59) in the Word and Excel artefacts"
# CR025 is to be scheduled for an upcoming Interim Release, so these stay drafts
# until a decision baselines them: DIP-ICC 1.1 after its baseline 1.0, and
# DES138 0.2 (no DAG026 decision baselines DES138).
"$B" draft DIP-ICC "$DOCS/cr025/interface-code-of-connections.docx" --change CR025 --date 2023-07-26 \
    -m "CR025: interfaces named as in the DES138 Interface Catalogue"
"$B" draft DES138 "$DOCS/cr025/des138-interface-catalogue.xlsx" --change CR025 --date 2023-07-26 \
    -m "CR025: Code Drafting Term column added; IF-001 and IF-021 renamed"

step "A decision cannot baseline an artefact it does not cover (DAG-DEC57 names only DES196)"
if ! "$B" approve OC --decision DAG-DEC57 --date 2023-07-20; then
    echo "(refused as expected)"
fi

# ---------------------------------------------------------------------------
step "The register"
"$B" list

step "History of DES196"
"$B" log DES196

step "Trace DES196 version 1.0 back to its decision"
"$B" trace DES196@1.0

step "Trace DAG-DEC60 to the changes it decided"
"$B" trace DAG-DEC60

step "Trace the meeting to everything its decisions baselined and moved on"
"$B" trace DAG026

step "RECCo amends CR024 (action DAG26-03 done)"
"$B" action close DAG26-03 --date 2023-07-19 \
    --note "RECCo provided CR024 v2.0 to the Programme"

step "Actions overdue on the day of the next meeting, 9 August 2023 (ASAP has no date to pass)"
"$B" action list --overdue --as-of 2023-08-09

step "CR017 was rejected by the decision that approved CR018"
"$B" change show CR017

step "All change requests"
"$B" change list

step "Status of the working copies"
"$B" status

step "Redline of DES196: the draft that went to DAG026 against the baseline it approved"
"$B" redline DES196 0.1 1.0
"$B" redline DES196 0.1 1.0 --format html -o "$BASE/DES196-redline.html"

step "Redline of the OC: what the CR018 draft changes"
"$B" redline OC 0.1 0.2

step "Redline of the Interface Code of Connections (Word): baseline 1.0 against the CR025 draft"
"$B" redline DIP-ICC 1.0 1.1
# The red-lined Word copy the programme circulates: 1.1 with every change as a
# tracked change (accept all gives 1.1, reject all 1.0) after a header page.
"$B" redline DIP-ICC 1.0 1.1 -o "$BASE/DIP-ICC v1.1 redline.docx"

step "Redline of the DES138 Interface Catalogue (Excel): sheet by sheet, cell by cell"
"$B" redline DES138 0.1 0.2
"$B" redline DES138 0.1 0.2 --format html -o "$BASE/DES138-redline.html"
# The red-lined workbook: 0.2's cells, changed ones filled with the old value in
# a note, added rows and columns green, a Redline sheet first, a Removed sheet last.
"$B" redline DES138 0.1 0.2 -o "$BASE/DES138 v0.2 redline.xlsx"

# ---------------------------------------------------------------------------
step "The Programme publishes what DAG026 baselined as Interim Release IR2"
# The release numbering is illustrative: IR2 holds the four artefacts DAG-DEC56
# and DAG-DEC57 baselined.
"$B" release create IR2 --decision DAG-DEC56 --decision DAG-DEC57 --date 2023-07-14 \
    --title "Interim Release 2: DIP design documents and DES196" --all-baselined

# ---------------------------------------------------------------------------
step "DAG027, 9 August 2023 (an illustrative report in the same layout): import it"
# DAG027-headline-report-illustrative.txt was written for this example; it is
# not a report of the DAG. DAG-DEC62 baselines DES138 and the Interface Code of
# Connections with CR025's changes; DAG-DEC63 approves Interim Release IR3.
"$B" import report "$HERE/DAG027-headline-report-illustrative.txt"
# DAG-DEC62 names DES138 by id and the Interface Code of Connections by title:
# the suggested correction links both.
"$B" decision correct DAG-DEC62 --artefact DES138 --artefact DIP-ICC \
    --reason "the DAG027 headline report names them by title" --date 2023-08-11

step "Baseline the CR025 versions (DAG-DEC62); DIP-ICC is under change control, so it cites CR025"
"$B" approve DIP-ICC --decision DAG-DEC62 --change CR025 --date 2023-08-09 \
    -m "CR025 DIP Interface Name Changes"
# The programme numbers the catalogue 5.6.1, as it had been baselined long
# before this repository began.
"$B" approve DES138 --decision DAG-DEC62 --change CR025 --version 5.6.1 --date 2023-08-09

step "Record Interim Release IR3 (DAG-DEC63), implementing CR025"
"$B" release create IR3 --decision DAG-DEC63 --date 2023-08-09 \
    --title "Interim Release 3: DIP interface names" --all-baselined --change CR025
"$B" redline --release IR2 IR3 --format html -o "$BASE/IR3 against IR2.html"
"$B" trace IR3

step "Publish IR3: the pack the programme sends out"
"$B" publish IR3 "$BASE/IR3 pack"

step "What an auditor runs on the pack received: offline, then inside the repository"
(cd "$BASE" && "$B" verify --pack "IR3 pack")
"$B" verify --pack "$BASE/IR3 pack"

step "The audit: every version, tag, rule and record checked from history"
"$B" verify

printf '\nDone. The design repository is in %s; the redlines are in %s:\n' "$REPO" "$BASE"
printf '  %s\n' "DES196-redline.html" "DIP-ICC v1.1 redline.docx" "DES138-redline.html" \
    "DES138 v0.2 redline.xlsx" "IR3 against IR2.html" "IR3 pack/ (open index.html)"
