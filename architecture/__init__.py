"""Checks of OncoLien's architecture that run in `make test` (import-linter plug-ins)."""
