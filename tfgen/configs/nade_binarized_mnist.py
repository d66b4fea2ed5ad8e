"""NADE, 500 sigmoid hidden units, on the fixed binarized MNIST (50k/10k/10k).

  python -m tfgen.train --config=tfgen/configs/nade_binarized_mnist.py --workdir=runs/nade_bmnist \
      --config.data.path=../shared/data/binarized_mnist.npz
"""

from tfgen.configs import common


def get_config():
  config = common.binarized_mnist_config()

  config.model.name = "nade"  # A tfgen.models.registry name.
  config.model.hidden_units = 500  # As in the NADE paper.
  config.model.ordering = "natural"  # Row-major pixel order.
  config.model.activation = "sigmoid"  # As in the paper.
  config.model.seed = 0  # Seeds a random ordering (unused with natural).
  config.model.log_prob_method = "recurrence"  # Or "prefix_sums" (vectorised cumsum trick), same numbers.


  config.optimizer.learning_rate = 3e-3  # Peak learning rate of Adam.

  config.training.num_epochs = 30  # Passes over the 50k training images.
  return config
