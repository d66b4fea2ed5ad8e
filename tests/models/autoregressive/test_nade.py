
import numpy as np
import pytest
import tensorflow as tf

from tests import model_checks
from tfgen import heads
from tfgen.models import NADE


def make_nade(event_shape=(4, 4, 1), head=None, **kwargs):
  kwargs.setdefault("hidden_units", 12)
  model = NADE(event_shape, head or heads.Bernoulli(), **kwargs)
  model.build((None,) + tuple(event_shape))
  return model


def naive_log_prob(model, x):
  """Each conditional on its own: h_t = act(c + sum_{j<t} W[o_j] e(x_{o_j})), one loop step each."""
  features = model.encode_inputs(x).numpy()                       # [B, N, F]
  order = model.sampling_order().numpy()
  weights = model.input_weights.numpy()
  total = np.zeros(len(x))
  flat_x = np.reshape(x, (len(x), model.num_positions, -1))
  for step, position in enumerate(order):
    earlier = order[:step]
    hidden_input = model.hidden_bias.numpy() + np.einsum(
        "bnf,nfh->bh", features[:, earlier], weights[earlier])
    hidden = tf.sigmoid(hidden_input).numpy()
    params = hidden @ model.output_weights.numpy()[position] + model.output_bias.numpy()[position]
    total += model.head.log_prob(flat_x[:, position][:, np.newaxis, 0:1].reshape(len(x), 1),
                                 params[:, np.newaxis, :]).numpy()
  return total


# ---- the five checks ------------------------------------------------------------

def test_output_shape():
  model_checks.check_output_shape(make_nade(head=heads.Categorical(5)),
                                  np.zeros((3, 4, 4, 1), np.float32), (3, 4, 4, 1, 5))


@pytest.mark.parametrize("jit_compile", [False, True])
def test_fit_step(jit_compile):
  # Every weight moves, so the recurrence's hand-written backward reaches all of them.
  x = np.random.default_rng(0).integers(0, 2, (16, 4, 4, 1)).astype(np.float32)
  model_checks.check_fit_step(make_nade(), x, jit_compile=jit_compile, every_weight=True)


def test_same_seed_same_sample():
  model_checks.check_seeded_sampling(make_nade(ordering="random"))


def test_conditioned_sampling_keeps_given_entries():
  given = np.random.default_rng(2).integers(0, 3, (4, 4, 4, 1)).astype(np.float32)
  mask = np.zeros_like(given)
  mask[:, :, :2] = 1.0
  model_checks.check_conditioned_sampling(make_nade(head=heads.Categorical(3), ordering="random"),
                                          given, mask)


def test_save_load_round_trip(tmp_path):
  model = make_nade(head=heads.Categorical(3), ordering="random", seed=5)
  x = np.random.default_rng(1).integers(0, 3, (5, 4, 4, 1)).astype(np.float32)
  model_checks.check_save_load(model, x, tmp_path)


# ---- one pass = the naive loop ------------------------------------------------------

METHODS = pytest.mark.parametrize("method", NADE.LOG_PROB_METHODS)


@METHODS
@pytest.mark.parametrize("head,num_values,ordering", [
    (heads.Bernoulli(), 2, "natural"), (heads.Bernoulli(), 2, "random"),
    (heads.Categorical(4), 4, "random")])
def test_one_pass_equals_per_conditional_loop(head, num_values, ordering, method):
  model = make_nade((3, 3, 1), head, ordering=ordering, seed=7, log_prob_method=method)
  check_one_pass_equals_loop(model, num_values)


@pytest.mark.parametrize("event_shape,block_size", [((3, 3, 1), 4), ((6, 6, 1), None)])
def test_one_pass_equals_loop_across_blocks(event_shape, block_size):
  # 9 positions in blocks of 4, and 36 in the default blocks of 28: offsets and padding at work.
  model = make_nade(event_shape, heads.Categorical(3), ordering="random", seed=2,
                    log_prob_method="prefix_sums")
  if block_size:
    model.block_size = block_size
  assert model.num_positions > model.block_size  # More than one block.
  check_one_pass_equals_loop(model, 3)


