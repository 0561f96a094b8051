"""The selection graph: parse → Tree-of-Thought search → select (relevance + feedback advantage) → extend, and the
generation graph that draws with the chosen model's tool. State, nodes, search, scoring, extension, drawing, results
and wiring each have their own module."""
