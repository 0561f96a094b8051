"""The leaf layer: catalog, vocabulary, model tree, embeddings, the Chroma index, feedback, advantage, priors,
diffusers pipeline loading and cache, the starter pipeline, and one LangChain tool per model. Imports nothing of
`graphs` or `agent` (import-linter checks it)."""
