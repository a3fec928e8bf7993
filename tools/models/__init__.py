"""One interface over model providers (OpenAI, Anthropic, OpenAI-compatible local servers), with budgets."""

from .budget import BudgetLedger, Spend, UsageSink
from .client import ModelClient, OnToken, api_key, build_clients
from .config import Limits, ModelBudget, ModelSettings, ModelsTable
from .errors import MissingApiKey
from .outcomes import (BudgetExhausted, CallUsage, Message, ModelReply, Parsed, ProviderError, TimedOut,
                       Unparseable)
from .retry import RetryPolicy, retry_after_seconds

__all__ = [
    "BudgetExhausted", "BudgetLedger", "CallUsage", "Limits", "Message", "MissingApiKey", "ModelBudget",
    "ModelClient", "ModelReply", "ModelSettings", "ModelsTable", "OnToken", "Parsed", "ProviderError",
    "RetryPolicy", "Spend", "TimedOut", "Unparseable", "UsageSink", "api_key", "build_clients",
    "retry_after_seconds",
]
