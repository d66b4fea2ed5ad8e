"""RealNVP on the embedded 8x8 digits, dequantized (17 grey levels -> [0, 1), logit transform).

  python -m tfgen.train --config=tfgen/configs/real_nvp_digits.py --workdir=runs/real_nvp_digits
  python -m tfgen.evaluate --workdir=runs/real_nvp_digits --split=test
"""

from tfgen.configs import common


def get_config():
  config = common.digits_config()
  config.head.name = "none"  # Flows model the dequantized values themselves.

  config.model.name = "real_nvp"  # A tfgen.models.registry name.
  config.model.num_scales = 2  # 8x8x1 -> squeeze -> 4x4x4, half factored out -> 4x4x2.
  config.model.filters = (64, 64)  # Each coupling's conv conditioner.
  config.model.logit_alpha = 0.05  # Logit transform of the dequantized pixels.
  config.model.seed = 0  # Seeds the dequantization noise.

  config.optimizer.learning_rate = 1e-3  # Peak learning rate of Adam.
  config.training.num_epochs = 100  # A few minutes on 2 CPU cores.
  config.training.early_stopping_patience = 15  # Stop when validation NLL stalls.
  return config
