"""The UI's widgets: dialogs and evidence views, each with its CSS beside it."""
