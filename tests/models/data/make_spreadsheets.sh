#!/bin/sh
# Make the workbook fixtures of the import tests from grand-livre.csv, with LibreOffice headless:
# the same ledger saved as .ods, .xls and .xlsx (run once; the outputs are committed, the tests
# do not need LibreOffice). Needs `soffice` (Debian: apt-get install libreoffice-calc-nogui).
#
# The CSV filter options: ";" separator (59), '"' quotes (34), UTF-8 (76), from line 1, default
# column types, French locale (1036) so that 7855,72 is a number and 15/09/2025 a date, as a
# user typing them into LibreOffice gets.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
filter='CSV:59,34,76,1,,1036'
for target in "ods:calc8" "xls:MS Excel 97" "xlsx:Calc MS Excel 2007 XML"; do
    ext=${target%%:*}
    soffice --headless -env:UserInstallation="file://$work/profile" \
        --infilter="$filter" --convert-to "$target" --outdir "$work" "$here/grand-livre.csv" \
        >/dev/null
    mv "$work/grand-livre.$ext" "$here/grand-livre.$ext"
    echo "grand-livre.$ext"
done
