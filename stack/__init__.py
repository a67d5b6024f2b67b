"""Starts and stops the assistant's processes, for `make run`, the tests and the benchmarks.

One launcher serves all three, so what the tests start is exactly what a developer runs.
"""
