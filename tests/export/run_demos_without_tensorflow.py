"""Runs phone demos in a process that cannot import TensorFlow, Keras or tfgen.

  python -m tests.export.run_demos_without_tensorflow '[["generate_text", ["--model=...", ...]], ...]'

Each entry is a module of export.demos and its command-line arguments; prints
"clean" when no refused module was imported along the way.
"""

import importlib
import importlib.abc
import json
import sys

REFUSED = ("tensorflow", "keras", "tf_keras", "tensorflow_probability", "tfgen", "apps")


class _Refuse(importlib.abc.MetaPathFinder):
  """Makes `import tensorflow` (and Keras, tfgen, apps) fail, as on a phone."""

  def find_spec(self, name, path=None, target=None):
    if name.split(".")[0] in REFUSED:
      raise ImportError(f"{name} is not on this device")
    return None


sys.meta_path.insert(0, _Refuse())


def main(spec):
  for module, argv in json.loads(spec):
    importlib.import_module(f"export.demos.{module}").main(argv)
  loaded = sorted(name for name in sys.modules if name.split(".")[0] in REFUSED)
  print("clean" if not loaded else f"imported: {loaded}")


if __name__ == "__main__":
  main(sys.argv[1])
