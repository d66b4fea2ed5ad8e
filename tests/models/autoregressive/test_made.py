import keras
import numpy as np
import pytest
import scipy.stats
import tensorflow as tf

from tests import model_checks
from tfgen import heads
from tfgen.models import MADE
from tfgen.training.mask_cycler import MaskCycler


def binary_data(num_examples, shape, seed=0):
  return np.random.default_rng(seed).integers(0, 2, (num_examples,) + shape).astype(np.float32)


def make_made(event_shape=(4, 4, 1), head=None, **kwargs):
  kwargs.setdefault("hidden_units", [24, 24])
  model = MADE(event_shape, head or heads.Bernoulli(), **kwargs)
  model.build((None,) + tuple(event_shape))
  return model


# ---- the five checks every model gets ----------------------------------------

def test_output_shape():
  model = make_made(head=heads.Categorical(3))
  model_checks.check_output_shape(model, np.zeros((5, 4, 4, 1), np.float32), (5, 4, 4, 1, 3))


def test_fit_step():
  model_checks.check_fit_step(make_made(), binary_data(16, (4, 4, 1)))


def test_same_seed_same_sample():
  model_checks.check_seeded_sampling(make_made(ordering="random", seed=3))


def test_conditioned_sampling_keeps_given_entries():
  model = make_made(ordering="random", seed=1)
  given = binary_data(4, (4, 4, 1), seed=5)
  mask = np.zeros((4, 4, 4, 1), np.float32)
  mask[:, :2] = 1.0
  model_checks.check_conditioned_sampling(model, given, mask)


def test_save_load_round_trip(tmp_path):
  model = make_made(head=heads.Categorical(3), ordering="random", direct_connection=True, seed=4)
  x = np.random.default_rng(1).integers(0, 3, (6, 4, 4, 1)).astype(np.float32)
  loaded = model_checks.check_save_load(model, x, tmp_path)
  np.testing.assert_array_equal(loaded.sampling_order().numpy(), model.sampling_order().numpy())


# ---- exact normalisation ------------------------------------------------------

@pytest.mark.parametrize("ordering", ["natural", "random"])
def test_ten_binary_inputs_sum_to_one(ordering):
  model = make_made((10,), ordering=ordering, hidden_units=[16, 16], direct_connection=True, seed=2)
  model_checks.check_normalization(model.log_prob, 2, (10,), atol=1e-5)


def test_categorical_sums_to_one():
  model = make_made((5,), heads.Categorical(3), ordering="random", seed=6)
  model_checks.check_normalization(model.log_prob, 3, (5,), atol=1e-5)


def test_coupled_logistic_mixture_sums_to_one():
  head = heads.DiscretizedLogisticMixture(num_components=2, num_bins=3, coupled_channels=2)
  model = make_made((1, 2, 2), head, ordering="random", seed=1)
  assert model.num_positions == 2 and model.element_size == 2
  model_checks.check_normalization(model.log_prob, 3, (1, 2, 2), atol=1e-5)


def test_gaussian_mixture_density_integrates_to_one_in_two_dimensions():
  model = make_made((2,), heads.GaussianMixture(2), hidden_units=[8, 8], ordering="reverse",
                    direct_connection=True, seed=3)
  model_checks.check_density_integrates_to_one_in_two_dimensions(model)


# ---- the autoregressive property, with gradients ------------------------------

@pytest.mark.parametrize("ordering,hidden_degrees,direct", [
    ("natural", "random", False), ("random", "random", True), ("random", "equal", False)])
def test_outputs_depend_only_on_earlier_inputs(ordering, hidden_degrees, direct):
  # tanh has no dead zone, so every allowed connection shows in the gradients.
  model = make_made((3, 3, 1), ordering=ordering, hidden_degrees=hidden_degrees,
                    direct_connection=direct, seed=9, activation="tanh")
  x = tf.random.stateless_uniform((1, 3, 3, 1), seed=[1, 1])
  depends = model_checks.check_autoregressive(model, x)
  order = model.sampling_order().numpy()
  # The last position in the order sees every other input: the check is not vacuous.
  assert depends[order[-1]].sum() == 8


