"""Integer sequences: definitions by brute force, guessing formulas from terms, symbolic proofs."""
