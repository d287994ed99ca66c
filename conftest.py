"""Repository-wide pytest setup; the shared fixtures live in tests/support/infra.py."""
