"""The auth domain: plain-Python rules, no Flask, no SQLAlchemy, no I/O."""
