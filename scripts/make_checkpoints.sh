#!/usr/bin/env bash
# Trains the page's starting points ("Start from a trained model") with the native trainer and
# writes them to web/checkpoints: <preset>.safetensors (16-bit weights, GenLab's metadata and
# CRC-32) and index.json (file, bytes, the command, the final metrics). The commands are recorded
# here and in index.json; same seed, same weights.
#   scripts/make_checkpoints.sh [PRESET ...]     (default: every preset listed below)
# Needs build/native (cmake --preset native && cmake --build --preset native).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRAIN="$ROOT/build/native/examples/genlab-train"
OUT="$ROOT/web/checkpoints"
mkdir -p "$OUT"

# The budget of each checkpoint: the one its quality bar is stated for (bench/quality).
budget() {
  case $1 in
    ring8-gan|seed-gan) echo "--steps 20000" ;;
    grid25-gan) echo "--steps 60000" ;;
    ring8-vae) echo "--steps 10000" ;;
    seed-vae) echo "--epochs 100" ;;
    *) echo "unknown" ;;
  esac
}

PRESETS=("$@")
[[ ${#PRESETS[@]} -gt 0 ]] || PRESETS=(ring8-gan grid25-gan ring8-vae seed-vae seed-gan)
for p in "${PRESETS[@]}"; do
  b="$(budget "$p")"
  [[ $b != unknown ]] || { echo "make_checkpoints: no budget for $p" >&2; exit 2; }
  # shellcheck disable=SC2086
  line="$("$TRAIN" --preset "$p" --seed 1 $b --checkpoint "$OUT/$p.safetensors" 2>/dev/null | tail -1)"
  echo "$line"
  printf '%s\t%s\t%s\n' "$p" "genlab-train --preset $p --seed 1 $b --checkpoint $p.safetensors" "$line" >> "$OUT/.lines"
done
node - "$OUT" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const dir = process.argv[2];
const file = path.join(dir, 'index.json');
const index = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
for (const row of fs.readFileSync(path.join(dir, '.lines'), 'utf8').trim().split('\n')) {
  const [preset, command, line] = row.split('\t');
  const m = JSON.parse(line);
  const keep = ['step', 'modes', 'modes_total', 'hq', 'test_neg_elbo', 'classifier_score', 'classifier2_score'];
  index[preset] = {
    file: `${preset}.safetensors`,
    bytes: fs.statSync(path.join(dir, `${preset}.safetensors`)).size,
    command,
    metrics: Object.fromEntries(keep.filter((k) => k in m).map((k) => [k, m[k]])),
  };
}
fs.writeFileSync(file, `${JSON.stringify(index, null, 1)}\n`);
fs.unlinkSync(path.join(dir, '.lines'));
console.log(`wrote ${file}: ${Object.keys(index).join(', ')}`);
JS
