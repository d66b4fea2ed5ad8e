"""The checks every tfgen model gets, shared by the model tests.

1. output shape; 2. one fit step; 3. the same seed gives the same sample;
4. conditioned sampling keeps the given entries; 5. .keras save/load in safe mode.
Also: exact normalisation over a tiny space, and the autoregressive property
checked with gradients.
"""

import contextlib
import itertools

import keras
import numpy as np
import tensorflow as tf


def check_output_shape(model, x, expected_shape):
  output = model(x)
  assert tuple(output.shape) == tuple(expected_shape), (output.shape, expected_shape)
  return output


def check_fit_step(model, x, jit_compile="auto", every_weight=False, loss_key="loss"):
  """One fit step on `x` gives a finite loss and changes the weights (every one if `every_weight`).

  `loss_key` names the logged loss (a GAN logs d_loss and g_loss).
  `x` is the model's input: an array, or {"x": x, "condition": labels} for a conditional model.
  """
  model.compile(optimizer=keras.optimizers.Adam(1e-2), jit_compile=jit_compile)
  model(x)
  before = [weight.numpy() for weight in model.trainable_weights]
  batch_size = len(x["x"]) if isinstance(x, dict) else len(x)
  history = model.fit(x, epochs=1, batch_size=batch_size, verbose=0, shuffle=False)
  loss = history.history[loss_key][0]
  assert np.isfinite(loss), loss
  changed = [not np.allclose(old, new.numpy()) for old, new in zip(before, model.trainable_weights)]
  assert any(changed), "fit did not change any weight"
  if every_weight:
    unchanged = [weight.path for weight, moved in zip(model.trainable_weights, changed) if not moved]
    assert not unchanged, f"fit did not change {unchanged}"
  return loss


def check_seeded_sampling(model, num_samples=4):
  first = model.sample(num_samples, seed=7).numpy()
  again = model.sample(num_samples, seed=7).numpy()
  other = model.sample(num_samples, seed=8).numpy()
  np.testing.assert_array_equal(first, again)
  assert first.shape == (num_samples,) + tuple(model.event_shape)
  assert not np.array_equal(first, other), "different seeds gave the same samples"
  return first


def check_conditioned_sampling(model, given, mask):
  """Sampling with `conditioned_on=given` keeps every entry where mask is 1."""
  samples = model.sample(len(given), conditioned_on=given, mask=mask, seed=3).numpy()
  mask = np.broadcast_to(mask, samples.shape).astype(bool)
  np.testing.assert_array_equal(samples[mask], np.asarray(given)[mask])
  return samples


def check_save_load(model, x, tmp_path, score=lambda model, x: model.log_prob(x)):
  """A .keras round trip in safe mode keeps the config and `score` (default log_prob)."""
  path = str(tmp_path / "model.keras")
  model.save(path)
  loaded = keras.saving.load_model(path, safe_mode=True)
  assert type(loaded) is type(model)
  assert loaded.get_config() == model.get_config()
  np.testing.assert_allclose(np.asarray(score(loaded, x)), np.asarray(score(model, x)), rtol=1e-5,
                             atol=1e-5)
  return loaded


def all_values(num_values, event_shape):
  """Every configuration of a tiny discrete event: [num_values**D, *event_shape]."""
  size = int(np.prod(event_shape))
  grid = np.array(list(itertools.product(range(num_values), repeat=size)), dtype=np.float32)
  return grid.reshape((-1,) + tuple(event_shape))


def check_normalization(log_prob_fn, num_values, event_shape, atol=1e-5):
  """sum_x p(x) over every configuration is 1 within `atol`."""
  values = all_values(num_values, event_shape)
  log_probs = np.concatenate([log_prob_fn(values[start:start + 4096]).numpy()
                              for start in range(0, len(values), 4096)]).astype(np.float64)
  total = np.exp(log_probs).sum()
  assert abs(total - 1.0) < atol, f"probabilities sum to {total!r}, not 1"
  return total


def check_density_integrates_to_one_in_two_dimensions(model, half_width=12.0, num_points=1201):
  """A 2-D continuous model whose x_0 comes second in its order: its density integrates to 1.

  Weights are first set to seeded normals (* 0.3), so the means, scales and weights
  of x_0's conditional move with x_1, which the last check confirms: the test is
  not two independent 1-D integrals.
  """
  for index, weight in enumerate(model.trainable_weights):
    weight.assign(tf.random.stateless_normal(weight.shape, seed=[4, index]) * 0.3)
  axis = np.linspace(-half_width, half_width, num_points, dtype=np.float32)
  grid = np.stack(np.meshgrid(axis, axis, indexing="ij"), axis=-1).reshape(-1, 2)
  density = np.exp(model.log_prob(grid).numpy().astype(np.float64)).reshape(len(axis), len(axis))
  inner = np.trapezoid(density, axis, axis=1)
  assert abs(np.trapezoid(inner, axis) - 1.0) < 1e-4
  params = model(np.array([[0.0, -2.0], [0.0, 2.0]], np.float32)).numpy()
  assert not np.allclose(params[0, 0], params[1, 0])


@contextlib.contextmanager
def feeding_features(model, features):
  """Inside, the model's network reads `features` instead of encoding its inputs.

  Lets a tape watch the encoded input (scalars or one-hot), which has no gradient
  path back to integer-valued data.
  """
  model.encode_inputs = lambda _: features
  try:
    yield
  finally:
    del model.encode_inputs


def dependency_matrix(model, x, condition=None, training=None):
  """D[i, j] = True if the params of grid position i have a non-zero gradient w.r.t. position j's input.

  Gradients are taken w.r.t. the network's encoded input (`encode_inputs`:
  scalars or one-hot features), so the check also covers one-hot inputs.
  Returns [num_positions, num_positions] for one example x [1, *event_shape]
  (with int labels `condition` [1] for a conditional model); `training=True`
  checks the training-mode network (dropout).
  """
  inputs = x if condition is None else (x, condition)
  features = tf.convert_to_tensor(model.encode_inputs(x))
  num_positions = model.num_positions
  with tf.GradientTape(persistent=True) as tape:
    tape.watch(features)
    with feeding_features(model, features):
      params = model(inputs) if training is None else model(inputs, training=training)
      params = tf.reshape(params, [num_positions, -1])
    sums = [tf.reduce_sum(params[position]) for position in range(num_positions)]
  rows = []
  for total in sums:
    gradient = tape.gradient(total, features)
    rows.append(np.abs(gradient.numpy()[0]).sum(axis=-1) > 0)
  del tape
  return np.array(rows)


def check_autoregressive(model, x, condition=None, training=None):
  """Params at position o(t) depend on inputs only at positions o(1..t-1), checked with gradients."""
  order = model.sampling_order().numpy()
  rank = np.empty_like(order)
  rank[order] = np.arange(len(order))
  depends = dependency_matrix(model, x, condition, training)
  for position in range(model.num_positions):
    seen = rank[depends[position]]
    assert np.all(seen < rank[position]), (
        f"position {position} (step {rank[position]}) depends on inputs at steps {sorted(set(seen))}")
  return depends
