"""The UI's screens, one module each: dashboard, plan, claims, review queue, log, report."""
