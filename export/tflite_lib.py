"""A trained workdir as one TFLite model: the serving signatures that convert to builtin ops.

  OUTPUT.tflite, with one LiteRT signature per converted serving signature
  (a sequence model's `initial_state` and `step`, a VAE's `encode` / `decode`,
  a GAN's `generate`, ...), in float32, float16 weights (`fp16`) or
  dynamic-range int8 weights (`dynamic`).

The model is saved as a SavedModel first (in a temporary folder) and converted
from it, signature by signature, with `TFLITE_BUILTINS` only: a Flex op would
convert but not run in LiteRT, so such a signature is left out and named, with
the op that stopped it. The result is then run in LiteRT beside the SavedModel
on a few inputs; the export fails when they differ by more than the tolerance
of its quantization, and only then is OUTPUT written (atomically).
"""

import os
import re
import shutil
import tempfile
import time

import tensorflow as tf
from ai_edge_litert import interpreter as litert

from export import saved_model_lib
from tfgen.training.workdir import Workdir
from tfgen.utils import atomic

# Largest |LiteRT - TensorFlow| difference accepted on the example inputs, by quantization.
TOLERANCES = {"none": 1e-4, "fp16": 5e-2, "dynamic": 2.5e-1}


def _converter(path, keys, quantize):
  converter = tf.lite.TFLiteConverter.from_saved_model(path, signature_keys=list(keys))
  converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
  if quantize == "fp16":
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.target_spec.supported_types = [tf.float16]
  elif quantize == "dynamic":
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
  return converter


def _first_error(error):
  """The ops that stopped a conversion ("TensorListReserve, ..."), or its first line."""
  text = str(error)
  ops = [op for op in dict.fromkeys(re.findall(r'fused\["(\w+):', text))
         if op not in ("StatefulPartitionedCall", "PartitionedCall", "While")]
  if ops:
    return f"not TFLite builtins: {', '.join(ops[:4])}"
  return text.strip().splitlines()[0][:200]


def export(workdir, output, quantize="none", print_fn=print):
  """Converts `workdir`'s model; returns {"path", "signatures", "skipped", "bytes", "max_diff"}."""
  if quantize not in TOLERANCES:
    raise ValueError(f"quantize must be one of {', '.join(TOLERANCES)}, got {quantize!r}")
  started = time.time()
  model, config, _ = Workdir(workdir).load_model()
  print_fn(f"build: {config.model.name} from {workdir} ({model.count_params()} parameters)")
  signatures = model.serving_signatures()
  folder = tempfile.mkdtemp(prefix="tfgen_tflite_")
  try:
    saved_model_lib.save(model, signatures, folder)
    converted, skipped = [], {}
    for key in sorted(signatures):
      try:
        _converter(folder, [key], quantize).convert()
        converted.append(key)
      except Exception as error:  # pylint: disable=broad-except  (the converter raises many kinds)
        skipped[key] = _first_error(error)
    for key, reason in skipped.items():
      print_fn(f"convert: {key} left out: {reason}")
    if not converted:
      raise ValueError(f"no serving signature of {type(model).__name__} converts to TFLite "
                       f"builtin ops ({', '.join(sorted(skipped))} tried)")
    print_fn(f"convert: {', '.join(converted)} ({quantize})")
    flatbuffer = _converter(folder, converted, quantize).convert()
    max_diff = verify(flatbuffer, folder, converted, TOLERANCES[quantize])
    print_fn(f"verify: max |tensorflow - litert| = {max_diff:.2e} "
             f"(tolerance {TOLERANCES[quantize]:g})")
  finally:
    shutil.rmtree(folder, ignore_errors=True)
  with atomic.atomic_path(output) as temporary:
    with open(temporary, "wb") as handle:
      handle.write(flatbuffer)
  print_fn(f"wrote {output} ({os.path.getsize(output) / 1e6:.3f} MB) in "
           f"{time.time() - started:.1f} s")
  return {"path": output, "signatures": converted, "skipped": skipped,
          "bytes": os.path.getsize(output), "max_diff": max_diff}


def verify(flatbuffer, saved_model_path, keys, tolerance):
  """Runs each signature in LiteRT and in TensorFlow on example inputs; the max difference."""
  loaded = tf.saved_model.load(saved_model_path)
  interpreter = litert.Interpreter(model_content=flatbuffer)
  largest = 0.0
  for key in keys:
    function = loaded.signatures[key]
    inputs = saved_model_lib.example_inputs(saved_model_lib.named_specs(function), batch_size=1)
    expected = function(**inputs)
    got = interpreter.get_signature_runner(key)(**{name: value.numpy()
                                                  for name, value in inputs.items()})
    largest = max(largest, saved_model_lib.max_difference(
        key, expected, got, tolerance, "LiteRT differs from TensorFlow"))
  return largest