@pytest.mark.parametrize("head", [heads.Categorical(3), heads.GaussianMixture(2)])
def test_outputs_of_every_head_depend_only_on_earlier_inputs(head):
  model = make_made((3, 3), head, ordering="random", direct_connection=True, seed=5,
                    activation="tanh")
  x = np.random.default_rng(1).integers(0, 3, (1, 3, 3)).astype(np.float32)
  depends = model_checks.check_autoregressive(model, x)
  assert depends[model.sampling_order().numpy()[-1]].sum() == 8


def test_autoregressive_check_fails_on_a_broken_mask():
  model = make_made((6,), hidden_units=[16], hidden_degrees="equal")
  layer = model.output_layer
  # Output degrees above every hidden degree: each output sees every hidden unit.
  layer.set_degrees(layer.input_degrees.numpy(), np.full(layer.units, 7, np.int32))
  with pytest.raises(AssertionError, match="depends on inputs"):
    model_checks.check_autoregressive(model, tf.random.stateless_uniform((1, 6), seed=[2, 2]))


def test_normalization_check_fails_on_a_broken_mask():
  model = make_made((6,), hidden_units=[16], hidden_degrees="equal", direct_connection=True)
  layer = model.direct_layer
  # Input degrees below every output degree: each output sees every input directly.
  layer.set_degrees(np.zeros(6, np.int32), layer.output_degrees.numpy())
  with pytest.raises(AssertionError, match="sum to"):
    model_checks.check_normalization(model.log_prob, 2, (6,))


def test_one_hot_inputs_see_only_earlier_positions():
  model = make_made((3, 3), heads.Categorical(4), ordering="random", activation="tanh", seed=2)
  assert model.input_encoding == "one_hot" and model.input_features == 4
  x = np.random.default_rng(0).integers(0, 4, (1, 3, 3)).astype(np.float32)
  depends = model_checks.check_autoregressive(model, x)
  assert depends[model.sampling_order().numpy()[-1]].sum() == 8


def test_coupled_pixels_see_only_earlier_pixels():
  head = heads.DiscretizedLogisticMixture(num_components=2, num_bins=4, coupled_channels=3)
  model = make_made((2, 2, 3), head, ordering="random", seed=3)
  model_checks.check_autoregressive(model, tf.random.stateless_uniform((1, 2, 2, 3), seed=[3, 3]))


# ---- sampling matches the model -----------------------------------------------

def test_first_pixel_marginal_matches_its_probability():
  model = make_made((5,), hidden_units=[8])
  first = int(model.sampling_order().numpy()[0])
  logit = float(model(np.zeros((1, 5), np.float32)).numpy()[0, first, 0])
  probability = 1.0 / (1.0 + np.exp(-logit))
  draws = model.sample(4000, seed=12).numpy()[:, first]
  assert abs(draws.mean() - probability) < 4 * np.sqrt(probability * (1 - probability) / 4000)


def test_samples_follow_the_joint_distribution():
  model = make_made((3,), hidden_units=[8], direct_connection=True, seed=5)
  x = model_checks.all_values(2, (3,))
  probs = np.exp(model.log_prob(x).numpy())
  draws = model.sample(6000, seed=21).numpy().astype(int)
  counts = np.bincount(draws @ np.array([4, 2, 1]), minlength=8)
  expected = probs * 6000
  statistic = ((counts - expected) ** 2 / expected).sum()
  assert statistic < scipy.stats.chi2.ppf(0.999, df=7), (counts, expected)


# ---- bad input ----------------------------------------------------------------

def test_wrong_event_size_names_both_sizes():
  model = make_made((4, 4, 1))
  with pytest.raises(ValueError, match=r"expects examples of shape \(4, 4, 1\) \(16 values\), "
                     r"got shape \(5, 5, 1\) \(25 values\)"):
    model.log_prob(np.zeros((2, 5, 5, 1), np.float32))


