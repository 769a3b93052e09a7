"""The skill as an HTTPS web service with Alexa's request verification (needs the `web` extra)."""
