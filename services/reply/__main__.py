"""Run the reply service on its own: python -m services.reply."""

from services.cli import serve_main

serve_main("reply")
