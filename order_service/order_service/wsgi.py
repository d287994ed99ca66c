"""gunicorn order_service.wsgi:app"""

from order_service.app import create_app

app = create_app()
