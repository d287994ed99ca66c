from alembic import context

from shared.migrations import run_env
from stock_service.models import SCHEMA, db

run_env(context, db.metadata, SCHEMA)
