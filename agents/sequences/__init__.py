"""The sequences domain wired into the team: plan, terms, guesses, relations, proofs, Lean and the report."""
