r"""Exports a trained workdir.

  python -m export --workdir=runs/made_digits --format=saved_model --output=exported [--version=1]
  python -m export --workdir=runs/names --format=tflite --quantize=fp16 --output=exported

The SavedModel goes to OUTPUT/NAME/VERSION (TF Serving's layout), NAME the
workdir's folder name unless --model_name is given; serve it with
`tensorflow_model_server --rest_api_port=8501 --model_name=NAME --model_base_path=$PWD/OUTPUT/NAME`.
TFLite goes to OUTPUT/NAME.tflite (NAME_fp16, NAME_dynamic, NAME_int8.tflite when quantized):
the serving signatures that convert to builtin ops, checked in LiteRT.
"""

from tfgen import binary  # pylint: disable=unused-import  (quiets TensorFlow first)

from absl import app
from absl import flags
from absl import logging

_WORKDIR = flags.DEFINE_string("workdir", None, "A trained tfgen run.")
_FORMAT = flags.DEFINE_enum("format", "saved_model", ["saved_model", "tflite"], "What to write.")
_QUANTIZE = flags.DEFINE_enum(
    "quantize", "none", ["none", "fp16", "dynamic", "int8"],
    "TFLite: float32, float16 weights, dynamic-range int8 weights, or full int8 (weights and "
    "activations, calibrated on training data).")
_SIGNATURES = flags.DEFINE_list(
    "signatures", None, "--format=tflite: the signatures to convert (default: all that convert).")
_NUM_CALIBRATION_EXAMPLES = flags.DEFINE_integer(
    "num_calibration_examples", 100, "--quantize=int8: training inputs per signature.")
_OUTPUT = flags.DEFINE_string("output", "exported", "The model base folder.")
_MODEL_NAME = flags.DEFINE_string("model_name", None, "Default: the workdir's folder name.")
_VERSION = flags.DEFINE_integer("version", 1, "The version folder (TF Serving serves the highest).")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  logging.set_verbosity(logging.WARNING)  # SavedModel writing logs every step at INFO.
  import os  # pylint: disable=import-outside-toplevel
  from export import saved_model_lib  # pylint: disable=import-outside-toplevel
  from export import tflite_lib  # pylint: disable=import-outside-toplevel
  name = _MODEL_NAME.value or os.path.basename(os.path.normpath(_WORKDIR.value))
  if _FORMAT.value == "tflite":
    suffix = "" if _QUANTIZE.value == "none" else f"_{_QUANTIZE.value}"
    binary.run_main("export", lambda: tflite_lib.export(
        _WORKDIR.value, os.path.join(_OUTPUT.value, f"{name}{suffix}.tflite"), _QUANTIZE.value,
        num_calibration_examples=_NUM_CALIBRATION_EXAMPLES.value,
        signature_keys=_SIGNATURES.value))
    return
  if _QUANTIZE.value != "none":
    binary.run_main("export", lambda: (_ for _ in ()).throw(
        ValueError("--quantize applies to --format=tflite")))
  binary.run_main("export", lambda: saved_model_lib.export(
      _WORKDIR.value, _OUTPUT.value, name, _VERSION.value))


if __name__ == "__main__":
  app.run(main)
