"""The model: sources and quotes, distributions, inputs, derived quantities and claims,
the graph, evaluation, verdicts, what-ifs and the memory budget. Pure: no files, no display."""
