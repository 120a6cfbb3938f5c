"""Reading articles: the reader that finds every figure an article states, and the prose
around it (clauses, dates, labels, plural nouns)."""
