"""A trained workdir as one TFLite model: the serving signatures that convert to builtin ops.

  OUTPUT.tflite, with one LiteRT signature per converted serving signature
  (`log_prob`, `sample`, `sample_from_noise`, a sequence model's
  `initial_state` and `step`, a VAE's `encode` / `decode`, a GAN's
  `generate`, ...), in float32, float16 weights (`fp16`), dynamic-range int8
  weights (`dynamic`) or full int8 (`int8`: int8 weights and activations,
  calibrated on the run's training data; ops without an int8 kernel, the
  random ones among them, stay float).

The signatures are the model's `serving_signatures(seeded=False)`: the
stateless random kernels are not TFLite builtins, so `sample` draws with
LiteRT's own random ops and `sample_from_noise` replays a draw exactly.

The model is saved as a SavedModel first (in a temporary folder) and converted
from it, signature by signature, with `TFLITE_BUILTINS` only: a Flex op would
convert but not run in LiteRT, so such a signature is left out and named, with
the op that stopped it. The result is then run in LiteRT beside the SavedModel
on a few inputs; the export fails when they differ by more than the tolerance
of its quantization, and only then is OUTPUT written (atomically), with
OUTPUT's stem + ".json" beside it: what a client needs besides the model
(`metadata`: the event shape, value count, vocabulary, class names, noise
shapes), so a phone needs no TensorFlow and no tfgen.
"""

import os
import re
import shutil
import tempfile
import time

import numpy as np
import tensorflow as tf
from ai_edge_litert import interpreter as litert

from export import representative_data
from export import saved_model_lib
from tfgen.training.workdir import Workdir
from tfgen.utils import atomic

# Largest |LiteRT - TensorFlow| difference accepted on the example inputs, by quantization:
# this much, plus RELATIVE_TOLERANCES times the output's largest magnitude (float32 sums of
# thousands of terms, a sequence's log_prob, differ in their last digits). They catch a
# broken conversion; bench/export.py measures the accuracy a quantization costs.
TOLERANCES = {"none": 1e-4, "fp16": 5e-2, "dynamic": 2.5e-1, "int8": 2.5e-1}
RELATIVE_TOLERANCES = {"none": 1e-6, "fp16": 1e-3, "dynamic": 1e-2, "int8": 0.2}

# Signatures whose outputs are draws: LiteRT's random ops are not TensorFlow's, so
# `sample` and `generate` are checked for shape and finiteness; `sample_from_noise` is
# compared exactly in float32, and only for shape and finiteness once quantized (a draw
# flips class where quantization moves a probability across its uniform).
_RANDOM = ("sample", "generate")
_DRAWS = _RANDOM + ("sample_from_noise",)


def _converter(path, keys, quantize, representative=None):
  converter = tf.lite.TFLiteConverter.from_saved_model(path, signature_keys=list(keys))
  converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
  if quantize == "fp16":
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.target_spec.supported_types = [tf.float16]
  elif quantize == "dynamic":
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
  elif quantize == "int8":
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if representative is not None:
      converter.representative_dataset = lambda: (
          (key, inputs) for key in keys for inputs in representative[key])
  return converter


def _convert(folder, keys, quantize, representative_for, print_fn):
  """(keys converted, {key left out: why}, flatbuffer or None if none converts, the int8
  calibration inputs used or None).

  One conversion of every key; when that fails, each key alone (in float32) to
  find the ones that convert, then one conversion of those.
  """
  try:
    representative = representative_for(keys)
    flatbuffer = _converter(folder, keys, quantize, representative).convert()
    print_fn(f"convert: {', '.join(keys)} ({quantize})")
    return keys, {}, flatbuffer, representative
  except Exception:  # pylint: disable=broad-except  (the converter raises many kinds)
    pass
  converted, skipped = [], {}
  for key in keys:
    try:
      _converter(folder, [key], "none").convert()
      converted.append(key)
    except Exception as error:  # pylint: disable=broad-except
      skipped[key] = _first_error(error)
      print_fn(f"convert: {key} left out: {skipped[key]}")
  if not converted:
    return converted, skipped, None, None
  representative = representative_for(converted)
  flatbuffer = _converter(folder, converted, quantize, representative).convert()
  print_fn(f"convert: {', '.join(converted)} ({quantize})")
  return converted, skipped, flatbuffer, representative


def _first_error(error):
  """The ops that stopped a conversion ("TensorListReserve, ..."), or its first line."""
  text = str(error)
  ops = [op for op in dict.fromkeys(re.findall(r'fused\["(\w+):', text))
         if op not in ("StatefulPartitionedCall", "PartitionedCall", "While")]
  if ops:
    return f"not TFLite builtins: {', '.join(ops[:4])}"
  return text.strip().splitlines()[0][:200]


