"""Compact form of release_matrix/ceph/*.json (generated)."""
