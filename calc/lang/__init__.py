"""The formula language (an ast whitelist, evaluated over arrays) and one-line arithmetic."""
