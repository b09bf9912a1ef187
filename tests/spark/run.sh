#!/usr/bin/env bash
# Stemma on Spark, local mode: builds the `stemma` wheel (maturin), runs
# stemma.spark in local[2] on generated documents and checks that its
# stories and relations equal those of `stemma analyze` on the same input.
#   STEMMA_SPARK_DOCS  number of generated documents (default 20000: about 6 minutes of
#                      Spark in local[2] on 2 cores, see docs/spark.md)
# Needs python3 (venv), JDK 17 and ../shared/data/bbc-news for the generator.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TERM_COLOR=never
VENV=target/spark/venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
  "maturin>=1.5,<2" "pyspark>=4.0" "pyarrow>=16" "pandas>=2.2,<3"
cargo build -q --release -p stemma-cli -p stemma-bench
rm -rf target/spark/wheels
(cd python && "../$VENV/bin/maturin" build -q --release --out ../target/spark/wheels)
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall \
  target/spark/wheels/stemma-*.whl
export PYSPARK_PYTHON="$PWD/$VENV/bin/python"
export PYSPARK_DRIVER_PYTHON="$PYSPARK_PYTHON"
"$VENV/bin/python" tests/spark/test_equality.py
