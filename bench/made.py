"""MADE: one-pass log_prob, compiled sampling and mask switching against their naive paths.

  python bench/made.py [--output=bench/results/made.json]

Ratios only (same machine, same run): the naive log_prob runs the network once
per conditional (D passes, as a model without masks must); the naive sampler is
an eager Python loop over pixels, as TFP-style samplers rerun the network per
pixel. Mask-ensemble training steps (a new mask every step) switch by assigning
degree vectors, against the textbook way of assigning every layer's whole
[in, units] mask. Both sides compute the same numbers, which is checked before
timing.
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

SWITCH_NUM_MASKS = 8
SWITCH_STEPS = 8


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


def bernoulli_nll(params, x):
  """Mean -log p(x) of a Bernoulli head from flat logits [batch, D]."""
  flat = tf.reshape(x, [x.shape[0], -1])
  return tf.reduce_mean(tf.reduce_sum(
      tf.nn.sigmoid_cross_entropy_with_logits(labels=flat, logits=params), axis=-1))


class WholeMaskMADE:
  """The textbook switch: each layer's whole [in, units] 0/1 mask is assigned per switch.

  Shares the MADE's weights; its masks are the MADE's connections read once per mask
  and kept as booleans, converted to float on assignment as an explicit-mask layer does.
  """

  def __init__(self, model):
    self.model = model
    self.layers = model.masked_layers()
    self.mask_variables = [tf.Variable(tf.ones_like(layer.kernel), trainable=False)
                           for layer in self.layers]
    self.masks = []
    for index in range(model.num_masks):
      model.use_mask(index)
      self.masks.append([layer.connections().numpy() for layer in self.layers])
    model.use_mask(0)

  def use_mask(self, index):
    for variable, mask in zip(self.mask_variables, self.masks[index % len(self.masks)]):
      variable.assign(mask.astype(np.float32))

  def dense(self, index, inputs):
    layer = self.layers[index]
    outputs = tf.matmul(inputs, layer.kernel * self.mask_variables[index])
    if layer.bias is not None:
      outputs = outputs + layer.bias
    return layer.activation(outputs)

  def __call__(self, x):
    flat = tf.reshape(x, [x.shape[0], -1])
    num_hidden = len(self.model.hidden_units)
    hidden = flat
    for index in range(num_hidden):
      hidden = self.dense(index, hidden)
    params = self.dense(num_hidden, hidden)
    if self.model.direct_layer is not None:
      params = params + self.dense(num_hidden + 1, flat)
    return params


def switching_steps(network, variables, x, switch=True):
  """A function running SWITCH_STEPS gradient steps' work, each on a new mask (or on one)."""
  @tf.function
  def gradients():
    with tf.GradientTape() as tape:
      loss = bernoulli_nll(tf.reshape(network(x), [x.shape[0], -1]), x)
    return loss, tape.gradient(loss, variables)

  def run():
    losses = []
    for step in range(SWITCH_STEPS):
      if switch:
        network.use_mask(step)
      loss, grads = gradients()
      losses.append(loss.numpy())
      [grad.numpy() for grad in grads if grad is not None]  # pylint: disable=expression-not-assigned
    return losses
  return run


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("--output", default=bench_util.default_output(__file__, "made"))
  parser.add_argument("--switch_hidden_units", default="2000,2000",
                      help="hidden layers of the mask-switching comparison (the ensemble config's; "
                           "the paper's are 8000,8000)")
  args = parser.parse_args()
  switch_hidden_units = [int(units) for units in args.switch_hidden_units.split(",")]

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

  ensemble = MADE((28, 28, 1), heads.Bernoulli(), hidden_units=switch_hidden_units,
                  direct_connection=True, num_masks=SWITCH_NUM_MASKS, seed=0)
  ensemble.build((None, 28, 28, 1))
  whole_mask = WholeMaskMADE(ensemble)
  variables = ensemble.trainable_variables
  by_degrees = switching_steps(ensemble, variables, x)
  by_whole_masks = switching_steps(whole_mask, variables, x)
  np.testing.assert_allclose(by_degrees(), by_whole_masks(), rtol=1e-5)
  degree_switching = bench_util.best_time(by_degrees, repeats=2)
  whole_mask_switching = bench_util.best_time(by_whole_masks, repeats=2)
  ensemble.use_mask(0)
  one_mask = bench_util.best_time(switching_steps(ensemble, variables, x, switch=False), repeats=2)
  whole_mask.use_mask(0)
  one_whole_mask = bench_util.best_time(switching_steps(whole_mask, variables, x, switch=False),
                                        repeats=2)

  results = {
      "model": "MADE 784-500-784, Bernoulli head, 28x28",
      "log_prob_batch": 100,
      "log_prob_one_pass_vs_per_conditional_speedup": round(per_conditional / one_pass, 1),
      "sample_count": num_samples,
      "sample_compiled_loop_vs_eager_loop_speedup": round(eager / compiled, 2),
      "sample_compiled_seconds_per_image": round(compiled / num_samples, 4),
      "switch_model": (f"MADE 784-{'-'.join(map(str, switch_hidden_units))}-784 with direct "
                       f"connection, {SWITCH_NUM_MASKS} masks, batch 100"),
      "switch_steps": SWITCH_STEPS,
      "switch_every_step_degrees_vs_whole_masks_speedup": round(
          whole_mask_switching / degree_switching, 2),
      # One fixed mask: masks built from degrees in every call against masks kept whole.
      "one_mask_degrees_vs_whole_mask_speedup": round(one_whole_mask / one_mask, 2),
      # Step time with a switch every step over step time on one fixed mask (1 = free switching).
      "switch_every_step_cost_degrees": round(degree_switching / one_mask, 2),
      "switch_every_step_cost_whole_masks": round(whole_mask_switching / one_mask, 2),
  }
  bench_util.report(results, args.output)


if __name__ == "__main__":
  main()
