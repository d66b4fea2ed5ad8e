"""Latent-variable models: the autoencoder, VAE, conditional VAE and IWAE estimates."""

from tfgen.models.latent.autoencoder import Autoencoder
from tfgen.models.latent.conditional_vae import ConditionalVAE
from tfgen.models.latent.vae import VAE

__all__ = ["Autoencoder", "ConditionalVAE", "VAE"]
