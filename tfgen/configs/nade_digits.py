"""NADE on the embedded 8x8 digits (17 levels, Categorical conditionals on one-hot inputs).

  python -m tfgen.train --config=tfgen/configs/nade_digits.py --workdir=runs/nade_digits
"""

from tfgen.configs import common


def get_config():
  config = common.base_config()
  config.data.name = "digits"  # scikit-learn's digits, split 70/15/15.
  config.data.batch_size = 32  # Small data: small batches.

  config.model.name = "nade"
  config.model.hidden_units = 128  # Hidden units shared by every conditional.
  config.model.ordering = "natural"  # Row-major pixel order.
  config.model.activation = "sigmoid"  # As in the paper.
  config.model.seed = 0  # Seeds a random ordering (unused with natural).

  config.head.name = "categorical"  # Softmax over 17 levels per pixel.

  config.optimizer.learning_rate = 3e-3  # Peak learning rate of Adam.
  config.training.num_epochs = 40  # About a minute on 2 cores.
  return config
