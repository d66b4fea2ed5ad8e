"""Class-conditional Gated PixelCNN on the embedded 8x8 digits: p(x | digit), 17 grey levels.

  python -m tfgen.train --config=tfgen/configs/gated_pixel_cnn_labeled_digits.py \
      --workdir=runs/gated_pixel_cnn_digits
  python -m tfgen.sample --workdir=runs/gated_pixel_cnn_digits --label=7 --output=sevens.png
  python -m tfgen.evaluate --workdir=runs/gated_pixel_cnn_digits --split=test   # -log p(x | digit)
"""

from tfgen.configs import common


def get_config():
  config = common.digits_config()
  config.data.with_labels = True  # Each image comes with its digit.

  config.model.name = "gated_pixel_cnn"  # A tfgen.models.registry name.
  config.model.num_filters = 32  # Width of the vertical and horizontal stacks.
  config.model.num_layers = 4  # Gated layers: enough to see every earlier pixel of an 8x8 digit.
  config.model.kernel_size = 3  # Of the layers after the first.
  config.model.input_kernel_size = 5  # Of the first layer.
  config.model.num_output_filters = 64  # Hidden 1x1 output layer.
  config.model.num_conditions = 10  # The ten digits, added inside every gate.

  config.optimizer.learning_rate = 2e-3  # Peak learning rate of Adam.
  config.optimizer.clipnorm = 1.0  # Gradient-norm clipping.
  config.training.num_epochs = 12  # 1257 training digits: more overfits.
  return config
