"""The place in the reflection questions: never an answer."""

from __future__ import annotations

from skill.api import BitSet, Counter, Plugin, Progress
from skill.plugins.reflection.content import ReflectionContent


class ReflectionProgress(Progress):
    current: int = 0  # index of the question being asked
    stage: int = 0  # 0: the question itself; 1, 2: its follow-ups
    asked: BitSet = 0  # bit i set: question i was asked in this pass
    answered: Counter = 0  # answers given in all, to vary the acknowledgement
    started: bool = False  # whether the person has heard the opening words

    def was_asked(self, index: int) -> bool:
        return bool(self.asked >> index & 1)

    def mark(self, index: int) -> ReflectionProgress:
        return self.changed(asked=self.asked | 1 << index)

    def at(self, **place: int) -> ReflectionProgress:
        return self.changed(**place)


ReflectionPlugin = Plugin[ReflectionContent, ReflectionProgress]
