"""User-facing errors: each names the file at fault and what to do about it.

The command line turns an ``SDSegError`` into a one-line message and exit code 2, so
anything a user can fix by changing their input is raised as one of these.
"""


class SDSegError(Exception):
    """Base class for errors caused by the user's input, not by a bug."""


class DataError(SDSegError):
    """An image, mask or dataset folder cannot be used as it is."""


class CheckpointError(SDSegError):
    """A model folder or training checkpoint is missing or does not match."""


class ConfigError(SDSegError):
    """A preset or override names an unknown key or an invalid value."""


class DivergenceError(SDSegError):
    """Training's loss or gradients stayed non-finite: the run cannot recover by itself."""
