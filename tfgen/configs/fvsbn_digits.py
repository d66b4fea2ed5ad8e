"""FVSBN on the embedded 8x8 digits (17 levels, softmax regression per pixel).

  python -m tfgen.train --config=tfgen/configs/fvsbn_digits.py --workdir=runs/fvsbn_digits
"""

from tfgen.configs import common


def get_config():
  config = common.digits_config()

  config.model.name = "fvsbn"  # A tfgen.models.registry name.
  config.model.ordering = "natural"  # Row-major pixel order.
  config.model.l2 = 1e-4  # Weight penalty: 1258 training digits overfit quickly.
  config.model.seed = 0  # Seeds a random ordering (unused with natural).


  config.optimizer.learning_rate = 3e-3  # Peak learning rate of Adam.
  return config
