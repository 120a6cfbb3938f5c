"""Questions asked of a scenario: explanations, sweeps, sensitivity, comparison, support."""
