#!/usr/bin/env bash
# build.sh — the Debian package from this tree: a Release build without
# tests (-DMOT_PACKAGE=ON, deploy/debian/package.cmake) with Debian's
# hardening flags (dpkg-buildflags: fortify, stack protector, relro, now),
# then cpack. Prints the .deb's path on its last line.
#
#   bash deploy/debian/build.sh [BUILD_DIR]      (default build/package)
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${1:-$source_dir/build/package}

export DEB_BUILD_MAINT_OPTIONS=hardening=+all
CFLAGS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS)"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
export CFLAGS LDFLAGS
cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMOT_PACKAGE=ON >/dev/null
cmake --build "$build_dir" -j2 >/dev/null
(cd "$build_dir" && cpack -G DEB >/dev/null)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build_dir/CMakeCache.txt")
ls "$build_dir"/mot_"$version"-*_"$(dpkg --print-architecture)".deb
