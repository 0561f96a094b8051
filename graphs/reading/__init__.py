"""Reading a request without a language model: the rule-based parse of the paper's four kinds, style and subject
scans over the vocabulary, template prompt extension, and the filter that drops attempts to steer the choice."""
