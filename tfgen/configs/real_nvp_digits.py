"""RealNVP on the embedded 8x8 digits, dequantized (17 grey levels -> [0, 1), logit transform).

  python -m tfgen.train --config=tfgen/configs/real_nvp_digits.py --workdir=runs/real_nvp_digits
  python -m tfgen.evaluate --workdir=runs/real_nvp_digits --split=test
"""

from tfgen.configs import common


def get_config():
  config = common.flow_digits_config()
  config.model.name = "real_nvp"  # A tfgen.models.registry name.
  config.model.num_scales = 2  # 8x8x1 -> squeeze -> 4x4x4, half factored out -> 4x4x2.
  config.model.filters = (64, 64)  # Each coupling's conv conditioner.
  return config
