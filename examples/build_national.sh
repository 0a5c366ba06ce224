#!/usr/bin/env bash
# Build the national Kreis-level scenario from the official files in three imports.
#   bash examples/build_national.sh [OUT_DIR] [DATA_DIR]
# DATA_DIR holds the files as published (see each SOURCE.txt): destatis-gvisys/,
# ba-pendler-2023/, bkg-vg1000-2022/. Default: $NETKOOP_SHARED_DATA or ../shared/data.
set -euo pipefail
out=${1:-deutschland}
data=${2:-${NETKOOP_SHARED_DATA:-../shared/data}}
netkoop=${NETKOOP:-netkoop}

# 1. Units: 16 Länder and 400 Kreise from the Destatis Gemeindeverzeichnis.
$netkoop import gv-isys "$data/destatis-gvisys/31122023_Auszug_GV.xlsx" --level kreis -o "$out"
# 2. Flows: BA commuters between Kreise (pairs in both Aus- and Einpendler files count once).
$netkoop import pendler "$data"/ba-pendler-2023/Auspendler/*.csv "$data"/ba-pendler-2023/Einpendler/*.csv -o "$out"
# 3. Borders: which Kreise are neighbours, from the BKG VG1000 polygons (needs netkoop[geo]).
$netkoop import adjacency "$data/bkg-vg1000-2022/VG1000_KRS.shp" -o "$out"

$netkoop info "$out"
