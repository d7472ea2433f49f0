"""Application factory: configuration from the environment, then the views."""

from __future__ import annotations

import os

from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SHOP_NAME"] = os.environ.get("SHOP_NAME", "storefront")

    from storefront.views import views

    app.register_blueprint(views)
    return app
