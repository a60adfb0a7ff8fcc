"""A local Discord (REST API v10 and gateway v10 over loopback) for tests and the demo."""
