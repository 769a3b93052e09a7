"""Counts said right: "once", "1 rating", "3 ratings" (English needs one form and the rest).

A content field that says a count is a `Plural`: {"one": "...", "other": "..."}, each formatted
with the count as {count} and any other values. tests/test_wording.py fails on a content string
that would say "1 times".
"""

from __future__ import annotations

from typing import Any

from skill.blocks.content import Content


class Plural(Content):
    one: str  # said when the count is 1: "You checked in once this week."
    other: str  # any other count, with {count}: "You checked in {count} times this week."

    def format(self, count: int, **values: Any) -> str:
        return (self.one if count == 1 else self.other).format(count=count, **values)
