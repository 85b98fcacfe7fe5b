"""The shared base: what every app may use, and which uses no app (see docs/architecture.md)."""
