"""TFLite: file size, step latency and the accuracy each quantization costs, in one run.

  python bench/export.py [--text_workdir=runs/bench/export_names]
      [--image_workdir=runs/bench/export_made_digits] [--output=bench/results/export.json]

Two trained runs: a char-RNN on the census names (the text app) and a MADE
on the 8x8 digits. Missing workdirs are trained here first, briefly (a few
CPU minutes); `make demo`'s runs/demo/names_rnn and runs/demo/made_digits
are longer-trained ones to pass instead. For fp32, fp16, dynamic-range int8 and full int8 (calibrated on
100 training inputs) it reports, each beside float32 in the same run:

- size: the whole model file, and the `initial_state` + `step` file a phone
  ships for text;
- accuracy: test NLL in nats (text: nats a character through the LiteRT step,
  the loop a phone runs; image: nats an image through the LiteRT `log_prob`),
  and its change relative to the Keras model's NLL; and the int8 text step
  calibrated on 10x the inputs (--more_calibration_examples);
- latency of one cached text step (batch 1): LiteRT against a `tf.function`
  call of the same step (`next_params`); and of one image network pass.

Then the REST server's requests a second with and without --batching
(`bench/export_serve.py`).
"""

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # pylint: disable=wrong-import-position
import tensorflow as tf  # pylint: disable=wrong-import-position
from ai_edge_litert import interpreter as litert  # pylint: disable=wrong-import-position

from apps.text_generation import train_lib as text_train_lib  # pylint: disable=wrong-import-position
from bench import bench_util  # pylint: disable=wrong-import-position
from bench import export_serve  # pylint: disable=wrong-import-position
from export import tflite_lib  # pylint: disable=wrong-import-position
from tfgen.configs import made_digits  # pylint: disable=wrong-import-position
from tfgen.training import run  # pylint: disable=wrong-import-position
from tfgen.training import train_lib  # pylint: disable=wrong-import-position
from tfgen.training.workdir import Workdir  # pylint: disable=wrong-import-position

QUANTIZATIONS = ("none", "fp16", "dynamic", "int8")


def ensure_runs(text_workdir, image_workdir):
  """Trains the runs that are missing, briefly."""
  if not os.path.exists(Workdir(text_workdir).best_weights_path):
    print(f"training {text_workdir} (2 x 100 steps)")
    text_train_lib.train("names", "rnn", text_workdir, {"training.num_epochs": 2,
                                                        "training.steps_per_epoch": 100}, verbose=0)
  if not os.path.exists(Workdir(image_workdir).best_weights_path):
    print(f"training {image_workdir} (3 epochs)")
    config = made_digits.get_config()
    config.training.num_epochs = 3
    train_lib.train(config, image_workdir, verbose=0)


def test_examples(workdir, num_examples):
  config, _ = Workdir(workdir).read_config()
  x, _ = next(iter(run.split_batches(config, "test", num_examples)))
  return np.asarray(x, np.float32)


def step_nll(path, sequences):
  """Mean -log p(sequence) / length in nats, by the LiteRT `step` loop (batch 1)."""
  interpreter = litert.Interpreter(model_path=path)
  initial, step = (interpreter.get_signature_runner(key) for key in ("initial_state", "step"))
  total = 0.0
  for sequence in sequences:
    state = initial(batch_size=np.array(1, np.int32))
    previous = 0.0
    for position, token in enumerate(sequence):
      out = step(previous=np.array([[previous]], np.float32),
                 position=np.array(position, np.int32), **state)
      logits = out["params"][0].astype(np.float64)
      total -= logits[int(token)] - np.log(np.sum(np.exp(logits - logits.max()))) - logits.max()
      state = {name: value for name, value in out.items() if name.startswith("state_")}
      previous = float(token)
  return total / sequences.size


