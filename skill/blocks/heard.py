"""What the person said this turn, as far as the request tells it: each slot's words with the
carrier phrase of its sample put back ("nobody hit me", not "hit me").

Alexa sends only slot values. A slot that one sample alone uses is read with that sample's words
around it. A slot several samples share is read with the first of them when they all mean the
same (`alike`: "yes {answerYes}" and "yeah {answerYes}"), else as heard.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from skill.blocks.loaded import Loaded


@cache
def samples_with(plugins: Loaded, locale: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """(intent, slot) -> every sample that slot appears in, in the order the files give them."""
    uses: dict[tuple[str, str], list[str]] = {}
    for plugin in plugins.everything:
        for intent, samples in plugin.locale_file(locale).samples.items():
            for sample in samples:
                for slot in slots_in(sample):
                    uses.setdefault((intent, slot), []).append(sample)
    return {key: tuple(dict.fromkeys(found)) for key, found in uses.items()}


@cache
def carriers(plugins: Loaded, locale: str) -> dict[tuple[str, str], str]:
    """(intent, slot) -> the one sample that slot appears in, for slots with one carrier."""
    return {
        key: found[0] for key, found in samples_with(plugins, locale).items() if len(found) == 1
    }


def slots_in(sample: str) -> list[str]:
    return [part[1:-1] for part in sample.split() if part.startswith("{") and part.endswith("}")]


def sentences(
    intent: str,
    values: dict[str, str],
    uses: dict[tuple[str, str], tuple[str, ...]],
    alike: Callable[[str], object],
) -> list[str]:
    """The slot values heard (name -> words), each with its carrier put back; [] for no words
    (a fallback, or an intent without slots). `alike` reads a carrier: the samples of a shared
    slot that it reads the same share one carrier. `uses` is `samples_with(...)`."""
    said = []
    for name, value in values.items():
        if not value:
            continue
        found = uses.get((intent, name), ())
        bare = {alike(sample.replace("{" + name + "}", "")) for sample in found}
        carrier = found[0] if len(found) == 1 or (found and len(bare) == 1) else None
        said.append(carrier.replace("{" + name + "}", value) if carrier else value)
    return said