def check_one_pass_equals_loop(model, num_values):
  event_shape = model.event_shape
  for weight in model.trainable_weights:  # Non-trivial weights.
    weight.assign(tf.random.stateless_normal(weight.shape, seed=[3, len(weight.name)]) * 0.5)
  x = np.random.default_rng(3).integers(0, num_values, (6,) + tuple(event_shape)).astype(np.float32)
  np.testing.assert_allclose(model.log_prob(x).numpy(), naive_log_prob(model, x), atol=1e-5)


# ---- normalisation and the autoregressive property ----------------------------------

@METHODS
@pytest.mark.parametrize("head,num_values,shape", [
    (heads.Bernoulli(), 2, (10,)), (heads.Categorical(3), 3, (5,))])
def test_sums_to_one(head, num_values, shape, method):
  model = make_nade(shape, head, ordering="random", seed=1, log_prob_method=method)
  for weight in model.trainable_weights:  # Far from the small initial weights.
    weight.assign(tf.random.stateless_normal(weight.shape, seed=[6, len(weight.name)]))
  model_checks.check_normalization(model.log_prob, num_values, shape)


def test_rnade_density_integrates_to_one_in_one_dimension():
  model = make_nade((1,), heads.GaussianMixture(3), hidden_units=4)
  grid = np.linspace(-30, 30, 120001, dtype=np.float32)[:, np.newaxis]
  density = np.exp(model.log_prob(grid).numpy().astype(np.float64))
  assert abs(np.trapezoid(density, grid[:, 0]) - 1.0) < 1e-4


@METHODS
def test_rnade_density_integrates_to_one_in_two_dimensions(method):
  model = make_nade((2,), heads.GaussianMixture(2), hidden_units=6, ordering="reverse", seed=3,
                    log_prob_method=method)
  model_checks.check_density_integrates_to_one_in_two_dimensions(model)


@METHODS
@pytest.mark.parametrize("head", [heads.Bernoulli(), heads.Categorical(3), heads.GaussianMixture(2)])
def test_outputs_depend_only_on_earlier_inputs(head, method):
  # With the recurrence these gradients come from its hand-written backward loop; its
  # forward pass is checked by the loop-equality and sums-to-one tests.
  model = make_nade((3, 3), head, ordering="random", seed=4, log_prob_method=method)
  x = np.random.default_rng(0).integers(0, 2, (1, 3, 3)).astype(np.float32)
  depends = model_checks.check_autoregressive(model, x)
  assert depends[model.sampling_order().numpy()[-1]].sum() == 8


# ---- cached sampling = rerunning the network --------------------------------------

def test_cached_sampling_equals_full_recompute():
  model = make_nade((3, 4), heads.Categorical(3), ordering="random", seed=2)
  for weight in model.trainable_weights:
    weight.assign(tf.random.stateless_normal(weight.shape, seed=[5, len(weight.name)]))
  given = np.random.default_rng(4).integers(0, 3, (8, 3, 4)).astype(np.float32)
  mask = np.zeros_like(given)
  mask[:, 0] = 1.0
  cached = model.sample(8, conditioned_on=given, mask=mask, seed=9).numpy()
  recomputed = model.sample(8, conditioned_on=given, mask=mask, seed=9, cached=False).numpy()
  np.testing.assert_array_equal(cached, recomputed)


def test_first_marginal_matches():
  model = make_nade((4,), hidden_units=3)
  model.output_bias.assign(tf.fill(model.output_bias.shape, 0.8))
  first = int(model.sampling_order().numpy()[0])
  probability = float(tf.sigmoid(model(np.zeros((1, 4), np.float32))[0, first, 0]))
  draws = model.sample(4000, seed=1).numpy()[:, first]
  assert abs(draws.mean() - probability) < 4 * np.sqrt(probability * (1 - probability) / 4000)


def test_bad_input():
  model = make_nade((4,))
  with pytest.raises(ValueError, match=r"expects examples of shape \(4,\)"):
    model.log_prob(np.zeros((2, 5), np.float32))
  with pytest.raises(tf.errors.InvalidArgumentError, match="Bernoulli head"):
    model.log_prob(np.full((1, 4), 0.5, np.float32))
  with pytest.raises(ValueError, match="hidden_units"):
    NADE((4,), heads.Bernoulli(), hidden_units=0)
  with pytest.raises(ValueError, match="log_prob_method must be one of recurrence, prefix_sums"):
    NADE((4,), heads.Bernoulli(), log_prob_method="cumsum")


