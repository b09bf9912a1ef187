"""Near-duplicate detection baselines for the performance benchmark.

Runs datasketch MinHashLSH or rensa (RMinHash + RMinHashLSH) over a corpus
made by `stemma-bench gen`, at the settings such tools are usually run with
(5-word shingles, 128 permutations, Jaccard threshold 0.8), and writes the
pairs found as TSV. The pairs an LSH index returns are its candidates: no
verification step follows, as in the usual near-duplicate pipelines.

Usage: baselines.py {datasketch|rensa} DOCS.jsonl OUT.tsv [THRESHOLD]
Prints one JSON line: the MinHash+LSH wall and CPU seconds (reading the
JSONL excluded), the pairs found and the threshold used.
"""
import json
import re
import sys
import time

WORD = re.compile(r"\w+", re.UNICODE)
NUM_PERM = 128
THRESHOLD = 0.8
SHINGLE = 5


def shingles(text):
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words)}
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def main():
    tool, docs_path, out_path = sys.argv[1:4]
    threshold = float(sys.argv[4]) if len(sys.argv) > 4 else THRESHOLD
    ids, texts = [], []
    with open(docs_path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            ids.append(d["id"])
            texts.append(d.get("text", ""))
    t0 = time.perf_counter()
    c0 = time.process_time()
    pairs = set()
    if tool == "datasketch":
        from datasketch import MinHash, MinHashLSH
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        for i, t in zip(ids, texts):
            m = MinHash(num_perm=NUM_PERM)
            m.update_batch([s.encode("utf-8") for s in shingles(t)])
            for j in lsh.query(m):
                pairs.add((j, i))
            lsh.insert(i, m)
    elif tool == "rensa":
        from rensa import RMinHash, RMinHashLSH
        lsh = RMinHashLSH(threshold=threshold, num_perm=NUM_PERM, num_bands=16)
        for n, (i, t) in enumerate(zip(ids, texts)):
            m = RMinHash(num_perm=NUM_PERM, seed=42)
            m.update(list(shingles(t)))
            for j in lsh.query(m):
                pairs.add((ids[j], i))
            lsh.insert(n, m)
    else:
        sys.exit(f"unknown tool {tool}")
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    with open(out_path, "w", encoding="utf-8") as f:
        for a, b in sorted(pairs):
            f.write(f"{a}\t{b}\n")
    print(json.dumps({"tool": tool, "docs": len(ids), "seconds": round(elapsed, 3),
                      "cpu_seconds": round(cpu, 3),
                      "pairs": len(pairs), "threshold": threshold}))


if __name__ == "__main__":
    main()
