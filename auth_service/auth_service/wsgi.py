"""gunicorn auth_service.wsgi:app"""

from auth_service.app import create_app

app = create_app()
