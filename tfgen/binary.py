"""Shared start-up of the tfgen binaries: quiet TensorFlow, one-line errors."""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def run_main(program, function):
  """Calls `function()`; turns a bad-input error into one line on stderr and exit 1."""
  import tensorflow as tf  # pylint: disable=import-outside-toplevel
  try:
    return function()
  except (ValueError, OSError) as error:
    lines = str(error).strip().splitlines() or [type(error).__name__]
    sys.exit(f"{program}: error: {lines[0]}")
  except tf.errors.OpError as error:
    sys.exit(f"{program}: error: {error.message.splitlines()[0]}")
