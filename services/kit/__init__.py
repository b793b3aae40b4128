"""The shared kernel: bus, event codecs, settings, database, telemetry, auth, errors, HTTP app factory.

No business logic lives here.
"""
