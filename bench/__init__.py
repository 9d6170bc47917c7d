"""`make bench`: how fast the site serves a wiki of realistic size (a benchmark, not a test).

``python -m bench.run`` builds the wiki into a database of its own
(:mod:`bench.build`, reused while its size and schema match), serves a copy
of it with ``make serve`` beside a bare Django view with the same settings and
middleware (the ceiling), loads both from wrk on 127.0.0.1, and prints one
table, also written to ``var/bench/report.json``.
"""
