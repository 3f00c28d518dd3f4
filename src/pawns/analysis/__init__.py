"""Analysis of labelled results: per-member outcomes, summaries, paired comparisons."""
