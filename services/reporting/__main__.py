"""Run the reporting service on its own: python -m services.reporting."""

from services.cli import serve_main

serve_main("reporting")
