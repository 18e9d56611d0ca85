"""Models of the logistics app."""
