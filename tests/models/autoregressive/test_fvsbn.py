import numpy as np
import pytest
import tensorflow as tf

from tests import model_checks
from tfgen import heads
from tfgen.models import FVSBN


def make_fvsbn(event_shape=(4, 4, 1), head=None, **kwargs):
  model = FVSBN(event_shape, head or heads.Bernoulli(), **kwargs)
  model.build((None,) + tuple(event_shape))
  return model


def test_output_shape():
  model_checks.check_output_shape(make_fvsbn(), np.zeros((3, 4, 4, 1), np.float32), (3, 4, 4, 1, 1))


def test_fit_step():
  x = np.random.default_rng(0).integers(0, 2, (16, 4, 4, 1)).astype(np.float32)
  model_checks.check_fit_step(make_fvsbn(l2=1e-3), x)


def test_same_seed_same_sample():
  model = make_fvsbn(ordering="random", seed=2)
  model.linear.bias.assign(tf.random.stateless_normal(model.linear.bias.shape, seed=[1, 1]))
  model_checks.check_seeded_sampling(model)


def test_conditioned_sampling_keeps_given_entries():
  given = np.random.default_rng(2).integers(0, 2, (4, 4, 4, 1)).astype(np.float32)
  mask = (np.random.default_rng(3).random((4, 4, 4, 1)) < 0.5).astype(np.float32)
  model_checks.check_conditioned_sampling(make_fvsbn(ordering="random"), given, mask)


def test_save_load_round_trip(tmp_path):
  x = np.random.default_rng(1).integers(0, 2, (5, 4, 4, 1)).astype(np.float32)
  model_checks.check_save_load(make_fvsbn(ordering="random", l2=0.01, l1=0.02, l1_distance=0.5, seed=3,
                                          input_dropout=0.2),
                               x, tmp_path)


@pytest.mark.parametrize("head,num_values,shape", [
    (heads.Bernoulli(), 2, (10,)), (heads.Categorical(3), 3, (5,))])
def test_sums_to_one(head, num_values, shape):
  model = make_fvsbn(shape, head, ordering="random", seed=1)
  model.linear.kernel.assign(tf.random.stateless_normal(model.linear.kernel.shape, seed=[2, 2]))
  model_checks.check_normalization(model.log_prob, num_values, shape)


def test_each_conditional_is_a_logistic_regression_on_earlier_variables():
  model = make_fvsbn((5,), ordering="random", seed=4)
  model.linear.kernel.assign(tf.random.stateless_normal(model.linear.kernel.shape, seed=[3, 3]))
  depends = model_checks.check_autoregressive(model, np.ones((1, 5), np.float32))
  order = model.sampling_order().numpy()
  assert [depends[position].sum() for position in order] == [0, 1, 2, 3, 4]
  # About n^2/2 free weights: n(n-1)/2 couplings plus n biases.
  assert int(model.linear.mask.numpy().sum()) == 10


@pytest.mark.parametrize("l2, l1, penalty", [(1.0, 0.0, 4 * 10.0), (0.0, 1.0, 2 * 10.0),
                                              (1.0, 0.5, 4 * 10.0 + 1.0 * 10.0)])
def test_weight_penalties_are_in_the_training_loss_only(l2, l1, penalty):
  x = np.ones((2, 5), np.float32)
  plain, penalised = make_fvsbn((5,)), make_fvsbn((5,), l2=l2, l1=l1)
  for model in (plain, penalised):
    # -2 on every weight: only the 10 unmasked couplings count (L2 4 each, L1 2 each).
    model.linear.kernel.assign(-2.0 * tf.ones(model.linear.kernel.shape))
  loss = lambda model, training: float(model.compute_loss(x=x, y_pred=model(x), training=training))
  assert abs(loss(penalised, True) - loss(plain, True) - penalty) < 1e-4
  # Validation loss is the NLL itself, so early stopping and the best checkpoint use it.
  assert abs(loss(penalised, False) - loss(plain, False)) < 1e-6
  penalised.compile(optimizer="adam")
  np.testing.assert_allclose(penalised.evaluate(x, verbose=0),
                             -np.mean(penalised.log_prob(x).numpy()), rtol=1e-5)


