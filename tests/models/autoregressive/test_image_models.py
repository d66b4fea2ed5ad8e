"""PixelCNN, Gated PixelCNN, PixelCNN++, PixelRNN: the five checks, normalisation, causality, blind spots, fast sampling."""

import numpy as np
import pytest
import tensorflow as tf

from tests import model_checks
from tfgen import heads
from tfgen.models import GatedPixelCNN, PixelCNN, PixelCNNPlusPlus, PixelRNN

# Tiny models over several heads: binary, RGB with per-channel groups, coupled RGB, conditional.
MODELS = {
    "pixel_cnn": (PixelCNN, dict(num_filters=4, num_residual_blocks=2, input_kernel_size=3,
                                 num_output_filters=6)),
    "gated_pixel_cnn": (GatedPixelCNN, dict(num_filters=4, num_layers=2, input_kernel_size=3,
                                            num_output_filters=6)),
    "pixel_cnn_plus_plus": (PixelCNNPlusPlus, dict(num_filters=4, num_resnet=1, num_resolutions=2,
                                                   dropout=0.1)),
    "row_lstm": (PixelRNN, dict(layer_type="row_lstm", num_units=6, num_layers=1,
                                input_kernel_size=3, num_output_filters=6)),
    "diagonal_bilstm": (PixelRNN, dict(layer_type="diagonal_bilstm", num_units=6, num_layers=1,
                                       input_kernel_size=3, num_output_filters=6)),
}
# PixelCNN++ draws a pixel's channels together: RGB needs the coupled head.
PER_CHANNEL = {"pixel_cnn", "gated_pixel_cnn", "row_lstm", "diagonal_bilstm"}
CACHED = [kind for kind in sorted(MODELS) if MODELS[kind][0].has_cached_step]
HEADS = {
    "binary": (lambda: heads.Bernoulli(), 1, 2),
    "rgb": (lambda: heads.Categorical(3), 3, 3),
    "coupled": (lambda: heads.DiscretizedLogisticMixture(2, num_bins=4, coupled_channels=3), 3, 4),
    "coupled_binary": (lambda: heads.DiscretizedLogisticMixture(2, num_bins=2, coupled_channels=3),
                       3, 2),
}


def make(kind, head="binary", height=4, width=4, **kwargs):
  make_head, channels, _ = HEADS[head]
  shape = (height, width, channels)
  model_class, defaults = MODELS[kind]
  model = model_class(shape, make_head(), **{**defaults, **kwargs})
  model.build((None,) + shape)
  return model


def images(num_images, head="binary", height=4, width=4, seed=0):
  _, channels, num_values = HEADS[head]
  return np.random.default_rng(seed).integers(
      0, num_values, (num_images, height, width, channels)).astype(np.float32)


def randomize(model, scale=0.5):
  """Seeded normal weights, and positive biases so few relu units are dead by chance."""
  for index, weight in enumerate(model.trainable_weights):
    if weight.path.endswith("bias"):
      weight.assign(tf.random.stateless_uniform(weight.shape, [index, 1], 0.5, 1.0))
    else:
      weight.assign(tf.random.stateless_normal(weight.shape, seed=[index, 1]) * scale)
  return model


@pytest.fixture(params=sorted(MODELS))
def kind(request):
  return request.param


def rgb(kind):
  """The RGB head a model takes: per-channel Categorical, or the coupled mixture."""
  return "rgb" if kind in PER_CHANNEL else "coupled"


# ---- the five checks ---------------------------------------------------------

@pytest.mark.parametrize("head", sorted(HEADS))
def test_output_shape(kind, head):
  if head == "rgb":
    head = rgb(kind)
  model = make(kind, head)
  expected = (3,) + model.params_shape
  model_checks.check_output_shape(model, images(3, head), expected)


def test_fit_step(kind):
  model_checks.check_fit_step(make(kind, rgb(kind)), images(8, rgb(kind)), every_weight=True)


def test_same_seed_same_sample(kind):
  model_checks.check_seeded_sampling(make(kind))


