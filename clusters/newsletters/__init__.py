"""Newsletters, announcements and digests sent by a cluster to its members, with
consent (docs/newsletters.md)."""
