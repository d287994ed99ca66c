from alembic import context

from auth_service.models import SCHEMA, db
from shared.migrations import run_env

run_env(context, db.metadata, SCHEMA)
