"""The `[models.NAME]` and `[budget]` project-file sections: defaults, and validation errors a person can act on."""

from __future__ import annotations

import tomllib

import pytest
from pydantic import ValidationError

from mathteam.tools.models import ModelBudget, ModelSettings, ModelsTable

EXAMPLE = """
[models.local]
provider = "openai_compatible"
model = "qwen2.5-math-7b-instruct"
base_url = "http://127.0.0.1:8000/v1"
max_concurrency = 2

[models.hosted]
provider = "anthropic"
model = "claude-sonnet-4-6"
price_in_per_mtok = 3.0
price_out_per_mtok = 15.0
"""


def problem(data: dict, model=ModelSettings) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return str(caught.value)


def test_example_models_table_validates_with_defaults_and_key_variables():
    table = ModelsTable.model_validate(tomllib.loads(EXAMPLE))
    local, hosted = table.models["local"], table.models["hosted"]
    assert local.key_env is None and local.max_concurrency == 2 and local.timeout_s == 120
    assert hosted.key_env == "ANTHROPIC_API_KEY" and hosted.max_retries == 3
    assert ModelSettings(provider="openai", model="gpt-5.4-mini").key_env == "OPENAI_API_KEY"


def test_settings_are_frozen():
    settings = ModelSettings(provider="openai", model="gpt-5.4-mini")
    with pytest.raises(ValidationError):
        settings.model = "other"  # type: ignore[misc]


def test_compatible_server_without_base_url_says_where_servers_usually_listen():
    message = problem({"provider": "openai_compatible", "model": "q"})
    assert "needs base_url" in message and "11434" in message


def test_a_key_in_the_project_file_is_refused_with_the_fix():
    assert "set api_key_env to the name of the environment variable" in problem(
        {"provider": "openai", "model": "gpt", "api_key": "sk-abc"})


def test_a_key_pasted_into_api_key_env_is_refused():
    assert "NAME of an environment variable" in problem(
        {"provider": "openai_compatible", "model": "q", "base_url": "http://h/v1", "api_key_env": "sk-proj-abc123"})


def test_unknown_provider_lists_the_known_ones():
    assert "'openai', 'anthropic', 'openai_compatible' or 'llama_cpp'" in problem({"provider": "gemini", "model": "x"})


def test_bad_numbers_and_urls_are_refused():
    assert "greater than or equal to 1" in problem({"provider": "openai", "model": "x", "max_concurrency": 0})
    assert "greater than or equal to 0" in problem({"provider": "openai", "model": "x", "price_in_per_mtok": -1})
    assert "must start with http" in problem({"provider": "openai_compatible", "model": "x", "base_url": "127.0.0.1"})
    assert "Extra inputs are not permitted" in problem({"provider": "openai", "model": "x", "temprature": 1})


def test_budget_roles_must_be_team_roles():
    from mathteam.project import Budget  # the project file knows the roles; the model layer does not

    assert "unknown role 'critic'" in problem({"roles": {"critic": {"calls": 1}}}, Budget)
    budget = ModelBudget.model_validate({"cost_usd": 2.5, "roles": {"prover": {"tokens": 10}}})
    assert budget.roles["prover"].tokens == 10 and budget.calls is None


def test_model_names_are_restricted_to_safe_characters():
    assert "String should match pattern" in problem({"models": {"my model": {"provider": "openai", "model": "x"}}},
                                                    ModelsTable)
