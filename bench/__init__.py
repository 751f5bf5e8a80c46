"""The ``make bench`` benchmark: detector against keep-all, C4 rules, jusText and trafilatura.

Run ``python -m bench`` (see bench/README.md). Nothing here is part of the detector package.
"""
