"""Write-side use cases. Each takes a session, flushes, and never commits:
the request (or CLI command) that called it commits once at its end."""
