"""All LangGraph code, in subpackages by concern. Imports flow one way, checked by import-linter (pyproject.toml):

chat       the conversation graph (state, intent reading, refinement rules, nodes, wiring, turn result)
selection  the selection and generation graphs (state, nodes, tree search, scoring, extension, drawing, results)
reading    reading a request without an LLM (rules, steering filter)
llm        the language model (settings, factory, structured calls, local backend, verdicts, prompts, schemas)
context, resources   shared: run configuration (strings and numbers) and the per-process resources
"""
