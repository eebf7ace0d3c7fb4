"""Every route of OncoLien accounted for: public, or swept as an outsider (issue 8)."""
