"""Magmas and their equational laws: terms, the ETP's numbered laws, finite models, syntactic proofs."""
