"""The benchmark is not a test suite: `pytest` collects nothing here (run it with `make bench`)."""

collect_ignore_glob = ["*.py"]
