"""Secure Base: an Alexa skill for feeling safer in relationships."""