def test_non_binary_input_is_refused():
  model = make_made((4,))
  with pytest.raises(tf.errors.InvalidArgumentError, match="Bernoulli head"):
    model.log_prob(np.array([[0, 1, 0.5, 1]], np.float32))


def test_categorical_value_out_of_range_is_refused():
  model = make_made((4,), heads.Categorical(3))
  with pytest.raises(tf.errors.InvalidArgumentError, match="values > 2"):
    model.log_prob(np.array([[0, 1, 3, 1]], np.float32))


def test_sampling_arguments_are_checked():
  model = make_made((4,))
  with pytest.raises(ValueError, match="needs a mask"):
    model.sample(2, conditioned_on=np.zeros((2, 4)))
  with pytest.raises(ValueError, match="must have shape"):
    model.sample(2, conditioned_on=np.zeros((3, 4)), mask=np.ones(4))
  with pytest.raises(ValueError, match="temperature"):
    model.sample(2, temperature=0.0)
  with pytest.raises(ValueError, match="num_samples"):
    model.sample(0)


def test_completion_mask_checks():
  head = heads.DiscretizedLogisticMixture(num_components=2, num_bins=4, coupled_channels=3)
  model = make_made((2, 3), head)
  with pytest.raises(ValueError, match="same for the 3 values of each element"):
    model.sample(1, conditioned_on=np.zeros((1, 2, 3)), mask=np.array([[1, 0, 0], [0, 0, 0]]))
  reverse = make_made((4,), ordering="reverse")
  with pytest.warns(UserWarning, match="free positions come before given ones"):
    reverse.sample(2, conditioned_on=np.ones((2, 4)), mask=np.array([1, 1, 0, 0]))
  # NaN placeholders where nothing is given are fine.
  given = np.array([[1.0, np.nan, np.nan, np.nan]])
  assert reverse.sample(1, conditioned_on=given, mask=np.array([1, 0, 0, 0]), seed=1)[0, 0] == 1.0


def test_numpy_integer_seeds():
  model = make_made((4,))
  np.testing.assert_array_equal(model.sample(2, seed=np.int64(5)).numpy(),
                                model.sample(2, seed=5).numpy())


def test_constructor_arguments_are_checked():
  with pytest.raises(ValueError, match="ordering"):
    MADE((4,), heads.Bernoulli(), ordering="zigzag")
  with pytest.raises(ValueError, match="hidden layer"):
    MADE((4,), heads.Bernoulli(), hidden_units=[])
  with pytest.raises(ValueError, match="dropout"):
    MADE((4,), heads.Bernoulli(), dropout=1.0)


def test_dropout_acts_in_training_only_and_round_trips(tmp_path):
  model = make_made((3, 3, 1), dropout=0.5, activation="tanh", seed=4)
  x = tf.random.stateless_uniform((2, 3, 3, 1), seed=[3, 3])
  np.testing.assert_array_equal(model(x).numpy(), model(x, training=False).numpy())
  assert not np.allclose(model(x, training=True).numpy(), model(x).numpy())
  # Dropped units only remove paths: the autoregressive property holds in training too.
  depends = model_checks.check_autoregressive(model, x[:1], training=True)
  assert depends.any()
  path = str(tmp_path / "made.keras")
  model.save(path)
  restored = keras.saving.load_model(path, safe_mode=True)
  assert restored.dropout == 0.5
  binary = binary_data(2, (3, 3, 1))
  np.testing.assert_allclose(restored.log_prob(binary).numpy(), model.log_prob(binary).numpy(), rtol=1e-6)


