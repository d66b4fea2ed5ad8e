"""CycleGAN: its losses, the image history, a fit step, save/load and translation at any size."""

import numpy as np
import keras
import pytest
import tensorflow as tf

from tests import model_checks
from tfgen.models.adversarial import CycleGAN
from tfgen.models.adversarial import cycle_gan_networks
from tfgen.models.adversarial import gan_losses
from tfgen.models.adversarial.image_history import ImageHistory
from tfgen.utils import tiling


def make(**kwargs):
  kwargs = {"num_filters": 4, "num_residual_blocks": 1, "num_downsamplings": 1,
            "num_discriminator_layers": 1, "history_size": 4, **kwargs}
  return CycleGAN((8, 8, 3), 256, **kwargs)


def images(num, seed=0, size=8):
  return np.random.default_rng(seed).integers(0, 256, (num, size, size, 3)).astype(np.float32)


def pairs(num=4, batch_size=2):
  return tf.data.Dataset.from_tensor_slices((images(num, 0), images(num, 1))).batch(batch_size)


def test_cycle_loss_is_zero_for_identity_generators_and_not_otherwise():
  a, b = tf.constant(images(3, 0)), tf.constant(images(3, 1))
  identity = lambda x: x
  assert float(gan_losses.cycle_loss(a, b, identity, identity)) == 0.0
  assert float(gan_losses.identity_loss(a, b, identity, identity)) == 0.0
  shifted = lambda x: x + 1.0
  # F(G(a)) = a + 2 everywhere: |.| = 2 on each side.
  assert float(gan_losses.cycle_loss(a, b, shifted, shifted)) == pytest.approx(4.0)
  inverse = lambda x: x - 1.0
  assert float(gan_losses.cycle_loss(a, b, shifted, inverse)) == pytest.approx(0.0, abs=1e-4)


def test_history_fills_then_returns_an_old_image_half_the_time():
  history = ImageHistory((1, 1, 1), size=50, seed=3)
  first = np.arange(50, dtype=np.float32).reshape(50, 1, 1, 1)
  np.testing.assert_array_equal(history(first), first)  # Filling: each comes back as it is.
  new = 1000.0 + np.arange(4000, dtype=np.float32).reshape(4000, 1, 1, 1)
  returned = tf.function(history)(new).numpy().ravel()  # Traced: 4000 eager loop steps are slow.
  old = returned != new.ravel()
  # Binomial(4000, 1/2): the standard deviation of the fraction is 0.008.
  assert abs(old.mean() - 0.5) < 0.04, old.mean()
  # An old image is one that was stored: an initial one, or a new one stored earlier.
  stored = set(first.ravel()) | set(new.ravel())
  assert set(returned[old]) <= stored
  assert np.all(returned[old][returned[old] >= 1000] < new.ravel()[old][returned[old] >= 1000])


def test_history_of_size_zero_passes_batches_through():
  batch = images(3)[..., :1]
  np.testing.assert_array_equal(ImageHistory((8, 8, 1), size=0)(batch), batch)


def test_fit_step_trains_all_four_networks():
  model = make()
  model.compile(optimizer=keras.optimizers.Adam(1e-2, beta_1=0.5))
  before = [weight.numpy() for weight in model.trainable_weights]
  history = model.fit(pairs(), epochs=1, verbose=0)
  assert set(history.history) == {"g_loss", "cycle_loss", "identity_loss", "d_a_loss", "d_b_loss"}
  assert all(np.isfinite(values[0]) for values in history.history.values())
  unchanged = [weight.path for weight, old in zip(model.trainable_weights, before)
               if np.allclose(old, weight.numpy())]
  assert not unchanged, unchanged
  assert int(model.history_a.count.numpy()) == 4  # Both batches went through the history.


def test_identity_weight_zero_drops_the_identity_term():
  model = make(identity_weight=0.0)
  model.compile(optimizer=keras.optimizers.Adam(1e-3))
  history = model.fit(pairs(), epochs=1, verbose=0)
  assert history.history["identity_loss"][0] == 0.0


