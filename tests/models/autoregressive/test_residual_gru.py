"""ResidualGRU: the five checks, causality, the cached step, forecasts, the sampling-based loss."""

import numpy as np
import pytest
import tensorflow as tf

from tests import model_checks
from tfgen import heads
from tfgen.models import ResidualGRU

TIME, FEATURES = 6, 3

VARIANTS = {
    "lecture": dict(head=heads.DiagonalGaussianMixture(1, fixed_scale=1.0)),
    "velocity_mixture": dict(head=heads.DiagonalGaussianMixture(2), residual_velocity=True),
    "seq2seq": dict(head=heads.DiagonalGaussianMixture(1, fixed_scale=1.0), num_layers=1,
                    encoder_activation="linear", input_residual=False, decoder_units=0,
                    residual_velocity=True, num_observed=3),
}


def make(variant, **overrides):
  arguments = dict(hidden_units=8, num_layers=2, decoder_units=5)
  arguments.update(VARIANTS[variant])
  arguments.update(overrides)
  model = ResidualGRU((TIME, FEATURES), **arguments)
  model.build((None, TIME, FEATURES))
  return model


def frames(batch=4, seed=0):
  return np.random.default_rng(seed).normal(size=(batch, TIME, FEATURES)).astype(np.float32)


@pytest.fixture(params=sorted(VARIANTS))
def variant(request):
  return request.param


def test_output_shape(variant):
  model = make(variant)
  model_checks.check_output_shape(model, frames(), (4, TIME) + model.params_shape[1:])


def test_fit_step(variant):
  model_checks.check_fit_step(make(variant), frames(8), every_weight=True)


def test_same_seed_same_sample(variant):
  model_checks.check_seeded_sampling(make(variant))


def test_conditioned_sampling_keeps_the_observed_frames(variant):
  mask = np.zeros((4, TIME, FEATURES), np.float32)
  mask[:, :3] = 1.0
  model_checks.check_conditioned_sampling(make(variant), frames(), mask)


def test_save_load(variant, tmp_path):
  model_checks.check_save_load(make(variant), frames(), tmp_path)


def test_params_depend_only_on_earlier_frames(variant):
  """d params_t / d x_s = 0 for every s >= t, through every path (the velocity shift too)."""
  model = make(variant)
  x = tf.constant(frames(1))
  with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    params = model(x)
    totals = [tf.reduce_sum(params[:, t]) for t in range(TIME)]
  for t, total in enumerate(totals):
    gradient = np.abs(tape.gradient(total, x).numpy()[0]).sum(axis=-1)
    later = np.flatnonzero(gradient[t:]) + t
    assert not len(later), f"frame {t} depends on frames {later}"
    if t > 0:
      assert gradient[t - 1] > 0, f"frame {t} does not see frame {t - 1}"


def test_cached_step_equals_the_full_pass(variant):
  model = make(variant)
  x = frames(2)
  state, previous, steps = model.start_state(2), tf.zeros([2, FEATURES]), []
  for t in range(TIME):
    params, state = model.next_params(previous, tf.constant(t), state)
    steps.append(params.numpy())
    previous = x[:, t]
  np.testing.assert_allclose(np.stack(steps, 1), model(x).numpy(), atol=1e-5)


def test_mean_forecast_equals_feeding_the_means_back_by_hand(variant):
  model = make(variant)
  observed = frames(2)[:, :4]
  state, previous = model.start_state(2), tf.zeros([2, FEATURES])
  for t in range(4):
    _, state = model.next_params(previous, tf.constant(t), state)
    previous = observed[:, t]
  by_hand = []
  for t in range(4, 9):  # Past the model's 6 frames: forecasting is not bound to event_shape.
    params, state = model.next_params(previous, tf.constant(t), state)
    previous = model.head.mean(params)
    by_hand.append(previous.numpy())
  got = model.forecast(observed, 5).numpy()
  np.testing.assert_allclose(got, np.stack(by_hand, 1), atol=1e-5)


