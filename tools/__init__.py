"""Tools the roles call: automated provers, finite model search, Lean checking; outcomes are data."""
