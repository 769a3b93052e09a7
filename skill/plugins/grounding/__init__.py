"""Grounding: calming exercises on request, paced with real pauses, at the person's pace."""

from skill.plugin import Intent, Plugin
from skill.plugins.grounding.content import GroundingContent
from skill.plugins.grounding.handlers import GroundingResume, grounding_help, handlers, start

plugin: Plugin[GroundingContent] = Plugin(
    name="grounding",
    package=__name__,
    content_model=GroundingContent,
    handlers=handlers,
    intents=(
        Intent(name="GroundingIntent", slots={"exercise": "EXERCISE"}),
        Intent(name="QuickGroundingIntent"),
        Intent(name="AnotherExerciseIntent"),
        Intent(name="SetPaceIntent", slots={"pace": "PACE"}),
        Intent(name="AMAZON.NextIntent"),
        Intent(name="AMAZON.PauseIntent"),
        Intent(name="AMAZON.ResumeIntent"),
        Intent(name="AMAZON.StartOverIntent"),
    ),
    resume=GroundingResume(),
    start=start,
    help=grounding_help,
    menu_position=1,
)
