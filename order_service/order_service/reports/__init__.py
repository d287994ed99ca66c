"""Reports on orders, computed by PostgreSQL with aggregates (never by loading orders)."""