def test_completing_the_bottom_half_keeps_the_top(kind):
  given = images(3, rgb(kind), seed=2)
  mask = np.zeros_like(given)
  mask[:, :2] = 1.0
  model_checks.check_conditioned_sampling(make(kind, rgb(kind)), given, mask)


def test_completing_a_masked_region_keeps_the_rest():
  given = images(3, "binary", seed=4)
  mask = np.ones_like(given)
  mask[:, 1:3, 1:3] = 0.0  # A missing square in the middle.
  # Pixels after the square are given, but the square's pixels are drawn before them.
  with pytest.warns(UserWarning, match="drawn without seeing those given values"):
    samples = model_checks.check_conditioned_sampling(make("gated_pixel_cnn"), given, mask)
  assert samples.shape == given.shape


@pytest.mark.parametrize("head", ["binary", "rgb", "coupled"])
def test_save_load_round_trip(kind, head, tmp_path):
  if head == "rgb":
    head = rgb(kind)
  model_checks.check_save_load(make(kind, head), images(3, head), tmp_path)


def test_conditional_gated_pixel_cnn_save_load_round_trip(tmp_path):
  model = randomize(make("gated_pixel_cnn", "rgb", num_conditions=3), scale=0.3)
  x, labels = images(3, "rgb"), np.array([0, 2, 1])
  model_checks.check_save_load(model, x, tmp_path,
                               score=lambda model, x: model.log_prob(x, labels))


# ---- likelihoods ----------------------------------------------------------------

def test_binary_images_sum_to_one(kind):
  # 2 x 3 pixels (64 images); PixelCNN++ halves the image, so 2 x 4 (256).
  height, width = (2, 3) if kind in PER_CHANNEL else (2, 4)
  model = randomize(make(kind, height=height, width=width))
  model_checks.check_normalization(model.log_prob, 2, (height, width, 1))


def test_rgb_images_sum_to_one(kind):
  # Per-channel models: 1 x 2 pixels, 3 channels of 3 levels (729 images, drawn R, G, B).
  # PixelCNN++ halves the image once: 2 x 2 pixels of 3 binary channels (4096 images).
  head, height = ("rgb", 1) if kind in PER_CHANNEL else ("coupled_binary", 2)
  model = randomize(make(kind, head, height=height, width=2))
  model_checks.check_normalization(model.log_prob, HEADS[head][2], (height, 2, 3))


@pytest.mark.parametrize("head", ["binary", "rgb", "coupled"])
def test_outputs_depend_only_on_earlier_pixels_and_channels(kind, head):
  if head == "rgb":
    head = rgb(kind)
  model = randomize(make(kind, head))
  model_checks.check_autoregressive(model, images(1, head, seed=3))
  if head == "rgb":
    # And the channels of a pixel see the earlier ones: G sees R, B sees R and G. Small
    # weights under positive biases keep every relu open, so no path is cut by chance.
    depends = model_checks.dependency_matrix(randomize(model, scale=0.05),
                                             images(1, head, seed=3))
    for pixel in range(model.height * model.width):
      red, green, blue = 3 * pixel, 3 * pixel + 1, 3 * pixel + 2
      assert depends[green, red] and depends[blue, red] and depends[blue, green], pixel


def test_a_broken_mask_fails_the_checks():
  model = randomize(make("pixel_cnn", height=2, width=3))
  model.input_conv.mask = np.ones_like(model.input_conv.mask)  # Mask B where A belongs.
  with pytest.raises(AssertionError, match="depends on inputs"):
    model_checks.check_autoregressive(model, images(1, height=2, width=3))
  with pytest.raises(AssertionError, match="sum to"):
    model_checks.check_normalization(model.log_prob, 2, (2, 3, 1))


def receptive_fields(model, size, num_inputs=3):
  """R[p, q]: the output at pixel p depends on pixel q, for any of a few random images."""
  fields = 0
  for seed in range(num_inputs):
    fields = fields | model_checks.dependency_matrix(model, images(1, height=size, width=size,
                                                                    seed=seed))
  return fields


