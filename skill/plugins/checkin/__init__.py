"""Nightly check-in: a daily reminder at the person's chosen time, and a short check-in."""

from skill.plugins.checkin.plugin import Checkin

__all__ = ["Checkin"]
