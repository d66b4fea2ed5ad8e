"""MADE, one hidden layer of 500 units and a direct connection, on the fixed binarized MNIST.

  python -m tfgen.train --config=tfgen/configs/made_binarized_mnist.py --workdir=runs/made_bmnist \
      --config.data.path=../shared/data/binarized_mnist.npz

Without data.path the data comes from TFDS `binarized_mnist` (needs a network once).
"""

from tfgen.configs import common


def get_config():
  config = common.binarized_mnist_config()

  config.model.hidden_units = (500,)  # MADE paper: one hidden layer of 500 units.
  config.model.ordering = "natural"  # Row-major pixel order.
  config.model.hidden_degrees = "random"  # Hidden-unit degrees drawn as in the paper.
  config.model.direct_connection = True  # Masked input -> output weights (the paper's 88.40 has none).
  config.model.activation = "relu"  # Hidden activation.
  config.model.seed = 0  # Seeds the ordering and the hidden degrees.


  config.optimizer.learning_rate = 5e-3  # Peak learning rate of Adam (1e-3 reached 103.6 nats in 20 epochs).

  config.training.num_epochs = 20  # About 10 s an epoch on 2 CPU cores.
  return config