def test_gated_pixel_cnn_sees_every_earlier_pixel_and_pixel_cnn_has_a_blind_spot():
  size = 5
  gated = randomize(make("gated_pixel_cnn", height=size, width=size, num_filters=4, num_layers=5,
                         input_kernel_size=3))
  fields = receptive_fields(gated, size)
  earlier = np.tril(np.ones((size * size, size * size), bool), k=-1)
  np.testing.assert_array_equal(fields, earlier)
  plain = randomize(make("pixel_cnn", height=size, width=size, num_filters=4,
                         num_residual_blocks=5, input_kernel_size=3))
  fields = receptive_fields(plain, size)
  assert not np.any(fields & ~earlier)
  # The pixel above and two to the right of the centre stays unseen, however deep.
  assert not fields[2 * size + 2, 1 * size + 4]
  assert fields[2 * size + 2, 1 * size + 3] and fields[2 * size + 2, 0 * size + 4]


def test_diagonal_bilstm_sees_every_earlier_pixel_and_row_lstm_sees_a_triangle():
  # A pixel's value enters the network at the features of later pixels only (mask A), so
  # (r, 0) sees (r - 1, W - 1) through the 7x7 input convolution: W <= 4 here.
  diagonal = randomize(make("diagonal_bilstm", height=4, width=4, num_layers=2,
                            input_kernel_size=7))
  np.testing.assert_array_equal(receptive_fields(diagonal, 4), np.tril(np.ones((16, 16), bool), -1))
  size = 5
  earlier = np.tril(np.ones((size * size, size * size), bool), k=-1)
  row = randomize(make("row_lstm", height=size, width=size, num_layers=2, input_kernel_size=3))
  fields = receptive_fields(row, size)
  assert not np.any(fields & ~earlier)
  # The pixel at (2, 0) cannot see the far right of the row above: outside its triangle.
  assert fields[2 * size + 0, 1 * size + 1] and not fields[2 * size + 0, 1 * size + 4]


# ---- sampling -------------------------------------------------------------------

CACHED_CONFIGURATIONS = {
    "pixel_cnn_one_layer": ("pixel_cnn", "binary", dict(num_residual_blocks=0)),
    "pixel_cnn_kernels_5_3": ("pixel_cnn", "rgb", dict(input_kernel_size=5, kernel_size=3)),
    "pixel_cnn_kernel_5": ("pixel_cnn", "coupled", dict(kernel_size=5)),
    "gated_one_layer": ("gated_pixel_cnn", "binary", dict(num_layers=1)),
    "gated_kernels_5_3": ("gated_pixel_cnn", "rgb", dict(num_layers=3, input_kernel_size=5)),
    "gated_conditional_rgb": ("gated_pixel_cnn", "rgb", dict(num_conditions=3, kernel_size=5)),
    "gated_coupled": ("gated_pixel_cnn", "coupled", dict(num_layers=3)),
}


@pytest.mark.parametrize("name", sorted(CACHED_CONFIGURATIONS))
def test_cached_step_gives_the_networks_params_at_every_position(name):
  """Teacher forcing: the cached step over a fixed 4x6 image reproduces model(x) at each value."""
  kind, head, overrides = CACHED_CONFIGURATIONS[name]
  model = randomize(make(kind, head, height=4, width=6, **overrides), scale=0.3)
  x = images(2, head, height=4, width=6, seed=7)
  condition = tf.one_hot([1, 2], model.num_conditions) if model.num_conditions else None
  labels = np.array([1, 2])
  full = model((x, labels) if model.num_conditions else x).numpy()
  full = full.reshape(2, model.num_positions, -1)
  values = tf.constant(x)
  state = model._initial_sample_state(values, condition)
  for position in range(model.num_positions):
    params, state = model._sample_step(values, position, tf.constant(position), state, condition)
    np.testing.assert_allclose(params.numpy(), full[:, position], atol=2e-5,
                               err_msg=f"{name}: position {position}")

