"""Free-form projects: a goal in words worked on by model brains, and the pure mathematics of claims with
checkable forms (forms and their pin, sympy identities, SMT-LIB terms)."""
