"""A conditional DCGAN on the embedded 8x8 digits: G(z, digit) and D(x, digit).

  python -m tfgen.train --config=tfgen/configs/conditional_dcgan_digits.py --workdir=runs/cdcgan_digits
  python -m tfgen.sample --workdir=runs/cdcgan_digits --label=7 --output=sevens.png
  python -m tfgen.evaluate --workdir=runs/cdcgan_digits --split=test   # sample quality
"""

from tfgen.configs import dcgan_digits


def get_config():
  config = dcgan_digits.get_config()
  config.data.with_labels = True  # Each image comes with its digit.
  config.model.num_conditions = 10  # The ten digits, one-hot into G and into D.
  return config