@pytest.mark.parametrize("kind", CACHED)
@pytest.mark.parametrize("head", ["binary", "rgb", "coupled"])
def test_fast_sampler_draws_the_same_images_as_the_naive_one(kind, head):
  model = randomize(make(kind, head, height=5, width=6), scale=0.3)
  fast = model.sample(4, seed=11, temperature=0.8).numpy()
  naive = model.sample(4, seed=11, temperature=0.8, cached=False).numpy()
  np.testing.assert_array_equal(fast, naive)
  given = images(4, head, height=5, width=6, seed=4)
  mask = np.zeros_like(given)
  mask[:, :2] = 1.0
  mask[:, 2, :3] = 1.0
  fast = model.sample(4, seed=5, conditioned_on=given, mask=mask).numpy()
  naive = model.sample(4, seed=5, conditioned_on=given, mask=mask, cached=False).numpy()
  np.testing.assert_array_equal(fast, naive)


def test_conditional_gated_pixel_cnn_samples_each_class_the_same_both_ways():
  model = randomize(make("gated_pixel_cnn", "rgb", num_filters=6, num_layers=2,
                         num_conditions=3), scale=0.3)
  labels = [0, 1, 2, 1]
  fast = model.sample(4, condition=labels, seed=2).numpy()
  np.testing.assert_array_equal(fast, model.sample(4, condition=labels, seed=2,
                                                   cached=False).numpy())
  x = images(4, "rgb")
  model_checks.check_fit_step(model, {"x": x, "condition": np.array(labels)}, every_weight=True)
  # The label changes the likelihood (and every class weight moved in the fit step above).
  assert not np.allclose(model.log_prob(x, [0, 0, 0, 0]), model.log_prob(x, [2, 2, 2, 2]))
  with pytest.raises(ValueError, match="conditional"):
    model.sample(2)


def test_temperature_sharpens_the_samples():
  model = randomize(make("pixel_cnn", "rgb", height=4, width=4), scale=0.3)
  cold = model.sample(64, seed=1, temperature=0.05).numpy()
  warm = model.sample(64, seed=1, temperature=5.0).numpy()
  # Near-greedy draws repeat across samples; flat draws do not.
  assert cold.std(axis=0).mean() < 0.5 * warm.std(axis=0).mean()


def test_bad_arguments_are_named():
  with pytest.raises(ValueError, match=r"\(height, width, channels\)"):
    PixelCNN((16,), heads.Bernoulli())
  with pytest.raises(ValueError, match="num_filters >= 1"):
    PixelCNN((4, 4, 1), heads.Bernoulli(), num_filters=0)
  with pytest.raises(ValueError, match="num_layers >= 1"):
    GatedPixelCNN((4, 4, 1), heads.Bernoulli(), num_layers=0)
  with pytest.raises(ValueError, match="GatedPixelCNN takes num_conditions"):
    PixelCNN((4, 4, 1), heads.Bernoulli(), num_conditions=2)
  with pytest.raises(ValueError, match="odd input_kernel_size >= 3, got 1"):
    PixelCNN((4, 4, 1), heads.Bernoulli(), input_kernel_size=1)
  with pytest.raises(ValueError, match="odd kernel_size >= 1, got 4"):
    GatedPixelCNN((4, 4, 1), heads.Bernoulli(), kernel_size=4)
  with pytest.raises(ValueError, match="layer_type must be one of row_lstm, diagonal_bilstm"):
    PixelRNN((4, 4, 1), heads.Bernoulli(), layer_type="gru")
  with pytest.raises(ValueError, match=r"coupled_channels=3"):
    PixelCNNPlusPlus((4, 4, 3), heads.Categorical(4))
  with pytest.raises(ValueError, match="multiples of 4, got 6x8"):
    PixelCNNPlusPlus((6, 8, 1), heads.Bernoulli(), num_resolutions=3)
  model = make("pixel_cnn")
  with pytest.raises(ValueError, match=r"\(4, 4, 1\)"):
    model.log_prob(np.zeros((2, 4, 5, 1), np.float32))
  with pytest.raises(tf.errors.InvalidArgumentError, match="Bernoulli"):
    model.log_prob(np.full((2, 4, 4, 1), 2.0, np.float32))
