"""skaug's benchmark suite: ``python -m benchmarks --quick`` (see README.md)."""
