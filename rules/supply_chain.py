"""SM5xx: the training image."""
