r"""Anomaly scores from a trained run's likelihood (PixelDefend): per-image NLL and bits/dim.

  python -m tfgen.score --workdir=runs/pixel_cnn_digits --input=my_images/ --output=scores.csv
  python -m tfgen.score --workdir=runs/pixel_cnn_bmnist \
      --ood=other_digits.npy --histogram=ood.png

--input and --ood take a .npy array, a .npz with one array (or FILE.npz:KEY),
or a folder of 8-bit images of the model's size (their 0..255 levels mapped to
the run's levels). With --ood the run's test split is scored too, and the
AUROC says how well NLL tells the two apart (0.5 = chance, 1 = every other
image scores worse than every test image). Prints one human line per set, then
one JSON line.
"""

import json

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder written by tfgen.train.")
_INPUT = flags.DEFINE_string("input", None, "Images to score: .npy, .npz[:KEY] or a folder.")
_OOD = flags.DEFINE_string(
    "ood", None, "Out-of-distribution images: report the AUROC of NLL, test split against them.")
_OUTPUT = flags.DEFINE_string("output", None, "CSV of --input's per-image NLL and bits/dim.")
_HISTOGRAM = flags.DEFINE_string("histogram", None, "With --ood: PNG of both sets' bits/dim.")
_BITS_MAP = flags.DEFINE_string(
    "bits_map", None, "PNG of per-pixel bits for --input's first 8 images (autoregressive models).")
_BATCH_SIZE = flags.DEFINE_integer("batch_size", 256, "Images per batch.", lower_bound=1)
_SEED = flags.DEFINE_integer("seed", 0, "Seeds any noise of the score (dequantization, VAEs).")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  from tfgen.training import score_lib  # pylint: disable=import-outside-toplevel
  result = binary.run_main("tfgen.score", lambda: score_lib.score(
      _WORKDIR.value, _INPUT.value, _OOD.value, _OUTPUT.value, _HISTOGRAM.value, _BITS_MAP.value,
      _BATCH_SIZE.value, _SEED.value))
  for key in ("input", "test", "ood"):
    if key in result:
      part = result[key]
      print(f"{key} ({part['num_images']} images): {part['mean_nll_nats']:.2f} nats per image "
            f"(median {part['median_nll_nats']:.2f}), {part['mean_bits_per_dim']:.4f} bits/dim")
  if "auroc" in result:
    print(f"AUROC of NLL, test split against --ood: {result['auroc']:.4f}")
  print(json.dumps(result))


if __name__ == "__main__":
  app.run(main)
