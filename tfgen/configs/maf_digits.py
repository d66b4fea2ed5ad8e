"""MAF (five MADE layers) on the embedded 8x8 digits, dequantized.

  python -m tfgen.train --config=tfgen/configs/maf_digits.py --workdir=runs/maf_digits
  python -m tfgen.evaluate --workdir=runs/maf_digits --split=test
"""

from tfgen.configs import common


def get_config():
  config = common.flow_digits_config()
  config.model.name = "maf"  # A tfgen.models.registry name.
  config.model.num_flows = 5  # Autoregressive layers, orderings alternating.
  config.model.hidden_units = (256,)  # Each MADE's hidden layers.
  return config
