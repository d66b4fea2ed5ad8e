"""MADE on the embedded 8x8 digits, 17 grey levels, Categorical head: the demo's model.

  python -m tfgen.train --config=tfgen/configs/made_digits.py --workdir=runs/made_digits
"""

from tfgen.configs import common


def get_config():
  config = common.digits_config()

  config.model.hidden_units = (256, 256)  # Two masked hidden layers (512 fits no better here).
  config.model.ordering = "natural"  # Row-major pixel order.
  config.model.hidden_degrees = "random"  # Hidden-unit degrees drawn as in the MADE paper.
  config.model.direct_connection = True  # Masked input -> output weights as well.
  config.model.activation = "relu"  # Hidden activation.
  config.model.seed = 0  # Seeds the ordering and the hidden degrees.
  config.model.input_encoding = "scalar"  # One scaled input per pixel (one-hot inputs overfit here).


  config.optimizer.learning_rate = 2e-3  # Peak learning rate of Adam.
  config.optimizer.schedule = "cosine"  # Cosine decay over the run.
  config.optimizer.clipnorm = 1.0  # Gradient-norm clipping.

  return config