def export(workdir, output, quantize="none", print_fn=print, num_calibration_examples=100,
           signature_keys=None):
  """Converts `workdir`'s model; returns {"path", "signatures", "skipped", "bytes", "max_diff"}.

  Args:
    quantize: "none" (float32), "fp16", "dynamic" or "int8".
    num_calibration_examples: int8 only: calibration inputs per signature, from
      the training data (`representative_data`).
    signature_keys: the serving signatures to convert (e.g. ["initial_state",
      "step"] for a phone that runs the loop itself); default all.
  """
  if quantize not in TOLERANCES:
    raise ValueError(f"quantize must be one of {', '.join(TOLERANCES)}, got {quantize!r}")
  started = time.time()
  model, config, info = Workdir(workdir).load_model()
  print_fn(f"build: {config.model.name} from {workdir} ({model.count_params()} parameters)")
  signatures = model.serving_signatures(seeded=False, keys=signature_keys)
  unknown = sorted(set(signature_keys or ()) - set(signatures))
  if unknown:
    raise ValueError(f"{type(model).__name__} serves no {', '.join(unknown)} (it serves "
                     f"{', '.join(sorted(model.serving_signatures(seeded=False)))})")
  folder = tempfile.mkdtemp(prefix="tfgen_tflite_")
  try:
    saved_model_lib.save(model, signatures, folder)

    def representative_for(keys):
      """int8's calibration inputs for `keys` (None for the other quantizations)."""
      if quantize != "int8":
        return None
      print_fn(f"calibrate: {num_calibration_examples} training inputs per signature")
      return representative_data.representative_inputs(
          model, config, {key: signatures[key] for key in keys}, num_calibration_examples)

    converted, skipped, flatbuffer, representative = _convert(
        folder, sorted(signatures), quantize, representative_for, print_fn)
    if not converted:
      raise ValueError(f"no serving signature of {type(model).__name__} converts to TFLite "
                       f"builtin ops ({', '.join(sorted(skipped))} tried)")
    max_diff = verify(flatbuffer, folder, converted, quantize, representative)
    relative = (f" + {RELATIVE_TOLERANCES[quantize]:g} x |output|"
                if RELATIVE_TOLERANCES[quantize] else "")
    print_fn(f"verify: max |tensorflow - litert| = {max_diff:.2e} "
             f"(tolerance {TOLERANCES[quantize]:g}{relative})")
  finally:
    shutil.rmtree(folder, ignore_errors=True)
  atomic.write_json(metadata_path(output), metadata(model, config, info, converted, quantize))
  with atomic.atomic_path(output) as temporary:
    with open(temporary, "wb") as handle:
      handle.write(flatbuffer)
  print_fn(f"wrote {output} ({os.path.getsize(output) / 1e6:.3f} MB) in "
           f"{time.time() - started:.1f} s")
  return {"path": output, "signatures": converted, "skipped": skipped,
          "bytes": os.path.getsize(output), "max_diff": max_diff}


def metadata_path(output):
  """The JSON beside a .tflite file: NAME.tflite -> NAME.json."""
  return os.path.splitext(output)[0] + ".json"


def metadata(model, config, info, signatures, quantize):
  """What a client reads beside the .tflite file (the interpreter lists the tensors)."""
  return {"model": config.model.name, "dataset": info.name, "quantize": quantize,
          "signatures": list(signatures), "event_shape": list(model.event_shape),
          "num_values": info.num_values, "vocabulary": info.vocabulary,
          "class_names": None if info.class_names is None else list(info.class_names),
          "noise_shapes": {name: list(shape) for name, shape in model.noise_shapes().items()},
          "element_size": getattr(model, "element_size", None),
          "context_length": getattr(model, "context_length", None)}


def verify(flatbuffer, saved_model_path, keys, quantize="none", representative=None,
           num_checks=4):
  """Runs each signature in LiteRT and in TensorFlow on a few inputs; the max difference.

  The inputs are `saved_model_lib.example_inputs`, or the first `num_checks`
  calibration inputs of an int8 model (its activation ranges hold for those).
  Draws (`_DRAWS`) are checked for shape and finiteness where they cannot match.
  """
  loaded = tf.saved_model.load(saved_model_path)
  interpreter = litert.Interpreter(model_content=flatbuffer)
  largest = 0.0
  for key in keys:
    function = loaded.signatures[key]
    if representative is None:
      examples = [{name: value.numpy() for name, value in saved_model_lib.example_inputs(
          saved_model_lib.named_specs(function), batch_size=1).items()}]
    else:
      examples = representative[key][:num_checks]
    for inputs in examples:
      largest = max(largest, _check(key, function(**inputs),
                                    interpreter.get_signature_runner(key)(**inputs), quantize))
  return largest


def _check(key, expected, got, quantize):
  """The max difference of one signature's outputs (0 for draws, which are checked apart)."""
  if key in _RANDOM or (key in _DRAWS and quantize != "none"):
    for name, value in expected.items():
      if tuple(got[name].shape) != tuple(value.shape) or not np.all(np.isfinite(got[name])):
        raise saved_model_lib.ExportMismatchError(
            f"{key}/{name}: LiteRT drew shape {tuple(got[name].shape)} (finite: "
            f"{bool(np.all(np.isfinite(got[name])))}), TensorFlow {tuple(value.shape)}")
    return 0.0
  return saved_model_lib.max_difference(key, expected, got, TOLERANCES[quantize],
                                        "LiteRT differs from TensorFlow",
                                        RELATIVE_TOLERANCES[quantize])
