"""The council report: its data, texts, services, the worker's compile, PDF, HTML and Word
editions, and its pages."""
