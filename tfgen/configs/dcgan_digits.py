"""DCGAN on the embedded 8x8 digits (17 grey levels), non-saturating loss.

  python -m tfgen.train --config=tfgen/configs/dcgan_digits.py --workdir=runs/dcgan_digits
  python -m tfgen.sample --workdir=runs/dcgan_digits --output=dcgan_samples.png
  python -m tfgen.evaluate --workdir=runs/dcgan_digits --split=test   # sample quality

WORKDIR/samples/epoch_NNN.png shows the same 64 z after every epoch.
"""

from tfgen.configs import common


def get_config():
  config = common.gan_digits_config()
  config.model.name = "dcgan"  # A tfgen.models.registry name.
  config.model.latent_size = 32  # Size of z ~ N(0, I).
  config.model.num_filters = 64  # Filters at full resolution (8x8); 128 at 4x4.
  config.model.loss = "non_saturating"  # Or minimax, hinge, wgan_gp, least_squares.
  config.model.num_discriminator_steps = 1  # D steps per G step.
  config.model.discriminator_normalization = "batch"  # "layer" or "none" for wgan_gp.
  config.model.spectral_norm = False  # Spectral normalization on D's layers.
  config.model.upsampling = "transposed"  # Or "resize" against checkerboard artifacts.
  return config