def text_bench(workdir, folder, num_sequences, num_calibration_examples):
  model, _, _ = Workdir(workdir).load_model()
  sequences = test_examples(workdir, num_sequences)
  keras_nll = float(-np.mean(model.log_prob(sequences).numpy()) / sequences.shape[1])
  results = {"text_keras_nats_per_char": round(keras_nll, 4)}
  for quantize in QUANTIZATIONS:
    whole = tflite_lib.export(workdir, os.path.join(folder, f"text_{quantize}.tflite"), quantize,
                              print_fn=lambda _: None)
    step_only = tflite_lib.export(workdir, os.path.join(folder, f"text_step_{quantize}.tflite"),
                                  quantize, print_fn=lambda _: None,
                                  signature_keys=["initial_state", "step"])
    nll = step_nll(step_only["path"], sequences)
    results[f"text_{quantize}_bytes"] = whole["bytes"]
    results[f"text_step_{quantize}_bytes"] = step_only["bytes"]
    results[f"text_{quantize}_nats_per_char"] = round(nll, 4)
    results[f"text_{quantize}_nll_change"] = round(nll / keras_nll - 1.0, 4)
  # More calibration: does int8's NLL cost shrink with 10x the inputs?
  more = tflite_lib.export(workdir, os.path.join(folder, "text_step_int8_more.tflite"), "int8",
                           print_fn=lambda _: None, signature_keys=["initial_state", "step"],
                           num_calibration_examples=num_calibration_examples)
  nll = step_nll(more["path"], sequences)
  results["text_step_int8_more_calibration_examples"] = num_calibration_examples
  results["text_step_int8_more_nats_per_char"] = round(nll, 4)
  results["text_step_int8_more_nll_change"] = round(nll / keras_nll - 1.0, 4)
  # One cached step, batch 1: LiteRT against the same step in a tf.function.
  state = model.start_state(1)
  compiled = tf.function(model.next_params)
  previous, position = tf.constant([[3.0]]), tf.constant(5)
  tf_seconds = bench_util.best_time(lambda: [compiled(previous, position, state)
                                             for _ in range(200)])
  runner = litert.Interpreter(model_path=os.path.join(folder, "text_step_none.tflite")
                              ).get_signature_runner("step")
  flat = {f"state_{index}": leaf.numpy() for index, leaf in enumerate(tf.nest.flatten(state))}
  inputs = dict(previous=previous.numpy(), position=np.array(5, np.int32), **flat)
  litert_seconds = bench_util.best_time(lambda: [runner(**inputs) for _ in range(200)])
  results["text_step_tf_function_us"] = round(tf_seconds / 200 * 1e6, 1)
  results["text_step_litert_us"] = round(litert_seconds / 200 * 1e6, 1)
  results["text_step_latency_ratio"] = round(litert_seconds / tf_seconds, 3)
  return results


def image_bench(workdir, folder, num_images):
  model, _, _ = Workdir(workdir).load_model()
  images = test_examples(workdir, num_images)
  keras_nll = float(-np.mean(model.log_prob(images).numpy()))
  results = {"image_keras_nats": round(keras_nll, 3)}
  for quantize in QUANTIZATIONS:
    exported = tflite_lib.export(workdir, os.path.join(folder, f"image_{quantize}.tflite"),
                                 quantize, print_fn=lambda _: None)
    runner = litert.Interpreter(model_path=exported["path"]).get_signature_runner("log_prob")
    nll = float(-np.mean(runner(x=images.astype(np.uint8))["log_prob"]))
    results[f"image_{quantize}_bytes"] = exported["bytes"]
    results[f"image_{quantize}_nats"] = round(nll, 3)
    results[f"image_{quantize}_nll_change"] = round(nll / keras_nll - 1.0, 4)
  # One network pass (what each pixel of a sample costs without a cache), batch 1.
  one = images[:1]
  compiled = tf.function(model.log_prob)
  tf_seconds = bench_util.best_time(lambda: [compiled(one) for _ in range(100)])
  runner = litert.Interpreter(model_path=os.path.join(folder, "image_none.tflite")
                              ).get_signature_runner("log_prob")
  one_uint8 = one.astype(np.uint8)
  litert_seconds = bench_util.best_time(lambda: [runner(x=one_uint8) for _ in range(100)])
  results["image_pass_tf_function_us"] = round(tf_seconds / 100 * 1e6, 1)
  results["image_pass_litert_us"] = round(litert_seconds / 100 * 1e6, 1)
  results["image_pass_latency_ratio"] = round(litert_seconds / tf_seconds, 3)
  return results


def main():
  parser = argparse.ArgumentParser(description=__doc__)
  parser.add_argument("--text_workdir", default="runs/bench/export_names")
  parser.add_argument("--image_workdir", default="runs/bench/export_made_digits")
  parser.add_argument("--num_test", type=int, default=200,
                      help="Test sequences (text) and images scored.")
  parser.add_argument("--num_requests", type=int, default=400, help="For the REST bench.")
  parser.add_argument("--more_calibration_examples", type=int, default=1000,
                      help="A second int8 text step model calibrated on this many inputs.")
  parser.add_argument("--output", default=bench_util.default_output(__file__, "export"))
  args = parser.parse_args()
  started = time.time()
  ensure_runs(args.text_workdir, args.image_workdir)
  folder = tempfile.mkdtemp(prefix="bench_export_")
  results = {"text_workdir": args.text_workdir, "image_workdir": args.image_workdir,
             "num_test": args.num_test}
  results.update(text_bench(args.text_workdir, folder, args.num_test,
                            args.more_calibration_examples))
  results.update(image_bench(args.image_workdir, folder, args.num_test))
  for prefix in ("text", "text_step", "image"):
    for quantize in QUANTIZATIONS[1:]:
      results[f"{prefix}_{quantize}_size_ratio"] = round(
          results[f"{prefix}_{quantize}_bytes"] / results[f"{prefix}_none_bytes"], 3)
  results.update(export_serve.measure(args.num_requests))
  results["minutes"] = round((time.time() - started) / 60.0, 1)
  bench_util.report(results, args.output)


if __name__ == "__main__":
  main()
