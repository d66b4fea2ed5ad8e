r"""Streams text from a trained character model.

  python -m apps.text_generation.generate --workdir=runs/shakespeare_rnn --prompt="ROMEO:" \
      --length=500 --temperature=0.8 [--top_k=N] [--top_p=P] [--seed=N]
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

import sys

from absl import app
from absl import flags

_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder of apps.text_generation.train.")
_PROMPT = flags.DEFINE_string("prompt", "", "Text to continue.")
_LENGTH = flags.DEFINE_integer("length", 500, "Characters to generate.")
_TEMPERATURE = flags.DEFINE_float("temperature", 1.0, "Sampling temperature (> 0).")
_TOP_K = flags.DEFINE_integer("top_k", 0, "Keep the k likeliest characters (0 = all).")
_TOP_P = flags.DEFINE_float("top_p", 1.0, "Nucleus sampling mass (1 = all).")
_SEED = flags.DEFINE_integer("seed", None, "Seed for repeatable text.")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  from apps.text_generation import generate_lib  # pylint: disable=import-outside-toplevel

  def stream(chunk):
    sys.stdout.write(chunk)
    sys.stdout.flush()

  binary.run_main("apps.text_generation.generate", lambda: generate_lib.generate(
      _WORKDIR.value, _PROMPT.value, _LENGTH.value, _TEMPERATURE.value, _TOP_K.value, _TOP_P.value,
      _SEED.value, on_text=stream))
  sys.stdout.write("\n")


if __name__ == "__main__":
  app.run(main)
