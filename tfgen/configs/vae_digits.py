"""A small VAE on the embedded 8x8 digits (17 grey levels, Categorical head) for the demo.

  python -m tfgen.train --config=tfgen/configs/vae_digits.py --workdir=runs/vae_digits
"""

from tfgen.configs import common


def get_config():
  config = common.digits_config()

  config.model.name = "vae"  # A tfgen.models.registry name.
  config.model.latent_size = 2  # A 2-D latent, so the test digits can be plotted in it.
  config.model.network = "mlp"  # MLP encoder and decoder.
  config.model.hidden_units = (128, 128)  # Hidden layers of each network.
  config.model.activation = "relu"  # Hidden activation.
  config.model.beta = 1.0  # Weight of the KL term.
  config.model.num_importance_samples = 1  # 1 = train on the ELBO.
  config.model.seed = 0  # Seeds the reparameterization noise.

  config.optimizer.learning_rate = 2e-3  # Peak learning rate of Adam.
  config.training.num_epochs = 100  # About a minute on 2 CPU cores.
  return config
