"""Gated PixelCNN (van den Oord et al. 2016) on the fixed binarized MNIST (50k/10k/10k), test NLL in nats.

  python -m tfgen.train --config=tfgen/configs/gated_pixel_cnn_binarized_mnist.py \
      --workdir=runs/gated_pixel_cnn_bmnist --config.data.path=../shared/data/binarized_mnist.npz
  python -m tfgen.evaluate --workdir=runs/gated_pixel_cnn_bmnist --split=test

The budget is 90 minutes on 2 CPU cores; an epoch takes about 3.8 minutes at
this size with the cores to itself. pytorch-generative reports 81.5 nats with
a wider, deeper model trained much longer: docs/experiments.md has the recipe.
"""

from tfgen.configs import common


def get_config():
  config = common.binarized_mnist_config()

  config.model.name = "gated_pixel_cnn"  # A tfgen.models.registry name.
  config.model.num_filters = 32  # Width of the vertical and horizontal stacks.
  config.model.num_layers = 6  # Gated layers.
  config.model.kernel_size = 3  # Of the layers after the first.
  config.model.input_kernel_size = 7  # Of the first layer.
  config.model.num_output_filters = 64  # Hidden 1x1 output layer.
  config.model.num_conditions = 0  # Classes to condition on; binarized MNIST has no labels.

  config.data.batch_size = 64  # Examples per step.
  config.optimizer.learning_rate = 1e-3  # Peak learning rate of Adam.
  config.optimizer.clipnorm = 1.0  # Gradient-norm clipping.
  config.training.jit_compile = False  # XLA gains 5% a step here (274 ms against 289 at batch 64).
  config.training.num_epochs = 20  # About 75 minutes on 2 CPU cores.
  return config
