r"""Trains a motion model: a residual GRU, Martinez et al.'s seq2seq, or a mixture density network.

  python -m apps.motion_prediction.train --data=cmu:../shared/data/mocap/cmu_expmap \
      --model=seq2seq --workdir=runs/motion_seq2seq
  python -m apps.motion_prediction.train --data=bvh:clips/ --model=mdn --workdir=runs/motion_mdn
  python -m apps.motion_prediction.train --small   # the synthetic walker, a few minutes

A progress bar runs through each epoch; after it, the validation Euler error
is printed beside zero velocity's. Rerunning the same command resumes a
killed run. The workdir keeps the normalisation statistics, so `forecast` and
`evaluate` need nothing else.
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

from apps.motion_prediction import configs

_DATA = flags.DEFINE_string("data", "synthetic",
                            "cmu:ROOT, h36m:ROOT, bvh:FILE_OR_FOLDER or synthetic.")
_MODEL = flags.DEFINE_enum("model", "residual_gru", list(configs.MODELS),
                           "Network and loss (apps/motion_prediction/configs.py).")
_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder (default runs/motion_MODEL).")
_SMALL = flags.DEFINE_boolean("small", False, "Narrow networks, short runs (the demo's).")
_SET = flags.DEFINE_multi_string(
    "set", [], "Config overrides section.field=VALUE, e.g. --set=training.num_epochs=40 "
    "(fields: apps/motion_prediction/configs.py).")
_OVERWRITE = flags.DEFINE_bool("overwrite", False, "Delete the run already in the workdir, "
                                "whatever its config, and start afresh.")


def main(argv):
  del argv
  from apps.motion_prediction import train_lib  # pylint: disable=import-outside-toplevel
  from tfgen.configs import common  # pylint: disable=import-outside-toplevel
  workdir = _WORKDIR.value or f"runs/motion_{_MODEL.value}"
  overrides = binary.run_main("apps.motion_prediction.train",
                              lambda: common.parse_overrides(_SET.value))
  summary = binary.run_main("apps.motion_prediction.train", lambda: train_lib.train(
      _DATA.value, _MODEL.value, workdir, overrides, small=_SMALL.value,
      overwrite=_OVERWRITE.value))
  print(f"best epoch {summary['best_epoch']} (validation loss {summary['best_val_nll_nats']:.4f}); "
        f"{summary.get('cpu_minutes_total', summary['cpu_minutes_this_run'])} CPU minutes; "
        f"workdir {workdir}")


if __name__ == "__main__":
  app.run(main)
