"""tfgen's models, and `build` to make one from a config."""

from tfgen.models.autoregressive import (FVSBN, MADE, NADE, AutoregressiveModel, CharRNN,
                                         TransformerLM, WaveNet)
from tfgen.models.registry import build

__all__ = ["AutoregressiveModel", "CharRNN", "FVSBN", "MADE", "NADE", "TransformerLM", "WaveNet",
           "build"]
