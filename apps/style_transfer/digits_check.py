r"""Trains (or resumes) the digit-restyling run and scores it against the true restyling.

  python -m apps.style_transfer.digits_check --workdir=runs/style_digits

Prints and writes WORKDIR/digits_check.json: label accuracy of G(digit) under a
classifier of restyled digits, and the pixel error against the true restyling,
each next to the identity mapping (see apps/style_transfer/digits_check_lib.py).
"""

import json

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags

_WORKDIR = flags.DEFINE_string("workdir", "runs/style_digits", "Run folder.")
_SET = flags.DEFINE_multi_string(
    "set", [], "Config overrides section.field=VALUE, e.g. --set=model.identity_weight=0 "
    "(fields: apps/style_transfer/configs.py).")
_NUM_EPOCHS = flags.DEFINE_integer("num_epochs", 0, "Epochs; 0 = the digits preset's.")


def main(argv):
  del argv
  # pylint: disable=import-outside-toplevel
  from apps.style_transfer import digits_check_lib
  from apps.style_transfer import train_lib
  from tfgen.configs import common
  from tfgen.training.workdir import Workdir

  def check():
    overrides = common.parse_overrides(_SET.value)
    if _NUM_EPOCHS.value:
      overrides["training.num_epochs"] = _NUM_EPOCHS.value
    train_lib.train("embedded:digits", "embedded:restyled_digits", _WORKDIR.value, "digits",
                    overrides)
    workdir = Workdir(_WORKDIR.value)
    result = digits_check_lib.evaluate(workdir.path, picture=workdir.picture_path("digits_check"))
    workdir.write_digits_check(result)
    return result

  result = binary.run_main("apps.style_transfer.digits_check", check)
  print(f"G(digit) read as the right digit: {result['label_accuracy']:.3f} (true restyling "
        f"{result['label_accuracy_true_restyling']:.3f}, untranslated "
        f"{result['label_accuracy_identity']:.3f}); pixel error {result['pixel_error']:.1f} "
        f"of 255 (untranslated {result['pixel_error_identity']:.1f})")
  print(json.dumps(result))


if __name__ == "__main__":
  app.run(main)
