"""Helpers shared by the bench scripts: timing, the JSON results file and the MADE step setup."""

import os
import time


from tfgen.configs import common
from tfgen.training.optimizers import build_optimizer
from tfgen.utils import atomic

NOTE = "ratios from one run on this machine; absolute seconds are machine-specific"


def best_time(function, repeats=3):
  """Shortest wall time of `repeats` calls, after one warm-up call (tracing)."""
  function()
  times = []
  for _ in range(repeats):
    start = time.perf_counter()
    function()
    times.append(time.perf_counter() - start)
  return min(times)


def default_output(script_file, name):
  return os.path.join(os.path.dirname(os.path.abspath(script_file)), "results", f"{name}.json")


def report(results, output):
  """Prints `results` line by line and writes them as JSON to `output`."""
  results = dict(results, note=NOTE)
  atomic.write_json(output, results)  # Makes the folder too.
  for key, value in results.items():
    print(f"{key}: {value}")
  print(f"wrote {output}")


def build_and_compile(model, weights, jit_compile, optimizer_name="adam", learning_rate=1e-3):
  """Builds a 28x28x1 `model`, sets `weights` (unless None) and compiles it (tfgen's optimizers)."""
  model.build((None, 28, 28, 1))
  if weights is not None:
    model.set_weights(weights)
  optimizer = common.base_config().optimizer
  optimizer.update(name=optimizer_name, learning_rate=learning_rate, schedule="constant")
  model.compile(optimizer=build_optimizer(optimizer, 1), jit_compile=jit_compile)
  return model


def mask_cycling_steps(model, batches, first_step=0):
  """Losses of one train_on_batch per batch, each on the next mask of a MADE."""
  losses = []
  for index, batch in enumerate(batches):
    model.use_mask(first_step + index)
    losses.append(float(model.train_on_batch(batch)))
  return losses
