r"""Exact negative log-likelihood of a trained workdir on a data split.

  python -m tfgen.evaluate --workdir=runs/made --split=test

Prints one human line, then one JSON line:
  {"model", "dataset", "split", "num_examples", "nll_nats", "bits_per_dim"}
"""

import json

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags


_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder written by tfgen.train.")
_SPLIT = flags.DEFINE_enum("split", "test", ["train", "valid", "test"], "Data split.")
_BATCH_SIZE = flags.DEFINE_integer("batch_size", 500, "Examples per batch.")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  from tfgen.training import evaluate_lib  # pylint: disable=import-outside-toplevel
  result = binary.run_main("tfgen.evaluate", lambda: evaluate_lib.evaluate(
      _WORKDIR.value, _SPLIT.value, _BATCH_SIZE.value))
  print(f"{result['model']} on {result['dataset']} {result['split']} "
        f"({result['num_examples']} examples): {result['nll_nats']:.2f} nats per example, "
        f"{result['bits_per_dim']:.4f} bits/dim")
  print(json.dumps(result))


if __name__ == "__main__":
  app.run(main)
