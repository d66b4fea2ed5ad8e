r"""Exports a trained workdir.

  python -m export --workdir=runs/made_digits --format=saved_model --output=exported [--version=1]

The SavedModel goes to OUTPUT/NAME/VERSION (TF Serving's layout), NAME the
workdir's folder name unless --model_name is given; serve it with
`tensorflow_model_server --rest_api_port=8501 --model_name=NAME --model_base_path=$PWD/OUTPUT/NAME`.
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags
from absl import logging

_WORKDIR = flags.DEFINE_string("workdir", None, "A trained tfgen run.")
_FORMAT = flags.DEFINE_enum("format", "saved_model", ["saved_model"], "What to write.")
_OUTPUT = flags.DEFINE_string("output", "exported", "The model base folder.")
_MODEL_NAME = flags.DEFINE_string("model_name", None, "Default: the workdir's folder name.")
_VERSION = flags.DEFINE_integer("version", 1, "The version folder (TF Serving serves the highest).")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  logging.set_verbosity(logging.WARNING)  # SavedModel writing logs every step at INFO.
  from export import saved_model_lib  # pylint: disable=import-outside-toplevel
  binary.run_main("export", lambda: saved_model_lib.export(
      _WORKDIR.value, _OUTPUT.value, _MODEL_NAME.value, _VERSION.value))


if __name__ == "__main__":
  app.run(main)
