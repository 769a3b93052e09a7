"""Blueprint reflection: the inherited-blueprint questions, asked aloud, resumed next time."""

from skill.plugin import Intent, Plugin
from skill.plugins.reflection.content import ReflectionContent
from skill.plugins.reflection.handlers import ReflectionResume, handlers, reflection_help, start

plugin: Plugin[ReflectionContent] = Plugin(
    name="reflection",
    package=__name__,
    content_model=ReflectionContent,
    handlers=handlers,
    intents=(
        Intent(name="ReflectionIntent"),
        Intent(name="SkipQuestionIntent"),
        Intent(name="PreviousQuestionIntent"),
        Intent(name="FirstQuestionIntent"),
        Intent(name="HowManyLeftIntent"),
        Intent(name="AMAZON.NextIntent"),
        Intent(name="AMAZON.ResumeIntent"),
        Intent(name="AMAZON.StartOverIntent"),
        Intent(name="AMAZON.YesIntent"),
        Intent(name="AMAZON.NoIntent"),
    ),
    resume=ReflectionResume(),
    start=start,
    help=reflection_help,
    menu_position=2,
)
