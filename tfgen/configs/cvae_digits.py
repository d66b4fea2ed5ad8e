"""A conditional VAE on the embedded 8x8 digits: p(x | class) with a learned prior p(z | class).

  python -m tfgen.train --config=tfgen/configs/cvae_digits.py --workdir=runs/cvae_digits
  python -m tfgen.sample --workdir=runs/cvae_digits --label=7 --output=sevens.png
"""

from tfgen.configs import vae_digits


def get_config():
  config = vae_digits.get_config()
  config.data.with_labels = True  # Each image comes with its digit.
  config.model.name = "conditional_vae"  # A tfgen.models.registry name.
  config.model.num_conditions = 10  # The ten digits.
  config.model.prior = "learned"  # p(z | class); "standard" for N(0, I).
  return config
