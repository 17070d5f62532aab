"""The red-team suite: hostile programs through the real judge path, on both jails (docs/security.md)."""
