"""The Textual terminal UI: steer the team, watch it work, and clear the review queue from one screen."""
