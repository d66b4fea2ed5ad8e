"""MADE: one-pass log_prob and compiled sampling against their naive paths, side by side.

  python bench/made.py [--output=bench/results/made.json]

Ratios only (same machine, same run): the naive log_prob runs the network once
per conditional (D passes, as a model without masks must); the naive sampler is
an eager Python loop over pixels, as TFP-style samplers rerun the network per
pixel. Both sides compute the same numbers, which is checked before timing.
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # pylint: disable=wrong-import-position
import tensorflow as tf  # pylint: disable=wrong-import-position

from bench import bench_util  # pylint: disable=wrong-import-position
from tfgen import heads  # pylint: disable=wrong-import-position
from tfgen.models import MADE  # pylint: disable=wrong-import-position


def naive_log_prob(model, x):
  """sum_d log p(x_d | x_<d), one network pass per conditional d (x_>=d zeroed)."""
  flat = tf.reshape(x, [x.shape[0], -1])
  order = model.sampling_order().numpy()
  total = tf.zeros([x.shape[0]])
  for step, position in enumerate(order):
    visible = np.zeros(flat.shape[1], np.float32)
    visible[order[:step]] = 1.0
    params = tf.reshape(model(tf.reshape(flat * visible, x.shape)), [x.shape[0], -1, 1])
    logit = params[:, position, 0]
    total += -tf.nn.sigmoid_cross_entropy_with_logits(labels=flat[:, position], logits=logit)
  return total


def naive_sample(model, num_samples, seed):
  """Eager loop: rerun the network for every pixel, draw it with the head.

  Only the draw is XLA-compiled, so its stateless random numbers match the
  compiled sampler's (they differ between XLA and plain kernels).
  """
  values = tf.zeros((num_samples,) + model.event_shape)
  flat_shape = [num_samples, model.num_positions]
  draw = tf.function(model.head.sample, jit_compile=True)
  for step, position in enumerate(model.sampling_order().numpy()):
    params = tf.reshape(model(values), flat_shape + [1])
    drawn = draw(params[:, position:position + 1], tf.random.experimental.stateless_fold_in(
        tf.constant([seed, 0]), step))
    flat = tf.reshape(values, flat_shape)
    update = tf.one_hot(position, model.num_positions)[tf.newaxis]
    values = tf.reshape(flat * (1 - update) + drawn * update, values.shape)
  return values


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("--output", default=bench_util.default_output(__file__, "made"))
  args = parser.parse_args()

  model = MADE((28, 28, 1), heads.Bernoulli(), hidden_units=[500], seed=0)
  model.build((None, 28, 28, 1))
  x = tf.constant(np.random.default_rng(0).integers(0, 2, (100, 28, 28, 1)), tf.float32)

  fast_log_prob = tf.function(model.log_prob)
  np.testing.assert_allclose(fast_log_prob(x[:4]).numpy(), naive_log_prob(model, x[:4]).numpy(),
                             rtol=1e-4)
  one_pass = bench_util.best_time(lambda: fast_log_prob(x).numpy())
  per_conditional = bench_util.best_time(lambda: naive_log_prob(model, x).numpy(), repeats=1)

  num_samples = 16
  np.testing.assert_array_equal(model.sample(2, seed=5).numpy(), naive_sample(model, 2, 5).numpy())
  compiled = bench_util.best_time(lambda: model.sample(num_samples, seed=1).numpy())
  eager = bench_util.best_time(lambda: naive_sample(model, num_samples, 1).numpy(), repeats=1)

  results = {
      "model": "MADE 784-500-784, Bernoulli head, 28x28",
      "log_prob_batch": 100,
      "log_prob_one_pass_vs_per_conditional_speedup": round(per_conditional / one_pass, 1),
      "sample_count": num_samples,
      "sample_compiled_loop_vs_eager_loop_speedup": round(eager / compiled, 2),
      "sample_compiled_seconds_per_image": round(compiled / num_samples, 4),
  }
  bench_util.report(results, args.output)


if __name__ == "__main__":
  main()
