"""NICE on the embedded 8x8 digits, dequantized (17 grey levels -> [0, 1), logit transform).

  python -m tfgen.train --config=tfgen/configs/nice_digits.py --workdir=runs/nice_digits
  python -m tfgen.evaluate --workdir=runs/nice_digits --split=test     # nats and bits/dim
"""

from tfgen.configs import common


def get_config():
  config = common.digits_config()
  config.head.name = "none"  # Flows model the dequantized values themselves.

  config.model.name = "nice"  # A tfgen.models.registry name.
  config.model.num_couplings = 4  # Additive coupling layers, as in NICE.
  config.model.hidden_units = (256, 256)  # Each coupling's MLP.
  config.model.logit_alpha = 0.05  # Logit transform of the dequantized pixels.
  config.model.seed = 0  # Seeds the dequantization noise.

  config.optimizer.learning_rate = 1e-3  # Peak learning rate of Adam.
  config.training.num_epochs = 100  # About two minutes on 2 CPU cores.
  config.training.early_stopping_patience = 15  # Stop when validation NLL stalls.
  return config
