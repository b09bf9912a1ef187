#!/usr/bin/env python3
"""Extract the main text of every page of the trafilatura evaluation set with
trafilatura's default settings, for `stemma-bench extract` to score.

Usage: trafilatura_eval.py DATA_DIR
  DATA_DIR holds evaldata.json and the pages (cache/<file> or eval/<file>).
Prints one JSON object on stdout: {"version": "...", "texts": {file: text or null}}.
Creates no files; scoring is done by the caller so both extractors are scored alike.
"""
import json
import os
import sys

import trafilatura


def read_page(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: trafilatura_eval.py DATA_DIR")
    data = sys.argv[1]
    with open(os.path.join(data, "evaldata.json"), encoding="utf-8") as f:
        evaldata = json.load(f)
    texts = {}
    for url, entry in evaldata.items():
        name = entry["file"]
        path = None
        for sub in ("cache", "eval"):
            candidate = os.path.join(data, sub, name)
            if os.path.exists(candidate):
                path = candidate
                break
        if path is None:
            continue
        try:
            # trafilatura decodes the bytes itself (its own charset detection).
            texts[name] = trafilatura.extract(read_page(path), url=url)
        except Exception as err:  # one bad page must not stop the run
            print(f"{name}: {err}", file=sys.stderr)
            texts[name] = None
    json.dump({"version": trafilatura.__version__, "texts": texts}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
