#!/bin/sh
# vendor-static.sh - copy pinned front-end libraries from npm into static files.
#
# Nothing is loaded from a CDN at run time: every third-party asset the pages
# use is committed under src/constellation/core/static/vendor/ and served by
# Django's staticfiles (hashed by ManifestStaticFilesStorage). Each library's
# licence file is copied next to it.
#
#   htmx.org               -> vendor/htmx/
#   leaflet                -> vendor/leaflet/ (+ images/ marker icons)
#   leaflet.markercluster  -> vendor/markercluster/
#   topojson-client        -> vendor/topojson/
#   world-atlas            -> vendor/world-atlas/ (countries 110m + 50m TopoJSON)
#   axe-core               -> tests/browser/vendor/axe.min.js (browser tests only,
#                             never served)
#
# Versions are exact-pinned in package.json and locked in package-lock.json;
# node_modules/ is not committed.
#
# Usage (from the repository root):
#   sh scripts/vendor-static.sh        (or: npm run vendor)
#
# Upgrading a library:
#   1. edit its exact version in package.json (keep htmx.org on 2.0.x);
#   2. run `npm install` to update package-lock.json;
#   3. run `sh scripts/vendor-static.sh`;
#   4. review `git diff --stat` and commit package.json, package-lock.json and
#      the copied files together.
set -eu

cd "$(dirname "$0")/.."
[ -f package.json ] || { echo "vendor-static.sh: run from the repository root" >&2; exit 1; }

npm ci --no-audit --no-fund

NM=node_modules
DEST=src/constellation/core/static/vendor
TEST_DEST=tests/browser/vendor

# copy DIR SRC... : copy files into DIR, creating it; fail if a source is missing.
copy() {
    dir=$1
    shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] || { echo "vendor-static.sh: missing $f" >&2; exit 1; }
        cp "$f" "$dir/"
    done
}

# Start from clean directories so removed upstream files do not linger.
rm -rf "$DEST/htmx" "$DEST/leaflet" "$DEST/markercluster" "$DEST/topojson" "$DEST/world-atlas"

copy "$DEST/htmx" \
    "$NM/htmx.org/dist/htmx.min.js" \
    "$NM/htmx.org/LICENSE"

copy "$DEST/leaflet" \
    "$NM/leaflet/dist/leaflet.js" \
    "$NM/leaflet/dist/leaflet.css" \
    "$NM/leaflet/LICENSE"
copy "$DEST/leaflet/images" "$NM"/leaflet/dist/images/*

# leaflet.markercluster ships its licence as MIT-LICENCE.txt; keep the name
# LICENSE for consistency with the other packages.
copy "$DEST/markercluster" \
    "$NM/leaflet.markercluster/dist/leaflet.markercluster.js" \
    "$NM/leaflet.markercluster/dist/MarkerCluster.css" \
    "$NM/leaflet.markercluster/dist/MarkerCluster.Default.css"
cp "$NM/leaflet.markercluster/MIT-LICENCE.txt" "$DEST/markercluster/LICENSE"

copy "$DEST/topojson" \
    "$NM/topojson-client/dist/topojson-client.min.js" \
    "$NM/topojson-client/LICENSE"

copy "$DEST/world-atlas" \
    "$NM/world-atlas/countries-110m.json" \
    "$NM/world-atlas/countries-50m.json" \
    "$NM/world-atlas/LICENSE"

copy "$TEST_DEST" \
    "$NM/axe-core/axe.min.js" \
    "$NM/axe-core/LICENSE"

# The minified Leaflet and markercluster builds end with a sourceMappingURL
# comment pointing at a .map file we do not ship; Django's
# ManifestStaticFilesStorage would fail collectstatic on the missing file, so
# drop that line.
for f in "$DEST/leaflet/leaflet.js" "$DEST/markercluster/leaflet.markercluster.js"; do
    sed '/^\/\/# sourceMappingURL=/d' "$f" > "$f.tmp"
    mv "$f.tmp" "$f"
done

echo "Vendored into $DEST and $TEST_DEST:"
node -e '
for (const p of ["htmx.org", "leaflet", "leaflet.markercluster", "topojson-client", "world-atlas", "axe-core"]) {
  console.log("  " + p + "@" + require("./node_modules/" + p + "/package.json").version);
}
'
