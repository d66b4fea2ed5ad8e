r"""Trains a CycleGAN between two unpaired image domains.

  python -m apps.style_transfer.train --domain_a=photos/ --domain_b=paintings/ --workdir=runs/style
  python -m apps.style_transfer.train --domain_a=tfds:cycle_gan/horse2zebra \
      --domain_b=tfds:cycle_gan/horse2zebra --preset=paper --workdir=runs/horse2zebra
  python -m apps.style_transfer.train   # the embedded default: two photos' patches, ~3 minutes

Rerunning the same command resumes a killed run. WORKDIR/samples/epoch_NNN.png
shows A -> B -> A and B -> A -> B strips after every epoch.
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

from apps.style_transfer import configs

_DOMAIN_A = flags.DEFINE_string(
    "domain_a", "embedded:china", "Domain A: a folder of images, tfds:cycle_gan/NAME, or "
    "embedded:china|flower|digits|restyled_digits.")
_DOMAIN_B = flags.DEFINE_string("domain_b", "embedded:flower", "Domain B, as domain A.")
_WORKDIR = flags.DEFINE_string("workdir", None, "Run folder (default runs/style_A_B).")
_PRESET = flags.DEFINE_enum("preset", "demo", list(configs.PRESETS),
                            "Network size and recipe (see apps/style_transfer/configs.py).")
_SET = flags.DEFINE_multi_string(
    "set", [], "Config overrides section.field=VALUE, e.g. --set=model.identity_weight=0 "
    "(fields: apps/style_transfer/configs.py).")
_NUM_EPOCHS = flags.DEFINE_integer("num_epochs", 0, "Epochs; 0 = the preset's.")
_STEPS_PER_EPOCH = flags.DEFINE_integer("steps_per_epoch", 0,
                                        "Training steps per epoch; 0 = the preset's.")
_OVERWRITE = flags.DEFINE_bool("overwrite", False, "Delete the run already in the workdir, "
                                "whatever its config, and start afresh.")


def main(argv):
  del argv
  from apps.style_transfer import train_lib  # pylint: disable=import-outside-toplevel
  workdir = _WORKDIR.value or train_lib.default_workdir(_DOMAIN_A.value, _DOMAIN_B.value)
  from tfgen.configs import common  # pylint: disable=import-outside-toplevel
  overrides = {f"training.{name}": flag.value for name, flag in (
      ("num_epochs", _NUM_EPOCHS), ("steps_per_epoch", _STEPS_PER_EPOCH)) if flag.value}
  overrides.update(binary.run_main("apps.style_transfer.train",
                                   lambda: common.parse_overrides(_SET.value)))
  summary = binary.run_main("apps.style_transfer.train", lambda: train_lib.train(
      _DOMAIN_A.value, _DOMAIN_B.value, workdir, _PRESET.value, overrides,
      overwrite=_OVERWRITE.value))
  print(f"trained to epoch {summary['best_epoch']}; translations in {summary['translations']}; "
        f"workdir {workdir}")


if __name__ == "__main__":
  app.run(main)
