"""NICE, RealNVP and MAF: invertibility, log-dets against autodiff, normalisation, TFP agreement."""

import itertools
import math

import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tests import model_checks
from tfgen.models.flows import MAF, NICE, RealNVP, dequantization

tfb, tfd = tfp.bijectors, tfp.distributions

FLOWS = {
    "nice": lambda shape, **kw: NICE(shape, hidden_units=(16,), **kw),
    "real_nvp": lambda shape, **kw: RealNVP(shape, num_scales=1 if shape[0] < 4 else 2,
                                            filters=(8,), **kw),
    "maf": lambda shape, **kw: MAF(shape, num_flows=2, hidden_units=(16,), **kw),
}
IMAGE = (4, 4, 2)


@pytest.fixture(params=sorted(FLOWS))
def kind(request):
  return request.param


def make(kind, shape=IMAGE, scale=0.1, **kwargs):
  """A flow with random weights (new flows start as the identity).

  MAF's MADEs are dense over all 32 inputs: a third of the perturbation gives
  it shifts and scales of the same size as the couplings'.
  """
  model = FLOWS[kind](shape, **kwargs)
  scale = scale / 3 if kind == "maf" else scale
  model(tf.zeros((1,) + shape))
  rng = np.random.default_rng(0)
  for weight in model.trainable_weights:
    weight.assign(weight + scale * rng.standard_normal(weight.shape).astype(np.float32))
  return model


def test_inverse_returns_x(kind):
  model = make(kind)
  x = tf.random.normal((5,) + IMAGE, seed=1)
  z, _ = model.transform(x)
  assert z.shape == (5, int(np.prod(IMAGE)))
  assert not np.allclose(z.numpy().reshape(x.shape), x.numpy(), atol=1e-2), "still the identity"
  np.testing.assert_allclose(tf.reshape(model.inverse_transform(z), x.shape).numpy(), x.numpy(),
                             atol=1e-5)


@pytest.mark.parametrize("shape", [(2, 2, 2), (4, 4, 1)], ids=["one_scale", "two_scales"])
def test_log_det_is_the_autodiff_jacobian(kind, shape):
  model = make(kind, shape)
  size = int(np.prod(shape))
  x = tf.random.normal((3,) + shape, seed=2)
  with tf.GradientTape() as tape:
    tape.watch(x)
    z, log_det = model.transform(x)
  jacobian = tape.batch_jacobian(z, x).numpy().reshape(3, size, size)
  _, expected = np.linalg.slogdet(jacobian)
  np.testing.assert_allclose(log_det.numpy(), expected, atol=1e-4)


def test_two_dimensional_density_integrates_to_one(kind):
  shape = (1, 2, 1) if kind == "real_nvp" else (2,)
  model = make(kind, shape, scale=0.5)
  axis = np.linspace(-16, 16, 801, dtype=np.float32)
  grid = np.array(list(itertools.product(axis, axis)), np.float32).reshape((-1,) + shape)
  density = np.exp(model.log_prob(grid).numpy())
  total = density.sum() * (axis[1] - axis[0]) ** 2
  assert abs(total - 1.0) < 0.01, total


def test_dequantized_probabilities_sum_to_at_most_one(kind):
  """sum_x E_u exp(log_prob(x, u)) = P(logit range) <= 1: the -D log K and logit terms count."""
  shape = (1, 2, 1) if kind == "real_nvp" else (2,)
  model = make(kind, shape, scale=0.1, num_values=3)
  values = model_checks.all_values(3, shape)
  # 3000 dequantization draws of each value, as one batch of 3000 copies.
  copies = np.tile(values, (3000,) + (1,) * (values.ndim - 1))
  probabilities = np.exp(model.log_prob(copies, seed=0).numpy()).reshape(3000, -1).mean(axis=0)
  assert 0.9 < probabilities.sum() < 1.01, probabilities.sum()


def test_fit_lowers_the_loss_and_same_seed_same_sample(kind):
  model = FLOWS[kind](IMAGE, num_values=17)
  x = np.random.default_rng(3).integers(0, 17, (16,) + IMAGE).astype(np.float32)
  model(x)
  model.compile(optimizer=keras.optimizers.Adam(3e-3))
  history = model.fit(x, epochs=5, batch_size=16, verbose=0)
  assert history.history["loss"][-1] < history.history["loss"][0]
  samples = model_checks.check_seeded_sampling(model)
  assert set(np.unique(samples)) <= set(range(17))
  # Encoding then decoding discrete data gives it back.
  np.testing.assert_array_equal(model.inverse(model.forward(x, seed=4)[0]).numpy(), x)


