#!/bin/sh
# Container start: migrate, then replace this shell with the server so it receives SIGTERM.
set -e
python migrate.py
exec gunicorn -b :5000 --access-logfile - app:app