@pytest.mark.parametrize("length,num_features,block_size",
                         [(1, 1, 4), (7, 1, 4), (8, 3, 4), (784, 1, 28), (30, 2, 28)])
def test_blocked_prefix_sums_equal_cumsum(length, num_features, block_size):
  from tfgen.models.autoregressive.nade import blocked_prefix_sums  # pylint: disable=import-outside-toplevel
  features = tf.random.stateless_normal([2, length, num_features], seed=[length, 1])
  weights = tf.random.stateless_normal([length, num_features, 5], seed=[length, 2])
  within, offsets = blocked_prefix_sums(features, weights, block_size)
  summed = tf.reshape(within + offsets[:, tf.newaxis], [-1, 2, 5])[:length]
  expected = tf.cumsum(tf.einsum("bnf,nfh->nbh", features, weights), axis=0, exclusive=True)
  np.testing.assert_allclose(summed.numpy(), expected.numpy(), rtol=1e-5, atol=1e-4)


def test_fused_and_plain_output_layers_agree():
  model = make_nade((5, 6), head=heads.Categorical(3), hidden_units=4, log_prob_method="prefix_sums")
  x = np.random.default_rng(0).integers(0, 3, (3, 5, 6)).astype(np.float32)
  fused = model.log_prob(x).numpy()
  model.fuse_output_layer = False
  np.testing.assert_allclose(model.log_prob(x).numpy(), fused, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("head,num_values,activation,shape", [
    (heads.Bernoulli(), 2, "sigmoid", (3, 5)), (heads.Categorical(3), 3, "tanh", (3, 5)),
    (heads.GaussianMixture(2), 2, "relu", (3, 5)), (heads.Bernoulli(), 2, "sigmoid", (28, 28))])
def test_recurrence_gradients_equal_prefix_sum_gradients(head, num_values, activation, shape):
  # The recurrence's hand-written backward loop against autodiff through the prefix sums:
  # every weight, the encoded inputs (one-hot for Categorical), P > 1 output parameters,
  # and 784 steps of recomputing a_t by subtraction.
  x = np.random.default_rng(5).integers(0, num_values, (4,) + shape).astype(np.float32)
  gradients = {}
  for method in NADE.LOG_PROB_METHODS:
    model = make_nade(shape, head, ordering="random", seed=3, activation=activation,
                      hidden_units=4 if shape == (28, 28) else 12, log_prob_method=method)
    for weight in model.trainable_weights:
      weight.assign(tf.random.stateless_normal(weight.shape, seed=[8, len(weight.name)]) * 0.5)
    features = tf.convert_to_tensor(model.encode_inputs(x))
    with tf.GradientTape() as tape:
      tape.watch(features)
      with model_checks.feeding_features(model, features):
        params = model(x)
      weighting = tf.random.stateless_normal(params.shape, seed=[9, 9])   # Every output counts.
      loss = tf.reduce_sum(params * weighting)
    gradients[method] = [tf.convert_to_tensor(gradient).numpy()
                         for gradient in tape.gradient(loss, model.trainable_weights + [features])]
  for recurrence, prefix_sums in zip(*gradients.values()):
    np.testing.assert_allclose(recurrence, prefix_sums, rtol=1e-4, atol=1e-5)


def test_recurrence_refuses_gradients_of_gradients_and_low_precision():
  model = make_nade((3, 3), log_prob_method="recurrence")
  x = np.random.default_rng(0).integers(0, 2, (2, 3, 3)).astype(np.float32)
  with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
      loss = -tf.reduce_sum(model.log_prob(x))
    grads = inner.gradient(loss, model.trainable_weights)
    norm = tf.linalg.global_norm([tf.convert_to_tensor(grad) for grad in grads])
  with pytest.raises(ValueError, match="first-order gradients only.*prefix_sums"):
    outer.gradient(norm, model.trainable_weights)
  from tfgen.models.autoregressive.nade_recurrence import recurrent_params  # pylint: disable=import-outside-toplevel
  with pytest.raises(ValueError, match="float32 or float64 inputs, got float16"):
    recurrent_params(tf.zeros([3, 2, 1], tf.float16), tf.zeros([3, 1, 4], tf.float16),
                     tf.zeros([3, 4, 1], tf.float16), tf.zeros([4], tf.float16), tf.sigmoid)
