r"""Trains a model from a config file into a workdir; rerun the same command to resume.

  python -m tfgen.train --config=tfgen/configs/made_digits.py --workdir=runs/made \
      [--config.training.num_epochs=50] [--warm_start_from=runs/other]
"""

from tfgen import binary  # First: it quiets TensorFlow.

from absl import flags
from ml_collections import config_flags


_CONFIG = config_flags.DEFINE_config_file("config", None, "Config file (get_config()).")
_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder: checkpoints, logs, config.json.")
_WARM_START_FROM = flags.DEFINE_string(
    "warm_start_from", None, "Another run's workdir: a fresh run starts from its latest backup "
    "(weights and optimizer state), e.g. to continue it with dropout.")
_OVERWRITE = flags.DEFINE_bool(
    "overwrite", False, "Delete the run already in --workdir, whatever its config, and start "
    "afresh (without it, a workdir of another config is refused and the same config resumes).")
flags.mark_flags_as_required(["config", "workdir"])


def main(argv):
  del argv
  from tfgen.training import train_lib  # pylint: disable=import-outside-toplevel
  summary = binary.run_main("tfgen.train", lambda: train_lib.train(
      binary.config_from_flag(_CONFIG.name), _WORKDIR.value, warm_start_from=_WARM_START_FROM.value,
      overwrite=_OVERWRITE.value))
  if summary["best_val_nll_nats"] is None:  # A GAN keeps its latest weights.
    print(f"trained to epoch {summary['best_epoch']}; workdir {_WORKDIR.value}")
  else:
    print(f"best validation NLL {summary['best_val_nll_nats']} nats at epoch "
          f"{summary['best_epoch']}; workdir {_WORKDIR.value}")


if __name__ == "__main__":
  binary.run_app("tfgen.train", main)
