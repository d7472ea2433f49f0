"""The Dash app object and its Flask server; the layout and callbacks are registered in index.py."""

from dash import Dash

app = Dash(__name__, title="Shipments", suppress_callback_exceptions=True)
server = app.server  # the WSGI app a production server runs
