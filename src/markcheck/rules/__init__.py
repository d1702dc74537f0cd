"""Rule packs (data) over coded checks (small pure functions of evidence and parameters)."""
