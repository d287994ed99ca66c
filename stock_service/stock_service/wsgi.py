"""gunicorn stock_service.wsgi:app"""

from stock_service.app import create_app

app = create_app()
