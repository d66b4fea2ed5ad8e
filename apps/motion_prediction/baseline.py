r"""Prints the zero-velocity baseline of a motion benchmark (8 and 256 windows) and writes JSON.

  python -m apps.motion_prediction.baseline --data=cmu:../shared/data/mocap/cmu_expmap \
      [--output=zero_velocity.json]

The zero-velocity forecast repeats the last observed frame; any model must beat it.
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

_DATA = flags.DEFINE_string("data", None,
                            "cmu:ROOT (ROOT/test/ACTION/*.txt, the CMU-Mocap benchmark), "
                            "h36m:ROOT (subject 5, the SRNN protocol), bvh:PATH or synthetic.")
_OUTPUT = flags.DEFINE_string("output", None, "JSON file for the results.")
flags.mark_flags_as_required(["data"])


def main(argv):
  del argv
  from apps.motion_prediction import baseline_lib  # pylint: disable=import-outside-toplevel
  _, table = binary.run_main("apps.motion_prediction.baseline",
                             lambda: baseline_lib.run(_DATA.value, output=_OUTPUT.value))
  print(table)


if __name__ == "__main__":
  app.run(main)
