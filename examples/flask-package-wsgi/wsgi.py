"""The WSGI entry point servers import: one app from the factory."""

from storefront import create_app

app = create_app()