def test_training_loss_is_the_nll_and_log_prob_builds_the_flow(kind):
  model = FLOWS[kind](IMAGE)  # Continuous data: no dequantization noise, so one exact value.
  x = np.random.default_rng(6).normal(size=(8,) + IMAGE).astype(np.float32)
  before = model.log_prob(x).numpy()  # Unbuilt until now.
  assert before.shape == (8,) and np.all(np.isfinite(before))
  model.compile(optimizer=keras.optimizers.SGD(0.0))
  history = model.fit(x, epochs=1, batch_size=8, verbose=0)
  np.testing.assert_allclose(history.history["loss"][0], -before.mean(), rtol=1e-5)
  np.testing.assert_allclose(model.evaluate(x, batch_size=3, verbose=0), -before.mean(), rtol=1e-5)


def test_save_load_round_trip(kind, tmp_path):
  model = make(kind, num_values=17)
  x = np.random.default_rng(1).integers(0, 17, (3,) + IMAGE).astype(np.float32)
  model_checks.check_save_load(model, x, tmp_path,
                               score=lambda model, x: model.log_prob(x, seed=5).numpy())


def test_affine_coupling_agrees_with_tfp_real_nvp():
  model = make("real_nvp", (1, 4, 1))  # One scale: checkerboard couplings only.
  layer = model.scales[0][0][0]
  x = tf.random.normal([6, 1, 4, 1], seed=3)
  # Reorder so the kept entries (mask 1) come first, as tfb.RealNVP expects.
  kept = np.flatnonzero(layer.mask_values.reshape(-1))
  free = np.flatnonzero(1 - layer.mask_values.reshape(-1))
  permutation = np.concatenate([kept, free])

  def shift_and_log_scale(x_kept, output_units):
    del output_units
    full = tf.scatter_nd(kept[:, None], tf.transpose(x_kept), [4, tf.shape(x_kept)[0]])
    shift, log_scale = layer.shift_and_log_scale(tf.reshape(tf.transpose(full), [-1, 1, 4, 1]))
    pick = lambda values: tf.gather(tf.reshape(values, [-1, 4]), free, axis=1)
    return pick(shift), pick(log_scale)

  bijector = tfb.RealNVP(num_masked=len(kept), shift_and_log_scale_fn=shift_and_log_scale)
  flat = tf.gather(tf.reshape(x, [6, 4]), permutation, axis=1)
  expected_y = bijector.forward(flat).numpy()
  expected_log_det = bijector.forward_log_det_jacobian(flat, event_ndims=1).numpy()
  y, log_det = layer.forward(x)
  np.testing.assert_allclose(tf.gather(tf.reshape(y, [6, 4]), permutation, axis=1).numpy(),
                             expected_y, atol=1e-5)
  np.testing.assert_allclose(log_det.numpy(), expected_log_det, atol=1e-5)


def test_maf_agrees_with_tfp_masked_autoregressive_flow():
  model = make("maf", (5,))
  layer = model.mades[0]
  single = MAF((5,), num_flows=1, hidden_units=(16,))
  single.mades[0].set_weights(layer.get_weights())
  bijector = tfb.MaskedAutoregressiveFlow(
      shift_and_log_scale_fn=lambda x: MAF.shift_and_log_scale(single.mades[0], x))
  reference = tfd.TransformedDistribution(tfd.MultivariateNormalDiag(tf.zeros(5)), bijector)
  x = tf.random.normal([7, 5], seed=4)
  np.testing.assert_allclose(single.log_prob(x).numpy(), reference.log_prob(x).numpy(), atol=1e-4)


def test_logit_log_det_is_its_derivative():
  y = tf.constant([[0.1, 0.5, 0.93]])
  with tf.GradientTape() as tape:
    tape.watch(y)
    w, log_det = dequantization.logit(y, 0.05)
  derivative = tape.gradient(w, y).numpy()   # Elementwise map: the diagonal of the Jacobian.
  np.testing.assert_allclose(log_det.numpy(), np.log(derivative).sum(axis=-1), rtol=1e-5)
  np.testing.assert_allclose(dequantization.inverse_logit(w, 0.05).numpy(), y.numpy(), atol=1e-6)
  assert math.isclose(float(dequantization.dequantize(tf.zeros([1, 3]), 4, seed=0)[1][0]),
                      -3 * math.log(4), rel_tol=1e-6)


def test_bad_input_is_named():
  with pytest.raises(ValueError, match="RealNVP needs images"):
    RealNVP((64,))
  with pytest.raises(ValueError, match="3 scales need H and W divisible by 4"):
    RealNVP((6, 6, 1), num_scales=3)
  with pytest.raises(ValueError, match="leave a 1x1 grid at the last scale"):
    RealNVP((4, 4, 1), num_scales=3)
  with pytest.raises(ValueError, match="num_values must be 0 .* or >= 2"):
    NICE((4,), num_values=1)
  model = NICE((4,), num_values=17, hidden_units=(8,))
  with pytest.raises(tf.errors.InvalidArgumentError, match=r"NICE expects integer values in \[0, 16\]"):
    model.log_prob(np.full((2, 4), 17.0, np.float32))
  with pytest.raises(ValueError, match=r"expects examples of shape \(4,\), got shape \(5,\)"):
    model.log_prob(np.zeros((2, 5), np.float32))
