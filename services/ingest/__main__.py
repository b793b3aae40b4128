"""Run the ingest service on its own: python -m services.ingest."""

from services.cli import serve_main

serve_main("ingest")
