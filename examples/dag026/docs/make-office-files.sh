#!/usr/bin/env bash
# Makes the example's Word and Excel files with LibreOffice, as a design team's
# documents are made, from the sources beside them:
#   interface-code-of-connections.html        -> .docx  (DIP-ICC as baselined at DAG026)
#   cr025/interface-code-of-connections.html  -> .docx  (DIP-ICC with CR025's changes)
#   before-dag026/des138-interface-catalogue/ -> .xlsx  (DES138 as it went to DAG026)
#   cr025/des138-interface-catalogue/         -> .xlsx  (DES138 with CR025's changes)
# A workbook's folder holds one tab-separated file per sheet (about.tsv,
# interfaces.tsv, version-history.tsv); every cell is text.
#
# run.sh uses the committed .docx and .xlsx files and does not need LibreOffice:
# run this only to change them. LibreOffice stamps each file with the time it
# was made, so every run gives new bytes even where the content is the same.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

SOFFICE="${SOFFICE:-soffice}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# LibreOffice with a profile of its own, so that it neither disturbs nor waits
# for a LibreOffice already running.
office() {
    "$SOFFICE" "-env:UserInstallation=file://$WORK/profile" --headless "$@" >/dev/null
}

# workbook DIR: writes DIR.xlsx with the sheets About, Interfaces and
# Version History from DIR's .tsv files, through a flat OpenDocument file.
workbook() {
    local dir="$1" name
    name="$(basename "$dir")"
    {
        cat <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet>
XML
        for sheet in "About:about" "Interfaces:interfaces" "Version History:version-history"; do
            printf '<table:table table:name="%s">\n' "${sheet%%:*}"
            awk -F'\t' '{
                printf "<table:table-row>"
                for (i = 1; i <= NF; i++) {
                    cell = $i
                    gsub(/&/, "\\&amp;", cell); gsub(/</, "\\&lt;", cell); gsub(/>/, "\\&gt;", cell)
                    printf "<table:table-cell office:value-type=\"string\"><text:p>%s</text:p></table:table-cell>", cell
                }
                print "</table:table-row>"
            }' "$dir/${sheet#*:}.tsv"
            printf '</table:table>\n'
        done
        printf '</office:spreadsheet></office:body></office:document>\n'
    } >"$WORK/$name.fods"
    office --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$WORK" "$WORK/$name.fods"
    mv "$WORK/$name.xlsx" "$dir.xlsx"
}

for html in interface-code-of-connections.html cr025/interface-code-of-connections.html; do
    office --convert-to 'docx:MS Word 2007 XML' --outdir "$(dirname "$html")" "$html"
done
workbook before-dag026/des138-interface-catalogue
workbook cr025/des138-interface-catalogue
