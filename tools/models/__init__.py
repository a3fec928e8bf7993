"""One interface over model providers (OpenAI, Anthropic, OpenAI-compatible local servers), with budgets.

Names are loaded on first use (PEP 562): the provider SDKs take a second to import, and reading a
project file (which needs only `config`) must not pay for them.
"""

from importlib import import_module

_WHERE = {
    "BudgetLedger": "budget", "Spend": "budget", "UsageSink": "budget",
    "ModelClient": "client", "OnToken": "client", "api_key": "client", "build_clients": "client",
    "Limits": "config", "ModelBudget": "config", "ModelSettings": "config", "ModelsTable": "config",
    "MissingApiKey": "errors",
    "BudgetExhausted": "outcomes", "CallUsage": "outcomes", "Message": "outcomes", "ModelReply": "outcomes",
    "Parsed": "outcomes", "ProviderError": "outcomes", "TimedOut": "outcomes", "Unparseable": "outcomes",
    "RetryPolicy": "retry", "retry_after_seconds": "retry",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
