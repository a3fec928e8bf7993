"""Live model tests: real requests to OpenAI, Anthropic or a local OpenAI-compatible server, when one is configured.

Set ``OPENAI_API_KEY`` (model: ``$MATHTEAM_OPENAI_MODEL``, default gpt-5.4-mini), ``ANTHROPIC_API_KEY``
(``$MATHTEAM_ANTHROPIC_MODEL``, default claude-haiku-4-5) or ``MATHTEAM_LOCAL_BASE_URL`` such as
``http://127.0.0.1:8000/v1`` (``$MATHTEAM_LOCAL_MODEL``, default the first model the server lists).
"""

from __future__ import annotations

import os

import httpx2
import pytest
from pydantic import BaseModel, Field

from mathteam.tools.models import BudgetLedger, ModelClient, ModelSettings, Parsed

ASK = [{"role": "user", "content": "Is the binary operation x*y = x on the set {0, 1} associative? "
                                   "Answer with your verdict and one sentence of reason."}]


class Verdict(BaseModel):
    associative: bool
    reason: str = Field(min_length=1)


def _local_model(base_url: str) -> str:
    if os.environ.get("MATHTEAM_LOCAL_MODEL"):
        return os.environ["MATHTEAM_LOCAL_MODEL"]
    listed = httpx2.get(base_url.rstrip("/") + "/models", timeout=10).json()
    return listed["data"][0]["id"]


def _settings(provider: str) -> ModelSettings:
    if provider == "openai":
        if not os.environ.get("OPENAI_API_KEY"):
            pytest.skip("OPENAI_API_KEY is not set")
        return ModelSettings(provider="openai", model=os.environ.get("MATHTEAM_OPENAI_MODEL", "gpt-5.4-mini"),
                             max_tokens=2000, timeout_s=120)
    if provider == "anthropic":
        if not os.environ.get("ANTHROPIC_API_KEY"):
            pytest.skip("ANTHROPIC_API_KEY is not set")
        return ModelSettings(provider="anthropic",
                             model=os.environ.get("MATHTEAM_ANTHROPIC_MODEL", "claude-haiku-4-5"), max_tokens=500)
    base_url = os.environ.get("MATHTEAM_LOCAL_BASE_URL")
    if not base_url:
        pytest.skip("MATHTEAM_LOCAL_BASE_URL is not set (e.g. http://127.0.0.1:8000/v1 for vLLM)")
    return ModelSettings(provider="openai_compatible", model=_local_model(base_url), base_url=base_url,
                         max_tokens=500, timeout_s=300)


PROVIDERS = ["openai", "anthropic", "openai_compatible"]


@pytest.mark.live
@pytest.mark.parametrize("provider", PROVIDERS)
def test_live_model_answers_in_the_requested_structure_with_token_counts(provider):
    events: list[dict] = []
    client = ModelClient("live", _settings(provider), ledger=BudgetLedger(on_usage=events.append))
    reply = client.complete(ASK, Verdict, role="prover")
    assert isinstance(reply.outcome, Parsed), reply.outcome
    assert reply.value.associative is True  # (x*y)*z = x = x*(y*z)
    assert reply.usage.tokens_in > 0 and reply.usage.tokens_out > 0
    assert events and events[-1]["status"] == "ok"


@pytest.mark.live
@pytest.mark.parametrize("provider", PROVIDERS)
def test_live_model_streams_tokens(provider):
    pieces: list[str] = []
    client = ModelClient("live", _settings(provider))
    reply = client.complete(ASK, Verdict, on_token=lambda text, n: pieces.append(text))
    assert reply.ok, reply.outcome
    assert len(pieces) > 1 and "".join(pieces) == reply.outcome.text
    assert reply.usage.tokens_out > 0
