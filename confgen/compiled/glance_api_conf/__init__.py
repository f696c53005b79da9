"""Compact form of release_matrix/glance-api.conf.json (generated)."""
