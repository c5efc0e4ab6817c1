"""What the synthetic peers of the matching benchmark write."""
