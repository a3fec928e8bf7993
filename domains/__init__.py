"""Mathematical domains: pure functions for the mathematics each kind of project works on."""
