#!/usr/bin/env bash
# Spun copies from a dictionary the verifier only partly knows. The
# generated spinner (stemma-bench gen's) swaps 10%, 20% or 40% of an
# article's words for synonyms from the whole mythes thesaurus, while the
# verifier's thesaurus is thinned to KEEP% of its words (by CRC-32 of the
# word): a swap is then known to the verifier only when both of its words
# are kept (about KEEP% squared of the swaps). Prints, per spin rate and
# KEEP, how many copies are called derived and how many are typed spun.
#   SPIN_KEEPS="100 70 40 0"   the KEEP values to run
set -euo pipefail
cd "$(dirname "$0")/.."
keeps="${SPIN_KEEPS:-100 70 40 0}"
cargo build --release -q -p stemma-bench
echo "# spun copies against a partly known dictionary ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "command: bench/spin-robustness.sh (stemma-bench derive --sets gen --thesaurus-keep KEEP)"
echo "rows: the gen set's spun copies of BBC articles (spun10, spun20: 100 each; spun40: 200);"
echo "      the 200 other-article pairs (same topic, not derived) are the false-positive check"
echo
printf '%-6s %-8s %10s %10s %12s\n' "keep" "copies" "derived" "typed spun" "false derived"
for k in $keeps; do
  out="$(./target/release/stemma-bench derive --sets gen --no-out --thesaurus-keep "$k" 2>&1)"
  fp="$(printf '%s\n' "$out" | awk '/^  gen:other-article/ {print 200 - $7 - $8}')"
  for label in spun10 spun20 spun40; do
    printf '%s\n' "$out" | awk -v k="$k" -v l="gen:$label" -v fp="$fp" '
      $1 == l {
        total = 0; for (i = 2; i <= 8; i++) total += $i
        derived = total - $7 - $8
        printf "%-6s %-8s %6d/%-4d %6d/%-4d %8s/200\n", k "%", substr(l, 5), derived, total, $4, total, fp
      }'
  done
done
