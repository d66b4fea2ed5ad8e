"""MAF (five MADE layers) on the embedded 8x8 digits, dequantized.

  python -m tfgen.train --config=tfgen/configs/maf_digits.py --workdir=runs/maf_digits
  python -m tfgen.evaluate --workdir=runs/maf_digits --split=test
"""

from tfgen.configs import common


def get_config():
  config = common.digits_config()
  config.head.name = "none"  # Flows model the dequantized values themselves.

  config.model.name = "maf"  # A tfgen.models.registry name.
  config.model.num_flows = 5  # Autoregressive layers, orderings alternating.
  config.model.hidden_units = (256,)  # Each MADE's hidden layers.
  config.model.logit_alpha = 0.05  # Logit transform of the dequantized pixels.
  config.model.seed = 0  # Seeds the MADE degrees and the dequantization noise.

  config.optimizer.learning_rate = 1e-3  # Peak learning rate of Adam.
  config.training.num_epochs = 100  # A couple of minutes on 2 CPU cores.
  config.training.early_stopping_patience = 15  # Stop when validation NLL stalls.
  return config
