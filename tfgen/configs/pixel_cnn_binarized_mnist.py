"""PixelCNN (van den Oord et al. 2016) on the fixed binarized MNIST (50k/10k/10k), test NLL in nats.

  python -m tfgen.train --config=tfgen/configs/pixel_cnn_binarized_mnist.py \
      --workdir=runs/pixel_cnn_bmnist --config.data.path=../shared/data/binarized_mnist.npz
  python -m tfgen.evaluate --workdir=runs/pixel_cnn_bmnist --split=test

The budget is 90 minutes on 2 CPU cores; an epoch takes about 4.8 minutes at
this size with the cores to itself. The paper's 81.30 nats used a larger model
trained for many more epochs: docs/experiments.md has the longer recipe.
"""

from tfgen.configs import common


def get_config():
  config = common.binarized_mnist_config()

  config.model.name = "pixel_cnn"  # A tfgen.models.registry name.
  config.model.num_filters = 64  # Width of the 3x3 masked convolutions (the residual stream has 128).
  config.model.num_residual_blocks = 7  # Residual blocks of masked 3x3 convolutions.
  config.model.kernel_size = 3  # As in the paper.
  config.model.input_kernel_size = 7  # The 7x7 type-A input convolution of the paper.
  config.model.num_output_filters = 128  # Hidden 1x1 output layer.

  config.data.batch_size = 64  # Examples per step.
  config.optimizer.learning_rate = 1e-3  # Peak learning rate of Adam.
  config.optimizer.clipnorm = 1.0  # Gradient-norm clipping.
  config.training.num_epochs = 13  # About 63 minutes on 2 CPU cores (87.81 test nats).
  return config
