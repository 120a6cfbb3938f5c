"""Presentation, one module per format: text (tables, JSON, CSV), Markdown reports, HTML,
plots."""
