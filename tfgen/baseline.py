r"""Negative log-likelihood of independent per-pixel categoricals fit on train: a floor to beat.

  python -m tfgen.baseline --dataset=binarized_mnist --path=../shared/data/binarized_mnist.npz

Prints one human line, then the same JSON line as tfgen.evaluate.
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

import json

from absl import app
from absl import flags

_DATASET = flags.DEFINE_string("dataset", "digits", "A tfgen.data.load name.")
_PATH = flags.DEFINE_string("path", None, "Local file or folder instead of TFDS.")
_DATA_DIR = flags.DEFINE_string("data_dir", None, "TFDS data folder.")
_SPLIT = flags.DEFINE_enum("split", "test", ["train", "valid", "test"], "Split to score.")


def main(argv):
  del argv
  from tfgen.training import baselines  # pylint: disable=import-outside-toplevel
  result = binary.run_main("tfgen.baseline", lambda: baselines.independent_pixel_nll(
      _DATASET.value, _SPLIT.value, _PATH.value, _DATA_DIR.value))
  print(f"independent pixels on {result['dataset']} {result['split']} ({result['num_examples']} "
        f"examples): {result['nll_nats']:.2f} nats per example, {result['bits_per_dim']:.4f} bits/dim")
  print(json.dumps(result))


if __name__ == "__main__":
  app.run(main)
