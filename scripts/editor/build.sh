#!/bin/sh
# Rebuild kg/static/sparql-editor.min.js and its licence file from npm.
# Needs node and npm; the versions are pinned in package.json and package-lock.json.
# Run from anywhere: sh scripts/editor/build.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
static="$here/../../kg/static"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/entry.js" "$work/"
cd "$work"
npm ci --no-audit --no-fund --ignore-scripts >/dev/null
out="$work/bundle.js"
npx esbuild entry.js --bundle --minify --format=iife --global-name=ThbEditor \
  --legal-comments=none --target=es2019 --outfile="$out" --log-level=warning
versions=$(node -e '
  const lock = require("./package-lock.json").packages;
  const names = Object.keys(lock).filter(k => k.startsWith("node_modules/") && !/esbuild/.test(k));
  console.log(names.map(k => k.slice(13) + " " + lock[k].version).join(", "));')
{
  printf '/* thb-kg SPARQL editor: CodeMirror 6 with codemirror-lang-sparql, bundled with esbuild.\n'
  printf ' * MIT licence; see LICENSE-sparql-editor.txt. Packages: %s */\n' "$versions"
  cat "$out"
} > "$static/sparql-editor.min.js"
{
  printf 'kg/static/sparql-editor.min.js bundles these npm packages, all under the MIT licence:\n%s\n\n' "$versions"
  printf '=== CodeMirror (codemirror, @codemirror/*), also @lezer/*, crelt, style-mod, w3c-keyname, @marijn/find-cluster-break ===\n\n'
  cat node_modules/codemirror/LICENSE
  printf '\n=== codemirror-lang-sparql ===\n\n'
  cat node_modules/codemirror-lang-sparql/LICENSE
} > "$static/LICENSE-sparql-editor.txt"
wc -c "$static/sparql-editor.min.js"