def test_bfloat16_training_matmuls_keep_the_autoregressive_property_and_round_trip(tmp_path):
  model = make_made((3, 3, 1), ordering="random", direct_connection=True, activation="tanh",
                    seed=6, num_masks=2, training_matmul_dtype="bfloat16")
  exact = make_made((3, 3, 1), ordering="random", direct_connection=True, activation="tanh",
                    seed=6, num_masks=2)
  exact.set_weights(model.get_weights())
  x = tf.random.stateless_uniform((2, 3, 3, 1), seed=[4, 4])
  np.testing.assert_array_equal(model(x).numpy(), exact(x).numpy())  # Not training: float32.
  rounded = model(x, training=True).numpy()
  assert not np.array_equal(rounded, exact(x, training=True).numpy())
  np.testing.assert_allclose(rounded, exact(x, training=True).numpy(), atol=5e-2)
  for mask in range(2):
    model.use_mask(mask)
    depends = model_checks.check_autoregressive(model, x[:1], training=True)
    assert depends[model.sampling_order().numpy()[-1]].sum() == 8
  model_checks.check_fit_step(model, binary_data(16, (3, 3, 1)), jit_compile=False, every_weight=True)
  path = str(tmp_path / "made.keras")
  model.save(path)
  restored = keras.saving.load_model(path, safe_mode=True)
  assert restored.training_matmul_dtype == "bfloat16"


# ---- mask ensembles and connectivity-agnostic training ----------------------------

def test_ensemble_log_prob_is_log_mean_of_per_mask_probabilities():
  model = make_made((6,), hidden_units=[16, 16], ordering="random", num_masks=4, seed=3,
                    direct_connection=True)
  x = model_checks.all_values(2, (6,))
  per_mask = []
  for index in range(4):
    model.use_mask(index)
    per_mask.append(np.exp(model.log_prob(x).numpy().astype(np.float64)))
  model.use_mask(1)
  ensemble = model.ensemble_log_prob(x).numpy()
  np.testing.assert_allclose(ensemble, np.log(np.mean(per_mask, axis=0)), atol=1e-5)
  assert model.mask_index == 1  # Left as it was.
  assert abs(np.exp(ensemble.astype(np.float64)).sum() - 1.0) < 1e-5
  orders = {tuple(order) for order in [model.sampling_order().numpy()]}
  model.use_mask(2)
  orders.add(tuple(model.sampling_order().numpy()))
  assert len(orders) == 2  # Random orderings differ between masks.
  for bad in (0, 5):  # Mask 4 would wrap onto mask 0.
    with pytest.raises(ValueError, match=r"num_masks must be in \[1, 4\]"):
      model.ensemble_log_prob(x, num_masks=bad)


def test_mask_cycler_changes_masks_during_fit_and_validates_on_mask_zero():
  model = make_made((6,), hidden_units=[8], ordering="random", num_masks=3)
  seen = []

  class Record(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
      seen.append(("train", model.mask_index))

    def on_test_batch_begin(self, batch, logs=None):
      seen.append(("valid", model.mask_index))

  x = binary_data(8, (6,))
  model.compile(optimizer="adam")
  model.fit(x, validation_data=(x,), batch_size=2, epochs=1, verbose=0,
            callbacks=[MaskCycler(every_n_steps=1), Record()])
  assert [index for kind, index in seen if kind == "train"] == [0, 1, 2, 0]
  assert {index for kind, index in seen if kind == "valid"} == {0}


def test_mask_cycler_every_n_steps_keeps_each_mask_for_n_steps():
  model = make_made((6,), hidden_units=[8], ordering="random", num_masks=3)
  seen = []

  class Record(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
      seen.append((model.mask_index, tuple(model.sampling_order().numpy())))

  model.compile(optimizer="adam")
  model.fit(binary_data(14, (6,)), batch_size=2, epochs=1, verbose=0,
            callbacks=[MaskCycler(every_n_steps=2), Record()])
  assert [index for index, _ in seen] == [0, 0, 1, 1, 2, 2, 0]
  # Masks and ordering change together: each mask index has its own ordering.
  orders = {index: order for index, order in seen}
  assert len(set(orders.values())) == 3
  assert all(order == orders[index] for index, order in seen)
