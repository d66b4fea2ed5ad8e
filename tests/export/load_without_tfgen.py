"""Runs one signature of a SavedModel in a process that cannot import tfgen, apps or export.

  python load_without_tfgen.py SAVED_MODEL SIGNATURE INPUTS.npz OUTPUTS.npz

Prints the signature names (one line, comma-separated) and writes the outputs.
"""

import importlib.abc
import sys


class _Refuse(importlib.abc.MetaPathFinder):
  """Makes `import tfgen` (and apps, export) fail, as on a serving host."""

  def find_spec(self, name, path=None, target=None):
    if name.split(".")[0] in ("tfgen", "apps", "export"):
      raise ImportError(f"{name} is not installed on this host")
    return None


sys.meta_path.insert(0, _Refuse())

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def main(path, signature, inputs_path, outputs_path):
  loaded = tf.saved_model.load(path)
  print(",".join(sorted(loaded.signatures)))
  inputs = {name: tf.constant(value) for name, value in np.load(inputs_path).items()}
  outputs = loaded.signatures[signature](**inputs)
  np.savez(outputs_path, **{name: value.numpy() for name, value in outputs.items()})
  assert not any(name.split(".")[0] in ("tfgen", "apps", "export") for name in sys.modules)


if __name__ == "__main__":
  main(*sys.argv[1:])
