"""`dgpt serve`: the agent behind OpenAI's Images and chat APIs, plus native endpoints, in one warm process.

- `app.py`: the app factory; `settings.py`: options and `DGPT_*` variables; `security.py`: keys, signed picture
  URLs, body limits; `errors.py`: OpenAI's error shape; `queue.py`: the bounded drawing queue;
  `service.py`: what all requests share.
- Routes: `images.py` (OpenAI images), `completions.py` (OpenAI chat), `native.py` (select, feedback, threads,
  health, models). They call `agent.selector.Selector` and `agent.chat.ChatSession`; no selection or conversation
  logic lives here.
- `run.py`: uvicorn, with a graceful shutdown that finishes the draw in progress and refuses new ones.
"""

from agent.server.app import create_app
from agent.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
