"""A trained workdir as a SavedModel in TF Serving's layout, with the model's named signatures.

  OUTPUT/NAME/VERSION/saved_model.pb (+ variables/), loadable with plain
  TensorFlow (`tf.saved_model.load`) and servable unchanged by
  `tensorflow_model_server --model_name=NAME --model_base_path=OUTPUT/NAME`.

Each model says what it serves (`model.serving_signatures()`: a concrete
function with named TensorSpecs per signature); this module builds the model
from the workdir alone, saves those signatures, loads the result back and
checks it against the Keras model on a few inputs before the version folder
appears (the write goes to a temporary folder, renamed at the end).
"""

import os
import shutil
import tempfile
import time

import numpy as np
import tensorflow as tf

from tfgen.training.workdir import Workdir


class ExportMismatchError(RuntimeError):
  """The exported artifact disagrees with the Keras model it came from."""


def export(workdir, output, model_name=None, version=1, print_fn=print, atol=1e-4):
  """Exports the best checkpoint of `workdir`; returns {"path", "signatures", "bytes", "max_diff"}.

  Args:
    workdir: a trained tfgen run (its config.json and best weights).
    output: the model base folder; the SavedModel goes to OUTPUT/NAME/VERSION.
    model_name: NAME; default: the workdir's folder name.
    version: a positive integer (TF Serving serves the highest).
    print_fn: progress lines (build, trace, save, verify) go here.
    atol: the largest difference tolerated between Keras and the export.
  """
  version = int(version)
  if version < 1:
    raise ValueError(f"version must be a positive integer, got {version}")
  model_name = model_name or os.path.basename(os.path.normpath(workdir))
  final = os.path.join(output, model_name, str(version))
  if os.path.exists(final):
    raise ValueError(f"{final} exists; TF Serving versions are immutable, so give --version="
                     f"{version + 1} or remove it")
  started = time.time()
  model, config, _ = Workdir(workdir).load_model()
  print_fn(f"build: {config.model.name} from {workdir} ({model.count_params()} parameters)")
  signatures = model.serving_signatures() if hasattr(model, "serving_signatures") else {}
  if not signatures:
    raise ValueError(f"{type(model).__name__} serves no signatures yet")
  print_fn(f"trace: {', '.join(sorted(signatures))}")
  parent = os.path.join(output, model_name)
  os.makedirs(parent, exist_ok=True)
  for stale in os.listdir(parent):  # Left by a killed export (TF Serving skips such names).
    if stale.startswith(f".{version}.") and stale.endswith(".tmp"):
      shutil.rmtree(os.path.join(parent, stale), ignore_errors=True)
  temporary = tempfile.mkdtemp(prefix=f".{version}.", suffix=".tmp", dir=parent)
  try:
    save(model, signatures, temporary)
    print_fn(f"save: {_size(temporary) / 1e6:.2f} MB")
    max_diff = verify(temporary, signatures, atol)
    print_fn(f"verify: max |keras - export| = {max_diff:.2e} (tolerance {atol:g})")
    os.replace(temporary, final)
  finally:
    if os.path.exists(temporary):
      shutil.rmtree(temporary)
  size = _size(final)
  print_fn(f"wrote {final} ({size / 1e6:.2f} MB) in {time.time() - started:.1f} s")
  return {"path": final, "signatures": sorted(signatures), "bytes": size, "max_diff": max_diff}


def save(model, signatures, path):
  """Writes `signatures` (concrete functions of `model`) as a SavedModel at `path`."""
  module = tf.Module()
  # The signatures capture the model's variables; the module holds just those (the
  # model's own attributes, caches of compiled functions among them, need not be saved).
  module.model_variables = [variable.value for variable in model.variables]
  tf.saved_model.save(module, path, signatures=signatures)


def example_inputs(structured_input, batch_size=3, seed=0):
  """Inputs for a signature's named TensorSpecs: small values that every family accepts."""
  rng = np.random.default_rng(seed)
  inputs = {}
  for name, spec in structured_input.items():
    shape = [batch_size if size is None else size for size in spec.shape]
    if name == "num_samples" or name == "batch_size":
      value = np.array(batch_size, np.int32)
    elif name == "num_frames":
      value = np.array(4, np.int32)
    elif name == "position":
      value = np.array(1, np.int32)
    elif name == "seed":
      value = np.array([1, 2], np.int32)
    elif name == "condition":
      value = np.zeros(shape, np.int32)
    elif name == "uniform":  # Noise away from 0 and 1, where Box-Muller and Gumbel are steep.
      value = rng.uniform(0.05, 0.95, size=shape).astype(np.float32)
    elif name == "z":
      value = rng.normal(size=shape).astype(np.float32)
    elif name == "observed":
      value = rng.normal(size=[batch_size, 5] + list(shape[2:])).astype(np.float32)
    elif spec.dtype == tf.uint8:  # Images: 0 and 1 are values of every model's data.
      value = rng.integers(0, 2, size=shape).astype(np.uint8)
    elif spec.dtype.is_integer:
      value = np.zeros(shape, spec.dtype.as_numpy_dtype)
    else:
      value = rng.uniform(0.0, 1.0, size=shape).round().astype(spec.dtype.as_numpy_dtype)
    inputs[name] = tf.constant(value)
  return inputs


def named_specs(function):
  """{name: TensorSpec} of a concrete function's inputs (positional and keyword)."""
  args, kwargs = function.structured_input_signature
  specs = {spec.name: spec for spec in tf.nest.flatten(args) if spec is not None}
  specs.update(kwargs)
  return specs


def verify(path, signatures, atol):
  """Loads `path` and runs every signature beside the traced function; returns the max difference."""
  loaded = tf.saved_model.load(path)
  largest = 0.0
  for name, function in signatures.items():
    inputs = example_inputs(named_specs(function))
    expected = function(**inputs)
    got = loaded.signatures[name](**inputs)
    if sorted(expected) != sorted(got):
      raise ExportMismatchError(f"{name}: outputs {sorted(got)}, expected {sorted(expected)}")
    largest = max(largest, max_difference(name, expected, got, atol,
                                          "the export differs from the Keras model"))
  return largest


def max_difference(signature, expected, got, tolerance, what, rtol=0.0):
  """The largest |expected - got| over a signature's outputs; ExportMismatchError above tolerance.

  Args:
    expected, got: {output name: tensor or array}.
    tolerance: the absolute difference accepted, plus `rtol` times the output's
      largest magnitude (a quantized model's error grows with its outputs' range).
    what: the message's subject, e.g. "LiteRT differs from TensorFlow".
  """
  largest = 0.0
  for key, value in expected.items():
    value = np.asarray(value)
    difference = float(np.max(np.abs(value - np.asarray(got[key])), initial=0.0))
    limit = tolerance + rtol * float(np.max(np.abs(value), initial=0.0))
    if not difference <= limit:
      raise ExportMismatchError(f"{signature}/{key}: {what} by {difference:.3g} "
                                f"(> {limit:.3g})")
    largest = max(largest, difference)
  return largest


def _size(path):
  return sum(os.path.getsize(os.path.join(folder, name))
             for folder, _, names in os.walk(path) for name in names)
