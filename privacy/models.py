"""Privacy notices, consents, requests about a person's own data, erasure."""
