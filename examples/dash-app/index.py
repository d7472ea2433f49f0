"""Layout, callback and health route of the shipments dashboard (run `python index.py` to develop)."""

import plotly.graph_objects as go
from dash import Input, Output, dcc, html

from app import app, server
from shipments import SHIPMENTS, WEEKS, weekly

app.layout = html.Div(
    [
        html.H1("Weekly shipments"),
        dcc.Dropdown(id="region", options=sorted(SHIPMENTS), value="north", clearable=False),
        dcc.Graph(id="chart"),
    ]
)


@app.callback(Output("chart", "figure"), Input("region", "value"))
def chart(region: str) -> go.Figure:
    return go.Figure(go.Bar(x=WEEKS, y=weekly(region), name=region))


@server.route("/healthz")
def healthz() -> str:
    return "ok"


if __name__ == "__main__":
    app.run(debug=True)
