#!/usr/bin/env bash
# Put MathJax 3 (from the npm registry) into nbs/_assets/mathjax/ (git-ignored), so the book renders its math
# without internet; nbs/_ext/book_fixes.py points Sphinx at it when it is there. Needs node and npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dest=nbs/_assets/mathjax
[ -f "$dest/tex-mml-chtml.js" ] && { echo "MathJax already in $dest"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
npm install --silent --no-audit --no-fund --prefix "$tmp" mathjax@3
mkdir -p nbs/_assets
rm -rf "$dest.tmp" && cp -r "$tmp/node_modules/mathjax/es5" "$dest.tmp" && mv "$dest.tmp" "$dest"
echo "MathJax $(node -p "require('$tmp/node_modules/mathjax/package.json').version") in $dest"
