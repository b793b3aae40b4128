"""Webcare services: ingest, classify, routing, reply, reporting, and their shared kernel `kit`."""
