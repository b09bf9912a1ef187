"""Scores found derivation pairs against a generated corpus's truth.

Usage: score_pairs.py TRUTH.tsv FOUND.tsv  (FOUND: two ids a line; a stemma
report JSON is accepted too). Pairs are unordered. Prints JSON with
precision, recall, F1 and recall per true kind.

score_pairs.py --table DIR N: the table bench/perf.sh prints for one corpus
folder (DIR/runs.jsonl and the outputs of each run beside it).
"""
import json
import os
import sys


def load_found(path):
    with open(path, encoding="utf-8") as f:
        is_report = f.read(1) == "{"
    if is_report:
        r = json.load(open(path, encoding="utf-8"))
        pairs = set()
        for rel in r["relations"]:
            if rel["source"].startswith("unseen:"):
                continue
            pairs.add(frozenset((rel["source"], rel["derivative"])))
        return pairs
    with open(path, encoding="utf-8") as f:
        return {frozenset(l.rstrip("\n").split("\t")[:2]) for l in f if l.strip()}


def load_truth(path):
    truth = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            s, d, k = line.rstrip("\n").split("\t")
            truth[frozenset((s, d))] = k
    return truth


def score(truth, found):
    tp = sum(1 for p in found if p in truth)
    prec = tp / len(found) if found else 0.0
    rec = tp / len(truth) if truth else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    by_kind = {}
    for p, k in truth.items():
        hit, n = by_kind.get(k, (0, 0))
        by_kind[k] = (hit + (p in found), n + 1)
    return {
        "precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
        "found": len(found), "true": len(truth),
        "recall_by_kind": {k: round(h / n, 4) for k, (h, n) in sorted(by_kind.items())},
    }


def timings(path):
    """`timing STAGE SECONDS` lines of a stderr file, as a dict."""
    out = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                p = line.split()
                if len(p) >= 3 and p[0] == "timing":
                    out[p[1]] = float(p[2])
    except OSError:
        pass
    return out


