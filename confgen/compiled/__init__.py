"""Compact forms of the shipped data, written by `python -m confgen.compact`."""
