"""The members app's import kinds (found here by the pipeline's registry)."""

from unionworks.members.roll_import import RollImporter  # noqa: F401  (registers "roll")