def json_of(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return {}


def table(d, n):
    n = int(n)
    truth = load_truth(os.path.join(d, "truth.tsv"))
    runs = [json.loads(l) for l in open(os.path.join(d, "runs.jsonl"), encoding="utf-8")]
    rows = {}
    print(f"{'run':<16}{'wall_s':>9}{'cpu_s':>9}{'docs/s':>10}{'docs/cpu_s':>11}{'peak_MiB':>10}{'stage_s':>9}"
          f"{'prec':>7}{'recall':>8}{'f1':>7}  recall by kind")
    for r in runs:
        name, wall = r["run"], max(r["wall"], 0.001)
        cpu = max(r.get("cpu", wall), 0.001)
        row = {"wall": wall, "cpu": cpu, "dps": n / wall, "dpc": n / cpu, "mib": r["peak_kib"] / 1024,
               "stage": None, "stage_cpu": None}
        if r["rc"] != 0:
            print(f"{name:<16}{wall:>9.1f}  failed (exit {r['rc']})")
            continue
        sc = None
        if name.startswith("analyze"):
            sc = score(truth, load_found(os.path.join(d, name + ".stdout")))
        elif name == "ingest":
            rep = os.path.join(d, "ingest-report.json")
            if os.path.exists(rep):
                sc = score(truth, load_found(rep))
        elif name == "profile":
            p = json_of(os.path.join(d, "profile.stdout"))
            row["profile"] = p
            row["stage"] = p.get("seconds", {}).get("candidates")
            row["stage_cpu"] = p.get("cpu_seconds", {}).get("candidates")
            sc = {"precision": p.get("derived_precision", 0), "recall": p.get("derived_recall", 0),
                  "f1": p.get("derived_f1", 0), "recall_by_kind": p.get("derived_recall_by_kind", {})}
        else:
            meta = json_of(os.path.join(d, name + ".stdout"))
            row["stage"] = meta.get("seconds")
            row["stage_cpu"] = meta.get("cpu_seconds")
            sc = score(truth, load_found(os.path.join(d, name + ".tsv")))
        row["score"] = sc
        rows[name] = row
        stage = f"{row['stage']:>9.2f}" if row["stage"] is not None else f"{'':>9}"
        head = (f"{name:<16}{wall:>9.1f}{cpu:>9.1f}{row['dps']:>10.0f}{row['dpc']:>11.0f}"
                f"{row['mib']:>10.0f}{stage}")
        if sc:
            kinds = " ".join(f"{k}={v:.2f}" for k, v in sc["recall_by_kind"].items())
            print(f"{head}{sc['precision']:>7.3f}{sc['recall']:>8.3f}{sc['f1']:>7.3f}  {kinds}")
        else:
            print(head)
    base = [b for b in ("datasketch", "datasketch_low", "rensa") if b in rows]
    for s in ("analyze", "analyze_noembed"):
        if s in rows:
            for b in base:
                print(f"  ratio end to end, {s} vs {b}: {rows[s]['dps'] / rows[b]['dps']:.2f}x docs/s wall, "
                      f"{rows[s]['dpc'] / rows[b]['dpc']:.2f}x docs/CPU-s, "
                      f"{rows[s]['mib'] / rows[b]['mib']:.2f}x peak RSS (stemma also verifies, orients and clusters)")
    if "profile" in rows and rows["profile"]["stage"]:
        p = rows["profile"]["profile"]
        cs = rows["profile"]["stage"]
        kinds = " ".join(f"{k}={v:.2f}" for k, v in p.get("candidate_recall_by_kind", {}).items())
        cc = max(rows["profile"]["stage_cpu"] or 0, 0.001)
        print(f"  stemma candidate stage: {cs:.2f} s wall, {cc:.2f} s CPU ({n / cs:.0f} docs/s, {n / cc:.0f} docs/CPU-s), "
              f"{p.get('candidate_pairs')} pairs "
              f"({p.get('candidate_pairs_per_doc')}/doc), recall of true pairs {p.get('candidate_recall'):.3f} ({kinds})")
        for b in base:
            if rows[b]["stage"]:
                bc = rows[b]["stage_cpu"] or 0
                print(f"  ratio candidate stage, stemma vs {b} MinHash+LSH: {rows[b]['stage'] / cs:.2f}x throughput wall, "
                      f"{bc / cc:.2f}x per CPU-s, at recall {p.get('candidate_recall'):.3f} vs {rows[b]['score']['recall']:.3f}")
        sec = p.get("cpu_seconds") or p.get("seconds", {})
        total = sum(sec.get(k, 0) for k in ("read", "extract", "candidates", "resources", "verify", "report"))
        parts = [f"{k} {sec[k]:.2f}" for k in ("read", "extract", "candidates", "resources", "verify") if k in sec]
        if "report" in sec:
            # The report stage orients, reduces and clusters; the profile then
            # clusters once more on its own to score the stories (not in the total).
            parts.append(f"derive+stories {sec['report']:.2f} (stories alone, timed by a second bench-only pass: "
                         f"{sec.get('cluster', 0):.2f})")
        print(f"  stemma stage profile (CPU s, {p.get('resources', 'no resources loaded')}): "
              + ", ".join(parts) + f"; total {total:.2f}")
    for s in ("analyze", "analyze_noembed"):
        t = timings(os.path.join(d, s + ".stderr"))
        if t:
            print(f"  {s} --timings (wall s): " + ", ".join(f"{k} {v:.2f}" for k, v in t.items()))
    if "ingest" in rows:
        print(f"  ingest: {rows['ingest']['dps']:.0f} docs/s in batches, {rows['ingest']['mib']:.0f} MiB peak; "
              "per-article incremental p99: see bench/results/ingest.txt")


def main():
    if sys.argv[1] == "--table":
        table(sys.argv[2], sys.argv[3])
        return
    truth = load_truth(sys.argv[1])
    found = load_found(sys.argv[2])
    print(json.dumps(score(truth, found)))


if __name__ == "__main__":
    main()
