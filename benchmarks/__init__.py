"""Benchmarks that print figures; not product code, and not installed with it.

Run each from the project root, e.g. ``python -m benchmarks.matching --help``.
"""
