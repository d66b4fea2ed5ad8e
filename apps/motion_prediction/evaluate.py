r"""Scores a trained motion model by the CMU-Mocap benchmark protocol, beside zero velocity.

  python -m apps.motion_prediction.evaluate --workdir=runs/motion_seq2seq \
      [--data=cmu:../shared/data/mocap/cmu_expmap] [--output=results.json]

Prints the Euler-angle error at 80 ... 1000 ms for every test action, under the
published 8-window protocol and a 256-window one with its spread, for the model
and for zero velocity (computed in the same run), and writes JSON (default
WORKDIR/benchmark.json) with the NLL per frame and the run's CPU minutes.
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

_WORKDIR = flags.DEFINE_string("workdir", None, "A run of apps.motion_prediction.train.")
_DATA = flags.DEFINE_string("data", None, "The test source; default: the run's own.")
_OUTPUT = flags.DEFINE_string("output", None, "JSON file (default WORKDIR/benchmark.json).")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  from apps.motion_prediction import evaluate_lib  # pylint: disable=import-outside-toplevel
  results, table = binary.run_main("apps.motion_prediction.evaluate", lambda: evaluate_lib.evaluate(
      _WORKDIR.value, _DATA.value, output=_OUTPUT.value))
  print(table)
  nll = ", ".join(f"{action} {value:.2f}" for action, value in results["nll_per_frame"].items())
  print(f"NLL per frame (nats, normalised values, teacher-forced): {nll}")
  print(f"training took {results['cpu_minutes']} CPU minutes")


if __name__ == "__main__":
  app.run(main)
