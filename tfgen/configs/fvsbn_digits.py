"""FVSBN on the embedded 8x8 digits (17 levels, softmax regression per pixel).

  python -m tfgen.train --config=tfgen/configs/fvsbn_digits.py --workdir=runs/fvsbn_digits
"""

from tfgen.configs import common


def get_config():
  config = common.base_config()
  config.data.name = "digits"  # scikit-learn's digits, split 70/15/15.
  config.data.batch_size = 32  # Small data: small batches.

  config.model.name = "fvsbn"
  config.model.ordering = "natural"  # Row-major pixel order.
  config.model.l2 = 1e-4  # Weight penalty: 1258 training digits overfit quickly.
  config.model.seed = 0  # Seeds a random ordering (unused with natural).

  config.head.name = "categorical"  # Softmax over 17 levels, on one-hot earlier pixels.

  config.optimizer.learning_rate = 3e-3  # Peak learning rate of Adam.
  config.training.num_epochs = 40  # Under a minute on 2 cores.
  return config
