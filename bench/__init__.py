"""Benchmarks for coachkit (`make bench`): never timed tests, see bench/README.md."""
