"""Free-form projects: a goal in words worked on by model brains; the mathematics is what they make of it."""
