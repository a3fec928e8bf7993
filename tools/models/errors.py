"""Configuration problems of the model layer that the person must fix (outcomes of calls are data, not these)."""

from __future__ import annotations

from mathteam.errors import UserError


class MissingApiKey(UserError):
    """A configured model needs a key and its environment variable is not set."""

    code = "missing-api-key"

    def __init__(self, model: str, env_name: str):
        self.model = model
        self.env_name = env_name
        self.hint = f"export {env_name}=... (keys come from the environment, never from the project file)"
        super().__init__(f"model {model!r} needs a key: ${env_name} is not set")


class LocalModelMissing(UserError):
    """A ``llama_cpp`` model cannot be served: llama-server or the GGUF model is not installed."""

    code = "local-model-missing"

    def __init__(self, model: str, problem: str, install: str):
        self.model = model
        self.hint = install
        super().__init__(f"model {model!r}: {problem}")
