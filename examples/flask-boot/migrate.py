"""Create the SQLite schema the app reads (stands in for `flask db upgrade`)."""

from __future__ import annotations

import os
import sqlite3

os.makedirs("instance", exist_ok=True)
with sqlite3.connect("instance/app.db") as db:
    db.execute("CREATE TABLE IF NOT EXISTS visits (n INTEGER)")
print("migrated")
