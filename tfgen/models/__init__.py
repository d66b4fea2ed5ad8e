"""tfgen's models, and `build` to make one from a config."""

from tfgen.models.adversarial import DCGAN, GAN
from tfgen.models.autoregressive import (FVSBN, MADE, NADE, GatedPixelCNN, AutoregressiveModel, CharRNN,
                                         PixelCNN, PixelCNNPlusPlus, PixelRNN, ResidualGRU,
                                         TransformerLM, WaveNet)
from tfgen.models.flows import MAF, NICE, RealNVP
from tfgen.models.generative_model import GenerativeModel
from tfgen.models.latent import VAE, Autoencoder, ConditionalVAE
from tfgen.models.registry import build

__all__ = ["Autoencoder", "AutoregressiveModel", "CharRNN", "ConditionalVAE", "DCGAN", "FVSBN", "GAN", "GatedPixelCNN",
           "GenerativeModel", "MADE", "MAF", "NADE", "NICE", "PixelCNN", "PixelCNNPlusPlus", "PixelRNN", "RealNVP", "ResidualGRU", "TransformerLM", "VAE",
           "WaveNet", "build"]
