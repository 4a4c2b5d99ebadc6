#!/usr/bin/env bash
# Regenerates src/generated from ../../proto with buf + ts-proto.
# With --check, generates into a temporary folder and fails when the committed code drifted.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
buf="$root/node_modules/.bin/buf"
cd "$here"

"$buf" lint "$root/proto"

if [[ "${1:-}" == "--check" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  "$buf" generate "$root/proto" --template buf.gen.yaml -o "$tmp"
  if ! diff -ru src/generated "$tmp/src/generated"; then
    echo "Generated contracts drifted from proto/: run 'npm run generate' and commit." >&2
    exit 1
  fi
  echo "contracts: generated code matches proto/"
else
  rm -rf src/generated
  "$buf" generate "$root/proto" --template buf.gen.yaml
fi
