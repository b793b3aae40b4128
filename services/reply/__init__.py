"""Reply: takes agents' answers and delivers them on the customer's own channel."""
