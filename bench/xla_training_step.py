"""MADE mask-ensemble training steps compiled with XLA against the plain tf.function step.

  python bench/xla_training_step.py [--hidden_units=8000,8000] [--batch_sizes=100,250]

The switch behind `--config.training.jit_compile=True`. A step of a 2x8000 MADE
spends much of its time in elementwise passes over the 64M-entry middle kernel:
the mask select built from degrees, its gradient and the optimizer update. XLA
fuses them. Each side runs the same Keras `train_on_batch` with a new mask every
step (as `MaskCycler` does), from the same weights; the losses of the first steps
are checked to agree before timing. Run it with nothing else on the cores.
Ratios only: absolute seconds are this machine's.

Second comparison, at the first batch size, with the paper's AdaGrad: the XLA
step against a plain step whose masked matmuls run in bfloat16
(`--config.model.training_matmul_dtype=bfloat16 --config.training.jit_compile=False`).
XLA's CPU dots do not use the AMX/AVX512-BF16 units; oneDNN's do, while the mask
select and `FusedAdagrad`'s update stay XLA-fused kernels of their own. Losses of
the first steps must agree to bfloat16 rounding (rtol 1e-2).
"""

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # pylint: disable=wrong-import-position
import numpy as np  # pylint: disable=wrong-import-position

from bench import bench_util  # pylint: disable=wrong-import-position
from tfgen import heads  # pylint: disable=wrong-import-position
from tfgen.models import MADE  # pylint: disable=wrong-import-position

NUM_MASKS = 32
NUM_TIMED_STEPS = 5


def make_model(hidden_units, jit_compile, weights=None, training_matmul_dtype="float32",
               optimizer_name="adam", learning_rate=1e-3):
  model = MADE((28, 28, 1), heads.Bernoulli(), hidden_units=hidden_units, ordering="random",
               direct_connection=True, num_masks=NUM_MASKS, seed=0,
               training_matmul_dtype=training_matmul_dtype)
  return bench_util.build_and_compile(model, weights, jit_compile=jit_compile,
                                      optimizer_name=optimizer_name, learning_rate=learning_rate)


def bfloat16_speedup(hidden_units, weights, batches):
  """(XLA float32 step time / plain bfloat16-matmul step time, both losses) with AdaGrad."""
  sides = {}
  for name, jit_compile, dtype in (("xla_float32", True, "float32"),
                                   ("plain_bfloat16", False, "bfloat16")):
    model = make_model(hidden_units, jit_compile, weights, training_matmul_dtype=dtype,
                       optimizer_name="adagrad", learning_rate=0.01)
    losses = bench_util.mask_cycling_steps(model, batches[:2])  # Also traces and compiles.
    start = time.perf_counter()
    bench_util.mask_cycling_steps(model, batches[2:], first_step=2)
    sides[name] = (time.perf_counter() - start) / NUM_TIMED_STEPS, losses
    del model
  np.testing.assert_allclose(sides["plain_bfloat16"][1], sides["xla_float32"][1], rtol=1e-2)
  return sides["xla_float32"][0] / sides["plain_bfloat16"][0]


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("--output", default=bench_util.default_output(__file__, "xla_training_step"))
  parser.add_argument("--hidden_units", default="8000,8000")
  parser.add_argument("--batch_sizes", default="100,250")
  args = parser.parse_args()
  hidden_units = [int(units) for units in args.hidden_units.split(",")]
  batch_sizes = [int(size) for size in args.batch_sizes.split(",")]

  rng = np.random.default_rng(0)
  keras.utils.set_random_seed(0)
  plain = make_model(hidden_units, jit_compile=False)
  xla = make_model(hidden_units, jit_compile=True, weights=plain.get_weights())
  results = {
      "model": (f"MADE 784-{'-'.join(map(str, hidden_units))}-784, direct connection, "
                f"random order, {NUM_MASKS} masks cycled one per step; Adam, "
                f"AdaGrad 0.01 in the bfloat16 comparison"),
      "timed_steps": NUM_TIMED_STEPS,
  }
  first_step = 0
  xla_seconds_per_example = {}
  for batch_size in batch_sizes:
    batches = [(rng.random((batch_size, 28, 28, 1)) < 0.3).astype(np.float32)
               for _ in range(NUM_TIMED_STEPS + 2)]
    # Same weights and optimizer state on both sides, so the same losses (to float rounding).
    plain_losses = bench_util.mask_cycling_steps(plain, batches[:2], first_step)
    # Also the XLA compile for this shape.
    xla_losses = bench_util.mask_cycling_steps(xla, batches[:2], first_step)
    np.testing.assert_allclose(xla_losses, plain_losses, rtol=1e-3)
    first_step += 2
    seconds = {}
    for name, model in (("plain", plain), ("xla", xla)):
      start = time.perf_counter()
      bench_util.mask_cycling_steps(model, batches[2:], first_step)
      seconds[name] = (time.perf_counter() - start) / NUM_TIMED_STEPS
    first_step += NUM_TIMED_STEPS
    results[f"batch_{batch_size}_xla_vs_plain_step_speedup"] = round(
        seconds["plain"] / seconds["xla"], 2)
    xla_seconds_per_example[batch_size] = seconds["xla"] / batch_size
  # Examples per second at each batch size over those at the first one, XLA on.
  for batch_size in batch_sizes:
    results[f"batch_{batch_size}_xla_examples_per_second_vs_batch_{batch_sizes[0]}"] = round(
        xla_seconds_per_example[batch_sizes[0]] / xla_seconds_per_example[batch_size], 2)
  batches = [(rng.random((batch_sizes[0], 28, 28, 1)) < 0.3).astype(np.float32)
             for _ in range(NUM_TIMED_STEPS + 2)]
  weights = plain.get_weights()
  del plain, xla
  results[f"batch_{batch_sizes[0]}_adagrad_bfloat16_matmuls_vs_xla_float32_step_speedup"] = round(
      bfloat16_speedup(hidden_units, weights, batches), 2)
  bench_util.report(results, args.output)


if __name__ == "__main__":
  main()
