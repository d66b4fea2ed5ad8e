"""Dropout inside an XLA-compiled training step: Keras' Dropout against tfgen's PhiloxDropout.

  python bench/dropout_under_xla.py [--hidden_units=8000,2000] [--rate=0.3]

Keras' Dropout draws with `tf.random.stateless_uniform`'s default algorithm, which
on CPU is Philox but compiles to a slow kernel inside XLA; `PhiloxDropout` names
Philox and draws the same bits. Each side is the
same MADE (direct connection, natural order, 32 masks cycled one per step, Adam,
`jit_compile=True`) from the same weights, one `train_on_batch` per step; the only
difference is the dropout layers. A third model with no dropout shows what dropout
costs at all. The two dropout sides draw the same keep masks, so their first
losses are checked to agree. Run it with nothing else on the cores. Ratios only.
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
NUM_TIMED_STEPS = 10
BATCH_SIZE = 100


def make_model(hidden_units, rate, keras_dropout=False, weights=None):
  model = MADE((28, 28, 1), heads.Bernoulli(), hidden_units=hidden_units, ordering="natural",
               direct_connection=True, num_masks=NUM_MASKS, dropout=rate, seed=0)
  if keras_dropout:
    model.dropout_layers = [keras.layers.Dropout(rate, seed=index)
                            for index in range(len(hidden_units))]
  return bench_util.build_and_compile(model, weights, jit_compile=True)


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("--output", default=bench_util.default_output(__file__, "dropout_under_xla"))
  parser.add_argument("--hidden_units", default="8000,2000")
  parser.add_argument("--rate", type=float, default=0.3)
  args = parser.parse_args()
  hidden_units = [int(units) for units in args.hidden_units.split(",")]

  rng = np.random.default_rng(0)
  keras.utils.set_random_seed(0)
  philox = make_model(hidden_units, args.rate)
  weights = philox.get_weights()
  models = {
      "philox_dropout": philox,
      "keras_dropout": make_model(hidden_units, args.rate, keras_dropout=True, weights=weights),
      "no_dropout": make_model(hidden_units, 0.0, weights=weights),
  }
  batches = [(rng.random((BATCH_SIZE, 28, 28, 1)) < 0.3).astype(np.float32)
             for _ in range(NUM_TIMED_STEPS + 2)]
  first_losses = {name: bench_util.mask_cycling_steps(model, batches[:2], 0)  # Also compiles.
                  for name, model in models.items()}
  np.testing.assert_allclose(first_losses["keras_dropout"], first_losses["philox_dropout"],
                             rtol=1e-5)
  seconds = {}
  for name, model in models.items():
    start = time.perf_counter()
    bench_util.mask_cycling_steps(model, batches[2:], 2)
    seconds[name] = (time.perf_counter() - start) / NUM_TIMED_STEPS
  bench_util.report({
      "model": (f"MADE 784-{'-'.join(map(str, hidden_units))}-784, direct connection, natural "
                f"order, {NUM_MASKS} masks cycled one per step, dropout {args.rate}, Adam, "
                f"XLA-compiled train_on_batch, batch {BATCH_SIZE}"),
      "timed_steps": NUM_TIMED_STEPS,
      "first_losses": first_losses,
      "philox_vs_keras_dropout_step_speedup": round(
          seconds["keras_dropout"] / seconds["philox_dropout"], 2),
      "philox_dropout_step_vs_no_dropout_step": round(
          seconds["philox_dropout"] / seconds["no_dropout"], 2),
      "keras_dropout_step_vs_no_dropout_step": round(
          seconds["keras_dropout"] / seconds["no_dropout"], 2),
  }, args.output)


if __name__ == "__main__":
  main()
