"""Ingest: takes customer messages from every channel and publishes MessageReceived."""
