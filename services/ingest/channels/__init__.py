"""Channel adapters: each turns a channel's delivery into messages and receipts (see base.py)."""
