"""tfgen's models, and `build` to make one from a config."""

from tfgen.models.autoregressive import (FVSBN, MADE, NADE, AutoregressiveModel, CharRNN,
                                         TransformerLM, WaveNet)
from tfgen.models.flows import MAF, NICE, RealNVP
from tfgen.models.generative_model import GenerativeModel
from tfgen.models.latent import VAE, Autoencoder, ConditionalVAE
from tfgen.models.registry import build

__all__ = ["Autoencoder", "AutoregressiveModel", "CharRNN", "ConditionalVAE", "FVSBN",
           "GenerativeModel", "MADE", "MAF", "NADE", "NICE", "RealNVP", "TransformerLM", "VAE",
           "WaveNet", "build"]
