"""Routing: conversations, agents and API keys; decides who answers what."""
