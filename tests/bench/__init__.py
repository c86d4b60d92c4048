"""The benchmark harness of the catalog site (`make bench`); see run.py. Not a test suite."""
