"""Benchmarks of dms2msk at estate scale (see benchmarks/README.md)."""
