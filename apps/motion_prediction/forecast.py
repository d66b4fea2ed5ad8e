r"""Forecasts a motion clip with a trained run; writes truth and forecast as stick figures.

  python -m apps.motion_prediction.forecast --workdir=runs/motion_seq2seq \
      --input=../shared/data/mocap/cmu_expmap/test/walking/walking_1.txt \
      --observe=50 --frames=25 --output=walking.gif
  python -m apps.motion_prediction.forecast --workdir=runs/motion_mdn --input=synthetic:200 \
      --num_samples=3 --output=futures.gif

OUTPUT.gif animates the clip: ground truth on the left, the forecast on the
right (several drawn futures overlaid with --num_samples), grey while observed.
OUTPUT.png is a strip of the last observed frame and the forecast.
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

_WORKDIR = flags.DEFINE_string("workdir", None, "A run of apps.motion_prediction.train.")
_INPUT = flags.DEFINE_string("input", "synthetic:200",
                             "A .bvh file, a .txt expmap file, or synthetic[:SEED[:ACTION]].")
_OBSERVE = flags.DEFINE_integer("observe", 50, "Frames read before forecasting (25 a second).")
_FRAMES = flags.DEFINE_integer("frames", 25, "Frames to forecast.")
_START = flags.DEFINE_integer("start", 0, "First frame of the clip to read.")
_NUM_SAMPLES = flags.DEFINE_integer("num_samples", 1,
                                    "Futures to draw (a mixture density run); 1 = the mean "
                                    "rollout.")
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the drawn futures.")
_ACTION = flags.DEFINE_string("action", None, "The action, for a run trained with action labels.")
_OUTPUT = flags.DEFINE_string("output", "forecast.gif", "The GIF; the PNG strip goes beside it.")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  from apps.motion_prediction import forecast_lib  # pylint: disable=import-outside-toplevel
  result = binary.run_main("apps.motion_prediction.forecast", lambda: forecast_lib.forecast(
      _WORKDIR.value, _INPUT.value, _OUTPUT.value, _OBSERVE.value, _FRAMES.value,
      _NUM_SAMPLES.value, _START.value, _SEED.value, _ACTION.value))
  print(f"wrote {result['gif']} and {result['strip']}")


if __name__ == "__main__":
  app.run(main)
