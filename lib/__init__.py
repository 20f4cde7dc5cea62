"""Plain helpers every app may use: no Django and nothing of the project (healthchecks ``hc/lib``)."""
