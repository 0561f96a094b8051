"""The conversation graph: read a message against the thread (new request, style or content change, local change,
another seed, another model, revert, rating), plan what to draw (through the embedded selection subgraph when the
prompt changes), confirm if asked, draw, and record the turn in the thread."""
