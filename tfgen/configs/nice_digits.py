"""NICE on the embedded 8x8 digits, dequantized (17 grey levels -> [0, 1), logit transform).

  python -m tfgen.train --config=tfgen/configs/nice_digits.py --workdir=runs/nice_digits
  python -m tfgen.evaluate --workdir=runs/nice_digits --split=test     # nats and bits/dim
"""

from tfgen.configs import common


def get_config():
  config = common.flow_digits_config()
  config.model.name = "nice"  # A tfgen.models.registry name.
  config.model.num_couplings = 4  # Additive coupling layers, as in NICE.
  config.model.hidden_units = (256, 256)  # Each coupling's MLP.
  return config
