"""tfgen's models, and `build` to make one from a config."""

from tfgen.models.autoregressive import MADE, AutoregressiveModel
from tfgen.models.registry import build

__all__ = ["AutoregressiveModel", "MADE", "build"]
