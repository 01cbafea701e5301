"""Benchmarks: ``flask bench seed`` makes the data, ``make bench`` (``python -m bench.run``)
times the dashboards and the HTTP endpoints and prints p50/p95 in a table."""
