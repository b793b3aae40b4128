"""Classify: language, sentiment and category of every received message."""