def test_drawn_forecast_equals_the_shared_sampling_loop(variant):
  model = make(variant)
  given = frames(3)
  mask = np.zeros_like(given)
  mask[:, :4] = 1.0
  sampled = model.sample(3, conditioned_on=given, mask=mask, seed=5).numpy()
  drawn = model.forecast(given[:, :4], TIME - 4, mean=False, seed=5).numpy()
  np.testing.assert_allclose(drawn, sampled[:, 4:], atol=1e-5)


def test_drawn_futures_differ_and_repeat_by_seed():
  model = make("velocity_mixture")
  observed = frames(1)[:, :3]
  futures = model.forecast(observed, 4, num_samples=3, mean=False, seed=1).numpy()
  assert futures.shape == (3, 4, FEATURES)
  assert not np.allclose(futures[0], futures[1])
  np.testing.assert_array_equal(futures, model.forecast(observed, 4, num_samples=3, mean=False,
                                                        seed=1).numpy())


def test_sampling_based_loss_scores_the_free_running_forecast():
  model = make("seq2seq")
  x = frames(2)
  params = model.free_running_params(tf.constant(x))
  means = model.forecast(x[:, :3], TIME - 3).numpy()
  np.testing.assert_allclose(model.head.mean(params[:, 3:]).numpy(), means, atol=1e-5)
  # fixed_scale 1: -log p = 0.5 ||x - forecast||^2 + 0.5 log(2 pi) per value.
  squared = np.sum((x[:, 3:] - means) ** 2, axis=(1, 2))
  expected = np.mean(0.5 * squared + 0.5 * np.log(2 * np.pi) * (TIME - 3) * FEATURES)
  loss = model.compute_loss(x, None, model(x)).numpy()
  np.testing.assert_allclose(loss, expected, rtol=1e-5)
  teacher_forced = -np.mean(model.log_prob(x).numpy())
  assert not np.isclose(loss, teacher_forced)


def test_multi_action_model_takes_labels():
  model = make("seq2seq", num_conditions=3)
  x, labels = frames(4), np.array([0, 1, 2, 0])
  model_checks.check_fit_step(model, {"x": x, "condition": labels})
  one = model.forecast(x[:1, :3], 2, condition=0).numpy()
  other = model.forecast(x[:1, :3], 2, condition=1).numpy()
  assert not np.allclose(one, other)
  with pytest.raises(ValueError, match="conditional"):
    model.forecast(x[:1, :3], 2)


def test_bad_arguments_are_refused():
  with pytest.raises(ValueError, match="DiagonalGaussianMixture"):
    ResidualGRU((TIME, FEATURES), heads.Normal())
  with pytest.raises(ValueError, match="num_observed"):
    make("seq2seq", num_observed=TIME)
  model = make("lecture")
  with pytest.raises(ValueError, match=r"observed must be \[batch, time >= 1, 3\]"):
    model.forecast(np.zeros((2, 4, 5), np.float32), 3)
  with pytest.raises(ValueError, match="num_frames"):
    model.forecast(frames(1), 0)
  with pytest.raises(ValueError, match="one future"):
    model.forecast(frames(1), 2, num_samples=2)
  with pytest.raises(tf.errors.InvalidArgumentError, match="finite"):
    model.forecast(np.full((1, 2, FEATURES), np.nan, np.float32), 2)


def test_forecast_builds_an_unbuilt_model_and_tracks_one_output_layer():
  model = ResidualGRU((TIME, FEATURES), heads.DiagonalGaussianMixture(1, fixed_scale=1.0),
                      hidden_units=8, residual_velocity=True)
  assert model.forecast(frames(1)[:, :2], 3).shape == (1, 3, FEATURES)
  assert [layer.name for layer in model.layers].count("params") == 1
  kernel = model.output_layer.kernel.numpy()
  assert np.abs(kernel).max() <= 0.04  # Martinez et al.'s small output weights.
  with pytest.raises(ValueError, match="hidden_units must be >= 1"):
    ResidualGRU((TIME, FEATURES), heads.DiagonalGaussianMixture(1), hidden_units=0)
  with pytest.raises(ValueError, match="drop embedding_size"):
    ResidualGRU((TIME, FEATURES), heads.DiagonalGaussianMixture(1), embedding_size=4)
