"""Compact form of release_matrix/nova.conf.json (generated)."""