def test_distance_weighted_l1_penalty():
  # Positions 0..4 in a row: the coupling j -> i has distance i - j, and is penalised
  # l1 * |w| * (1 + l1_distance * (i - j)). With w = -2 everywhere: 2 * sum_{j<i} (1 + 0.5 (i - j)).
  x = np.ones((2, 5), np.float32)
  plain, penalised = make_fvsbn((5,)), make_fvsbn((5,), l1=1.0, l1_distance=0.5)
  for model in (plain, penalised):
    model.linear.kernel.assign(-2.0 * tf.ones(model.linear.kernel.shape))
  expected = sum(2.0 * (1 + 0.5 * (i - j)) for i in range(5) for j in range(i))
  loss = lambda model: float(model.compute_loss(x=x, y_pred=model(x), training=True))
  assert abs(loss(penalised) - loss(plain) - expected) < 1e-4
  # On a 2x2 grid the diagonal neighbour is sqrt(2) away.
  grid = make_fvsbn((2, 2, 1), l1=1.0, l1_distance=1.0)
  grid.linear.kernel.assign(tf.ones(grid.linear.kernel.shape))
  flat_plain = make_fvsbn((2, 2, 1))
  flat_plain.linear.kernel.assign(tf.ones(flat_plain.linear.kernel.shape))
  images = np.ones((2, 2, 2, 1), np.float32)
  # Row-major couplings: (0,1) 1, (0,2) 1, (1,2) sqrt2, (0,3) sqrt2, (1,3) 1, (2,3) 1.
  expected = 6 + 4 * 1.0 + 2 * np.sqrt(2.0)
  grid_loss = float(grid.compute_loss(x=images, y_pred=grid(images), training=True))
  plain_loss = float(flat_plain.compute_loss(x=images, y_pred=flat_plain(images), training=True))
  assert abs(grid_loss - plain_loss - expected) < 1e-4


def test_negative_penalty_is_named():
  with pytest.raises(ValueError, match="l2, l1 and l1_distance must be >= 0, got l2=0.0, l1=-1"):
    make_fvsbn((5,), l1=-1)
  with pytest.raises(ValueError, match="l1_distance=-0.5"):
    make_fvsbn((5,), l1_distance=-0.5)


def test_input_dropout_acts_in_training_only():
  x = np.ones((64, 5), np.float32)
  plain, dropped = make_fvsbn((5,)), make_fvsbn((5,), input_dropout=0.5)
  for model in (plain, dropped):
    model.linear.kernel.assign(tf.ones(model.linear.kernel.shape))
  # Outside training the two models are the same regressions.
  np.testing.assert_allclose(dropped(x).numpy(), plain(x).numpy(), rtol=1e-6)
  np.testing.assert_allclose(dropped.log_prob(x).numpy(), plain.log_prob(x).numpy(), rtol=1e-6)
  # In training each input x_j is 0 or 2 (kept with probability 1/2, scaled by 1/(1 - 0.5)),
  # so the last logit (4 earlier inputs, all weights 1) is an even number in 0..8 with mean 4.
  last_logits = dropped(x, training=True).numpy()[:, 4, 0]
  assert set(np.unique(last_logits)) <= {0.0, 2.0, 4.0, 6.0, 8.0}
  assert len(np.unique(last_logits)) > 1
  assert abs(last_logits.mean() - 4.0) < 1.0
  # Dropout multiplies inputs elementwise, so a logit still depends on earlier inputs only.
  with tf.GradientTape() as tape:
    inputs = tf.constant(x)
    tape.watch(inputs)
    logits = dropped(inputs, training=True)[:, 2, 0]
  assert not np.any(tape.gradient(logits, inputs).numpy()[:, 2:])


def test_input_dropout_out_of_range_is_named():
  with pytest.raises(ValueError, match=r"input_dropout must be in \[0, 1\), got 1"):
    make_fvsbn((5,), input_dropout=1.0)


@pytest.mark.parametrize("head,num_values", [(heads.Categorical(3), 3), (heads.Bernoulli(), 2)])
def test_every_head_sees_only_earlier_inputs(head, num_values):
  model = make_fvsbn((3, 3), head, ordering="random", seed=6)
  model.linear.kernel.assign(tf.random.stateless_normal(model.linear.kernel.shape, seed=[4, 4]))
  x = np.random.default_rng(2).integers(0, num_values, (1, 3, 3)).astype(np.float32)
  depends = model_checks.check_autoregressive(model, x)
  assert depends[model.sampling_order().numpy()[-1]].sum() == 8


def test_first_marginal_matches():
  model = make_fvsbn((4,), ordering="random", seed=3)
  model.linear.bias.assign(tf.fill(model.linear.bias.shape, 0.7))
  first = int(model.sampling_order().numpy()[0])
  probability = float(tf.sigmoid(model(np.zeros((1, 4), np.float32))[0, first, 0]))
  draws = model.sample(4000, seed=2).numpy()[:, first]
  assert abs(draws.mean() - probability) < 4 * np.sqrt(probability * (1 - probability) / 4000)
