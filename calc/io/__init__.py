"""Files: YAML read with line numbers, the scenario format (pydantic specs), loading and
`extends`, catalogues and shipped scenarios, the JSON Schema, templates and scaffolds,
bounded reads and atomic writes."""
