r"""Draws samples from a trained workdir and writes a grid image (or a WAV file for audio).

  python -m tfgen.sample --workdir=runs/made --num_samples=64 --output=samples.png [--seed=0]
  python -m tfgen.sample --workdir=runs/wavenet_tones --num_samples=4 --output=tones.wav
  python -m tfgen.sample --workdir=runs/wavenet_labeled_tones --label=square --output=square.wav
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags


_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder written by tfgen.train.")
_NUM_SAMPLES = flags.DEFINE_integer("num_samples", 64, "Number of samples.")
_OUTPUT = flags.DEFINE_string("output", None, "PNG file for the grid, or .wav for audio.")
_SEED = flags.DEFINE_integer("seed", None, "Seed; the same seed gives the same samples.")
_TEMPERATURE = flags.DEFINE_float("temperature", 1.0, "Sampling temperature (> 0).")
_PROBABILITIES = flags.DEFINE_string(
    "probabilities_output", None,
    "Also write PNG pairs (sample, conditional means E[x_i | x_<i]) here, as in the NADE paper.")
_COMPLETIONS = flags.DEFINE_string(
    "completions_output", None,
    "Autoregressive image models: also write PNG rows (test image, its top half, three "
    "completions of the bottom half) here.")
_LABEL = flags.DEFINE_string(
    "label", None, "Conditional models: the class to draw (index or name); default each in turn.")
flags.mark_flags_as_required(["workdir", "output"])


def main(argv):
  del argv
  from tfgen.training import sample_lib  # pylint: disable=import-outside-toplevel
  binary.run_main("tfgen.sample", lambda: sample_lib.sample(
      _WORKDIR.value, _NUM_SAMPLES.value, _OUTPUT.value, _SEED.value, _TEMPERATURE.value,
      _LABEL.value))
  print(f"wrote {_NUM_SAMPLES.value} samples to {_OUTPUT.value}")
  if _PROBABILITIES.value:
    binary.run_main("tfgen.sample", lambda: sample_lib.sample_with_probabilities(
        _WORKDIR.value, 16, _PROBABILITIES.value, _SEED.value))
    print(f"wrote samples with their conditional means to {_PROBABILITIES.value}")
  if _COMPLETIONS.value:
    binary.run_main("tfgen.sample", lambda: sample_lib.complete(
        _WORKDIR.value, 8, _SEED.value, output=_COMPLETIONS.value))
    print(f"wrote completions of test images' bottom halves to {_COMPLETIONS.value}")


if __name__ == "__main__":
  app.run(main)
