#!/usr/bin/env bash
# Build the national Kreis-level scenario from the official files in four imports.
#   bash examples/build_national.sh [OUT_DIR] [DATA_DIR]
# DATA_DIR holds the files as published (see each SOURCE.txt): destatis-gvisys/,
# ba-pendler-2023/ (its .csv files, or .csv.gz), bkg-vg1000-2022/ (VG1000_KRS.shp with its
# .shx/.dbf/.prj, or the five in VG1000_KRS.zip). Default: tests/data/official of this repository.
set -euo pipefail
out=${1:-deutschland}
data=${2:-$(dirname "$0")/../tests/data/official}
netkoop=${NETKOOP:-netkoop}

# 1. Units: 16 Länder and 400 Kreise from the Destatis Gemeindeverzeichnis.
$netkoop import gv-isys "$data/destatis-gvisys/31122023_Auszug_GV.xlsx" --level kreis -o "$out"
# 2. Flows: BA commuters between Kreise; a folder is read with all its exports, and pairs in
#    both Aus- and Einpendler files count once.
$netkoop import pendler "$data/ba-pendler-2023" -o "$out"
# 3. Borders: which Kreise are neighbours, from the BKG VG1000 polygons (needs netkoop[geo]).
shapes="$data/bkg-vg1000-2022/VG1000_KRS.shp"
[ -e "$shapes" ] || shapes="$data/bkg-vg1000-2022/VG1000_KRS.zip"
$netkoop import adjacency "$shapes" -o "$out"
# 4. Outlines for maps: the same polygons, simplified so that neighbours keep their edges.
$netkoop import geometry "$shapes" -o "$out"

$netkoop info "$out"
