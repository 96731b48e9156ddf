#!/usr/bin/env bash
# docs/maps.sh — draws the README's two map pictures (docs/mapa-mupoi.svg,
# docs/mapa-muro.svg) with the reporter's renderer (services/reporter/map_svg.c,
# through the test driver mot_map_render) from the small hand-made scenarios
# beside this script. Run it after changing the renderer:
#   bash docs/maps.sh [BUILD_DIR]     (default build/, built if needed)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
cmake -S "$top" -B "$build" >/dev/null
cmake --build "$build" --target mot_map_render -j"$(nproc)" >/dev/null
"$build/tests/mot_map_render" mupoi 2026-11 2026-10 <"$top/docs/mapa-mupoi.tsv" >"$top/docs/mapa-mupoi.svg"
"$build/tests/mot_map_render" muro now <"$top/docs/mapa-muro.tsv" >"$top/docs/mapa-muro.svg"
echo "docs/mapa-mupoi.svg docs/mapa-muro.svg"
