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


def run_app(program, main):
  """`absl.app.run(main)`, with a config file that fails to load named in one line.

  ml_collections loads a --config file while absl parses the flags, before
  `main`: a syntax error or a failing `get_config()` in the user's file would
  otherwise end in a traceback through absl and importlib.
  """
  from absl import app  # pylint: disable=import-outside-toplevel

  def parse_flags(argv):
    try:
      return app.parse_flags_with_usage(argv)
    except (SyntaxError, ImportError, NameError, AttributeError, TypeError, KeyError) as error:
      sys.exit(f"{program}: error: cannot load the config file "
               f"({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})")

  app.run(main, flags_parser=parse_flags)


def config_from_flag(name="config"):
  """The ConfigDict that a config-file flag loaded; a missing or broken file raises a ValueError.

  ml_collections reports a missing file as "Failed loading config file
  config_config", without the path; this names the path the user gave.
  """
  from absl import flags  # pylint: disable=import-outside-toplevel
  from ml_collections import config_flags  # pylint: disable=import-outside-toplevel
  flag = flags.FLAGS[name]
  path = config_flags.get_config_filename(flag)
  if not os.path.isfile(path):
    raise ValueError(f"--{name}={path}: no such file")
  config = flag.value
  try:
    config.to_dict()  # A config that failed to load raises on any use.
  except OSError as error:
    cause = error.__cause__ or error
    details = [line.strip() for line in str(cause).splitlines() if line.strip()]
    raise ValueError(f"--{name}={path}: cannot load it ({details[-1] if details else cause})") from None
  return config
