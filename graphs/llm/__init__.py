"""The language model: settings, which mode a request runs in (factory), the structured-output call, the in-process
GGUF backend (local), the measured verdicts that let `auto` use it, the prompts and the output schemas."""
