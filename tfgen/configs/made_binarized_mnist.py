"""MADE, one hidden layer of 8000 units, dropout and a direct connection, on the fixed binarized MNIST.

  python -m tfgen.train --config=tfgen/configs/made_binarized_mnist.py --workdir=runs/made_bmnist \
      --config.data.path=../shared/data/binarized_mnist.npz

Without data.path the data comes from TFDS `binarized_mnist` (needs a network once).
"""

from tfgen.configs import common


def get_config():
  config = common.binarized_mnist_config()

  # The MADE paper's MNIST command (github.com/mgermain/MADE) uses layers of 8000 units:
  # a wide layer gives every output degree many hidden units. 500 units reached 91.68 nats.
  config.model.hidden_units = (8000,)  # One hidden layer.
  config.model.ordering = "natural"  # Row-major pixel order.
  config.model.hidden_degrees = "random"  # Hidden-unit degrees drawn as in the paper.
  config.model.direct_connection = True  # Masked input -> output weights (the paper's command has them too).
  config.model.activation = "relu"  # Hidden activation.
  # 8000 units overfit (train 74.5 / validation 89.6 nats without dropout); 0.3 gave 89.15.
  config.model.dropout = 0.5  # Dropout rate on the hidden units in training.
  config.model.seed = 0  # Seeds the ordering and the hidden degrees.
  # "bfloat16" runs training-step matmuls on the CPU's AMX/AVX512-BF16 units; use it with
  # training.jit_compile=False (XLA's CPU dots ignore them). python bench/xla_training_step.py.
  config.model.training_matmul_dtype = "float32"  # Matmul precision of training steps only.


  config.optimizer.learning_rate = 1e-3  # Peak learning rate of Adam.

  config.training.num_epochs = 30  # About 40 s an epoch on 2 CPU cores.
  return config
