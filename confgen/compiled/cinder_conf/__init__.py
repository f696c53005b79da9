"""Compact form of release_matrix/cinder.conf.json (generated)."""
