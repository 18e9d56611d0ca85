"""Models of the confirmations app."""
