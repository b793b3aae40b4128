"""Run the classify service on its own: python -m services.classify."""

from services.cli import serve_main

serve_main("classify")
