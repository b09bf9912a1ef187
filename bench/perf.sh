#!/usr/bin/env bash
# Performance benchmark: stemma against datasketch MinHashLSH and rensa on the
# same generated corpus, in one invocation. Prints documents/second, peak RSS
# and derived-pair precision/recall for each tool and size, and Stemma's
# ratios to each baseline. Usage: bench/perf.sh [SIZES...]  (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000}")
work=bench/.work
mkdir -p "$work"
py=$work/venv/bin/python
if [ ! -x "$py" ]; then
  python3 -m venv "$work/venv"
  "$py" -m pip install -q datasketch==2.0.0 rensa==0.5.0
fi
cargo build -q --release -p stemma-cli -p stemma-bench
timed() { # timed OUT_PREFIX CMD... -> prints "seconds peak_kib"
  local out=$1; shift
  /usr/bin/time -f "%e %M" -o "$out.time" "$@" > "$out.stdout" 2> "$out.stderr"
  cat "$out.time" | tail -1
}
echo "# stemma performance benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB"
printf "%-10s %-10s %10s %12s %10s %8s %8s %8s\n" size tool seconds docs_per_s peak_MiB prec recall f1
for n in "${sizes[@]}"; do
  c=$work/c$n
  [ -f "$c/docs.jsonl" ] || ./target/release/stemma-bench gen --n "$n" --out "$c" 2>/dev/null
  declare -A secs rss
  read -r s m < <(timed "$c/stemma" ./target/release/stemma analyze "$c/docs.jsonl" --format json --quiet --timings)
  cp "$c/stemma.stdout" "$c/stemma.json"
  secs[stemma]=$s; rss[stemma]=$m
  score=$("$py" bench/score_pairs.py "$c/truth.tsv" "$c/stemma.json")
  printf "%-10s %-10s %10s %12.0f %10.0f %s\n" "$n" stemma "$s" "$(echo "$n / $s" | bc -l)" "$(echo "$m / 1024" | bc -l)" "$(echo "$score" | "$py" -c 'import json,sys;d=json.load(sys.stdin);print("%8.3f %8.3f %8.3f"%(d["precision"],d["recall"],d["f1"]))')"
  for tool in datasketch rensa; do
    read -r s m < <(timed "$c/$tool" "$py" bench/baselines.py "$tool" "$c/docs.jsonl" "$c/$tool.tsv")
    secs[$tool]=$s; rss[$tool]=$m
    score=$("$py" bench/score_pairs.py "$c/truth.tsv" "$c/$tool.tsv")
    printf "%-10s %-10s %10s %12.0f %10.0f %s\n" "$n" "$tool" "$s" "$(echo "$n / $s" | bc -l)" "$(echo "$m / 1024" | bc -l)" "$(echo "$score" | "$py" -c 'import json,sys;d=json.load(sys.stdin);print("%8.3f %8.3f %8.3f"%(d["precision"],d["recall"],d["f1"]))')"
  done
  echo "  stemma speed ratio: vs datasketch $(echo "${secs[datasketch]} / ${secs[stemma]}" | bc -l | cut -c1-5)x, vs rensa $(echo "${secs[rensa]} / ${secs[stemma]}" | bc -l | cut -c1-5)x (end to end, stemma includes extraction, verification and stories)"
  echo "  stemma stages: $(grep -h '^timing' "$c/stemma.stderr" | tr '\n' ' ')"
done
