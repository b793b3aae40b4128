"""Run the routing service on its own: python -m services.routing."""

from services.cli import serve_main

serve_main("routing")
