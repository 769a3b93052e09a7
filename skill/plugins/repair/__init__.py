"""Repair guidance: from an injury back to safety, then a guided repair, step by step."""

from skill.plugin import Intent, Plugin
from skill.plugins.repair.content import RepairContent
from skill.plugins.repair.handlers import RepairResume, handlers, repair_help, start

plugin: Plugin[RepairContent] = Plugin(
    name="repair",
    package=__name__,
    content_model=RepairContent,
    handlers=handlers,
    intents=(
        Intent(name="RepairIntent"),
        Intent(name="RepairCausedIntent"),
        Intent(name="RepairReceivedIntent"),
        Intent(name="PreviousStepIntent"),
        Intent(name="AMAZON.NextIntent"),
        Intent(name="AMAZON.ResumeIntent"),
        Intent(name="AMAZON.StartOverIntent"),
        Intent(name="AMAZON.YesIntent"),
        Intent(name="AMAZON.NoIntent"),
    ),
    resume=RepairResume(),
    start=start,
    help=repair_help,
    menu_position=3,
)
