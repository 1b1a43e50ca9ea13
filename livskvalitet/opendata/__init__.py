"""The open data API under /api/v1/: read-only, public, JSON and CSV, described by OpenAPI."""
