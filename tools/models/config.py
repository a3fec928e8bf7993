"""Project-file sections for models (``[models.NAME]``) and model budgets (``[budget]`` additions).

::

    [models.local]                      # the local GPU model: any OpenAI-compatible server
    provider = "openai_compatible"
    model = "qwen2.5-math-7b-instruct"
    base_url = "http://127.0.0.1:8000/v1"
    max_concurrency = 2

    [models.hosted]
    provider = "anthropic"              # key from $ANTHROPIC_API_KEY, never from this file
    model = "claude-sonnet-4-6"
    price_in_per_mtok = 3.0
    price_out_per_mtok = 15.0

    [budget]                            # run-wide model budgets ...
    tokens = 2_000_000
    cost_usd = 5.0
    [budget.roles.prover]               # ... and per role
    calls = 200
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Provider = Literal["openai", "anthropic", "openai_compatible"]
ModelName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=60)]
"""A key under ``[models]``: letters, digits, ``_ . -``."""

DEFAULT_KEY_ENV = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Shapes of real keys, so a key pasted where its variable's name belongs is caught before it is stored.
_LOOKS_LIKE_KEY = re.compile(r"^(sk-|sk_|key-|gsk_|xai-)|^[A-Za-z0-9_\-]{40,}$")


class Section(BaseModel):
    """Base of every project-file section: immutable, and unknown keys are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class ModelSettings(Section):
    """One model the team may think with, under ``[models.NAME]``."""

    provider: Provider
    """``openai`` and ``anthropic`` use their official SDKs; ``openai_compatible`` is any server speaking
    the OpenAI chat-completions API (vLLM, llama.cpp server, Ollama): the local GPU model."""
    model: str = Field(min_length=1)
    """The provider's model identifier, e.g. ``gpt-4.1``, ``claude-sonnet-4-6``, or the name the local
    server serves."""
    base_url: str | None = None
    """API root; required for ``openai_compatible`` (e.g. ``http://127.0.0.1:8000/v1``), optional otherwise."""
    api_key_env: str | None = None
    """Name of the environment variable holding the key. Default: ``OPENAI_API_KEY`` / ``ANTHROPIC_API_KEY``;
    for ``openai_compatible`` none (local servers usually need no key)."""
    timeout_s: float = Field(default=120.0, gt=0, le=3600)
    """Seconds one request may take before it counts as timed out (and is retried)."""
    max_retries: int = Field(default=3, ge=0, le=10)
    """Retries after a rate limit, server error, broken connection, timeout or malformed body."""
    max_concurrency: int = Field(default=4, ge=1, le=256)
    """Requests in flight at once to this model; a local GPU serves few at a time."""
    max_tokens: int = Field(default=4096, ge=1)
    """Most tokens one reply may have."""
    temperature: float | None = Field(default=None, ge=0, le=2)
    """Sampling temperature; the provider's default when unset."""
    structured: Literal["json_schema", "json_object", "prompt"] = "json_schema"
    """How OpenAI-style endpoints are asked for JSON: ``response_format`` with the output's JSON schema,
    plain JSON mode, or only the instruction in the prompt (for servers without ``response_format``).
    Anthropic always gets the instruction in the prompt."""
    stream: bool = True
    """Stream replies when the caller asks for tokens as they come."""
    price_in_per_mtok: float | None = Field(default=None, ge=0)
    """US dollars per million prompt tokens; no cost is recorded without a price."""
    price_out_per_mtok: float | None = Field(default=None, ge=0)
    """US dollars per million completion tokens."""

    @model_validator(mode="before")
    @classmethod
    def _no_keys_in_the_file(cls, data: Any) -> Any:
        if isinstance(data, dict) and ("api_key" in data or "key" in data):
            raise ValueError("keys are never written in the project file: set api_key_env to the name of "
                             "the environment variable that holds the key")
        return data

    @field_validator("api_key_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if _LOOKS_LIKE_KEY.search(value) or not _ENV_NAME.match(value):
            raise ValueError("api_key_env must be the NAME of an environment variable (like MY_SERVER_KEY), "
                             "not the key itself")
        return value

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"base_url must start with http:// or https:// (got {value!r})")
        return value

    @model_validator(mode="after")
    def _compatible_needs_url(self) -> ModelSettings:
        if self.provider == "openai_compatible" and self.base_url is None:
            raise ValueError("an openai_compatible model needs base_url, e.g. http://127.0.0.1:8000/v1 (vLLM), "
                             "http://127.0.0.1:8080/v1 (llama.cpp server), http://127.0.0.1:11434/v1 (Ollama)")
        return self

    @property
    def key_env(self) -> str | None:
        """The environment variable the key is read from, or None when none is needed."""
        return self.api_key_env or DEFAULT_KEY_ENV.get(self.provider)


class Limits(Section):
    """Model budgets for one scope (the whole run, or one role); unset means unlimited."""

    tokens: int | None = Field(default=None, ge=0)
    """Prompt plus completion tokens."""
    cost_usd: float | None = Field(default=None, ge=0)
    """US dollars, from the models' configured prices."""
    calls: int | None = Field(default=None, ge=0)
    """Requests sent to model providers (retries and repairs count)."""
    model_seconds: float | None = Field(default=None, ge=0)
    """Wall-clock seconds spent waiting on model requests."""


class ModelBudget(Limits):
    """The ``[budget]`` additions: run-wide model limits plus a ``[budget.roles.ROLE]`` table per role."""

    roles: dict[str, Limits] = {}
    """Per-role limits, checked as well as the run-wide ones."""

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: dict[str, Limits]) -> dict[str, Limits]:
        from mathteam.project import ROLES

        unknown = sorted(set(value) - set(ROLES))
        if unknown:
            raise ValueError(f"unknown role {unknown[0]!r} in [budget.roles] (roles: {', '.join(ROLES)})")
        return value


class ModelsTable(Section):
    """The ``[models]`` table on its own, for tools (like ``mathteam doctor``) that read only it."""

    models: dict[ModelName, ModelSettings] = {}
    """Every configured model, by name."""
