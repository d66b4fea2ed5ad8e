"""NADE on the embedded 8x8 digits (17 levels, Categorical conditionals on one-hot inputs).

  python -m tfgen.train --config=tfgen/configs/nade_digits.py --workdir=runs/nade_digits
"""

from tfgen.configs import common


def get_config():
  config = common.digits_config()

  config.model.name = "nade"  # A tfgen.models.registry name.
  config.model.hidden_units = 128  # Hidden units shared by every conditional.
  config.model.ordering = "natural"  # Row-major pixel order.
  config.model.activation = "sigmoid"  # As in the paper.
  config.model.seed = 0  # Seeds a random ordering (unused with natural).
  config.model.log_prob_method = "recurrence"  # Or "prefix_sums" (vectorised cumsum trick), same numbers.


  config.optimizer.learning_rate = 3e-3  # Peak learning rate of Adam.
  return config
