"""The model brains: one module per role, each thinking with the model `[team]` names for it."""
