"""Scores found derivation pairs against a generated corpus's truth.

Usage: score_pairs.py TRUTH.tsv FOUND.tsv  (FOUND: two ids a line; a stemma
report JSON is accepted too). Pairs are unordered. Prints JSON with
precision, recall, F1 and recall per true kind.
"""
import json
import sys


def load_found(path):
    if path.endswith(".json"):
        r = json.load(open(path, encoding="utf-8"))
        pairs = set()
        for rel in r["relations"]:
            if rel["source"].startswith("unseen:"):
                continue
            pairs.add(frozenset((rel["source"], rel["derivative"])))
        return pairs
    with open(path, encoding="utf-8") as f:
        return {frozenset(l.rstrip("\n").split("\t")[:2]) for l in f if l.strip()}


def main():
    truth = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            s, d, k = line.rstrip("\n").split("\t")
            truth[frozenset((s, d))] = k
    found = load_found(sys.argv[2])
    tp = sum(1 for p in found if p in truth)
    prec = tp / len(found) if found else 0.0
    rec = tp / len(truth) if truth else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    by_kind = {}
    for p, k in truth.items():
        hit, n = by_kind.get(k, (0, 0))
        by_kind[k] = (hit + (p in found), n + 1)
    print(json.dumps({
        "precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
        "found": len(found), "true": len(truth),
        "recall_by_kind": {k: round(h / n, 4) for k, (h, n) in sorted(by_kind.items())},
    }))


if __name__ == "__main__":
    main()