def test_save_load_keeps_generators_and_history(tmp_path):
  model = make()
  model.compile(optimizer=keras.optimizers.Adam(1e-3))
  model.fit(pairs(), epochs=1, verbose=0)
  x = images(2)
  loaded = model_checks.check_save_load(model, x, tmp_path,
                                        score=lambda m, x: m.translate(x, "b2a"))
  np.testing.assert_array_equal(loaded.history_b.images.numpy(), model.history_b.images.numpy())


@pytest.mark.parametrize("height, width", [(13, 17), (8, 8), (5, 3)])
def test_translates_any_size_in_both_directions(height, width):
  model = make(num_downsamplings=2)
  x = images(2, size=max(height, width))[:, :height, :width]
  for direction in ("a2b", "b2a"):
    output = model.translate(x, direction).numpy()
    assert output.shape == x.shape and output.min() >= 0 and output.max() <= 255


def test_translation_is_the_generator_on_the_data_scale():
  model = make(num_downsamplings=1)
  x = images(2)
  expected = (np.clip(model.generator_b2a(x / 127.5 - 1.0).numpy(), -1, 1) + 1.0) * 127.5
  np.testing.assert_allclose(model.translate(x, "b2a"), expected, rtol=1e-5, atol=1e-3)


def test_tiled_translation_covers_the_image_and_one_tile_is_the_whole_translation():
  model = make(num_downsamplings=1)
  x = images(1, size=40)
  whole = model.translate(x, "a2b").numpy()
  tiled = model.translate(x, "a2b", tile_size=24, overlap=8).numpy()
  assert tiled.shape == whole.shape and tiled.min() >= 0 and tiled.max() <= 255
  # Instance norm normalizes each tile by its own statistics, so tiles differ from the
  # whole translation (less so for large tiles of natural images); one tile is the same.
  np.testing.assert_allclose(model.translate(x, "a2b", tile_size=40, overlap=8), whole, atol=1e-3)


def test_tiling_a_pointwise_function_is_exact():
  x = tf.random.stateless_uniform([2, 37, 50, 3], seed=[1, 2])
  np.testing.assert_allclose(tiling.tiled_apply(lambda t: 2.0 * t + 1.0, x, 16, 5),
                             2.0 * x + 1.0, rtol=1e-6)
  assert tiling.tile_starts(37, 16, 5) == [0, 11, 21]


def test_generators_are_fully_convolutional_and_reflect_padded():
  generator = cycle_gan_networks.resnet_generator(3, 4, 1, 2)
  assert generator.input_shape == (None, None, None, 3)
  names = [layer.__class__.__name__ for layer in generator.layers]
  assert "ReflectionPadding2D" in names and "GroupNormalization" in names
  zero = cycle_gan_networks.resnet_generator(3, 4, 1, 2, padding="zero")
  assert "ReflectionPadding2D" not in [layer.__class__.__name__ for layer in zero.layers]
  patches = cycle_gan_networks.patch_discriminator(3, 4, 3)(tf.zeros([1, 64, 64, 3]))
  assert tuple(patches.shape) == (1, 8, 8, 1)  # One logit per (overlapping) 70x70 patch.


def test_bad_input_names_the_problem():
  model = make()
  with pytest.raises(ValueError, match="direction must be a2b or b2a"):
    model.translate(images(1), "a2c")
  with pytest.raises(ValueError, match=r"height, width, 3\]"):
    model.translate(images(1)[..., :1])
  with pytest.raises(ValueError, match="divisible"):
    make(num_downsamplings=4)
  with pytest.raises(Exception, match=r"values in \[0, 255\]"):
    model.translate(images(1) + 300.0)
  model.compile(optimizer=keras.optimizers.Adam(1e-3))
  wrong_size = tf.data.Dataset.from_tensor_slices((images(2, size=16), images(2, size=16))).batch(2)
  with pytest.raises(ValueError, match=r"crops of shape \(8, 8, 3\)"):
    model.fit(wrong_size, epochs=1, verbose=0)
  with pytest.raises(ValueError, match="no likelihood|cannot sample"):
    model.sample(2)
