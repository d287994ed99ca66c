"""HTTP edge of the auth service: blueprints and schemas (domain errors map in `shared.errors`)."""
