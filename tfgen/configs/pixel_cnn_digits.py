"""PixelCNN on the embedded 8x8 digits, 17 grey levels, Categorical head (the demo's image model).

  python -m tfgen.train --config=tfgen/configs/pixel_cnn_digits.py --workdir=runs/pixel_cnn_digits
"""

from tfgen.configs import common


def get_config():
  config = common.digits_config()

  config.model.name = "pixel_cnn"  # A tfgen.models.registry name.
  config.model.num_filters = 32  # Width of the 3x3 masked convolutions (the residual stream has 64).
  config.model.num_residual_blocks = 3  # Three blocks reach every earlier pixel but the blind spot.
  config.model.kernel_size = 3  # Masked 3x3 convolutions in the blocks.
  config.model.input_kernel_size = 5  # The type-A input convolution (7 covers most of an 8x8 image).
  config.model.num_output_filters = 64  # Hidden 1x1 output layer.

  config.optimizer.learning_rate = 2e-3  # Peak learning rate of Adam.
  config.optimizer.clipnorm = 1.0  # Gradient-norm clipping.
  config.training.num_epochs = 12  # 1257 training digits: the best validation NLL comes near epoch 8.
  return config
