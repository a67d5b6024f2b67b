"""Reliability runs: load with exactly-one-answer accounting, faults during load, fuzzing."""
