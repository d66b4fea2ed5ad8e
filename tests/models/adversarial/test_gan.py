"""GAN and DCGAN (and their conditional forms): the shared checks, the networks' shapes, bad input."""

import numpy as np
import keras
import pytest

from tests import model_checks
from tfgen.models.adversarial import DCGAN
from tfgen.models.adversarial import GAN
from tfgen.models.adversarial import networks

SHAPE = (8, 8, 1)


def digits_like(num, seed=0):
  return np.random.default_rng(seed).integers(0, 17, (num,) + SHAPE).astype(np.float32)


def make(kind="dcgan", **kwargs):
  kwargs = {"latent_size": 4, "hidden_units": (16,), "num_filters": 4, **kwargs}
  return (DCGAN if kind == "dcgan" else GAN)(SHAPE, 17, **kwargs)


def inputs(model, x):
  if not model.num_conditions:
    return x
  return {"x": x, "condition": np.arange(len(x)) % model.num_conditions}


@pytest.fixture(params=["mlp", "dcgan"])
def kind(request):
  return request.param


def test_output_is_one_logit_per_example(kind):
  model_checks.check_output_shape(make(kind), digits_like(5), (5,))


@pytest.mark.parametrize("options", [
    {}, {"num_conditions": 10}, {"loss": "minimax"}, {"loss": "hinge", "spectral_norm": True},
    {"loss": "wgan_gp", "discriminator_normalization": "layer", "num_discriminator_steps": 2},
    {"loss": "least_squares", "upsampling": "resize"}], ids=str)
def test_fit_step_moves_both_networks_and_logs_the_four_metrics(kind, options):
  model = make(kind, **options)
  x = inputs(model, digits_like(16))
  # Under hinge (inside the margins) and WGAN-GP, D's last bias adds as much to the real
  # logits as to the fake ones, so its gradient is exactly zero: every other weight moves.
  linear = options.get("loss") in ("hinge", "wgan_gp")
  model_checks.check_fit_step(model, x, every_weight=not linear, loss_key="d_loss")
  history = model.fit(x, epochs=1, batch_size=16, verbose=0)
  assert set(history.history) == {"d_loss", "g_loss", "real_accuracy", "fake_accuracy"}
  steps = model.num_discriminator_steps
  assert int(model.d_optimizer.iterations) == 2 * steps and int(model.g_optimizer.iterations) == 2


@pytest.mark.parametrize("frozen", ["discriminator", "generator"])
def test_each_optimizer_updates_only_its_network(frozen):
  model = make()
  still, moving = keras.optimizers.Adam(0.0), keras.optimizers.Adam(1e-2)
  model.compile(d_optimizer=still if frozen == "discriminator" else moving,
                g_optimizer=still if frozen == "generator" else moving)
  networks_by_name = {"discriminator": model.discriminator, "generator": model.generator}
  before = {name: [w.numpy() for w in network.trainable_weights]
            for name, network in networks_by_name.items()}
  model.fit(digits_like(16), epochs=1, batch_size=16, verbose=0)
  for name, network in networks_by_name.items():
    moved = [not np.allclose(old, w.numpy()) for old, w in zip(before[name], network.trainable_weights)]
    assert (not any(moved)) if name == frozen else all(moved), (name, moved)


def test_same_seed_same_sample_on_the_data_scale(kind):
  samples = model_checks.check_seeded_sampling(make(kind))
  assert samples.min() >= 0 and samples.max() <= 16
  np.testing.assert_array_equal(samples, np.round(samples))


def test_conditional_samples_depend_on_the_label():
  model = make(num_conditions=10)
  threes = model.sample(4, condition=3, seed=1).numpy()
  sevens = model.sample(4, condition=7, seed=1).numpy()
  assert threes.shape == (4,) + SHAPE and not np.array_equal(threes, sevens)
  with pytest.raises(ValueError, match="conditional"):
    model.sample(4, seed=1)


def test_temperature_zero_like_sampling_is_the_generator_at_the_prior_mean():
  model = make()
  near_zero = model.sample(2, temperature=1e-6, seed=0, quantize=False).numpy()
  mean = model.generate(np.zeros((2, 4), np.float32)).numpy()
  np.testing.assert_allclose(near_zero, mean, atol=1e-4)


def test_save_load_keeps_both_networks(kind, tmp_path):
  model = make(kind, num_conditions=3)
  x = digits_like(4)
  labels = np.array([0, 1, 2, 0])
  model({"x": x, "condition": labels})
  loaded = model_checks.check_save_load(
      model, x, tmp_path, score=lambda m, x: m.discriminate(x, labels))
  np.testing.assert_array_equal(loaded.sample(3, condition=1, seed=2),
                                model.sample(3, condition=1, seed=2))


@pytest.mark.parametrize("size, stages", [(8, 1), (28, 2), (32, 3), (7, 0), (64, 4)])
def test_dcgan_networks_reach_28_and_32_pixel_images(size, stages):
  assert networks.num_stages(size, size) == stages
  generator = networks.generator("dcgan", 4, (size, size, 3), num_filters=4)
  discriminator = networks.discriminator("dcgan", (size, size, 3), num_filters=4)
  images = generator(np.zeros((2, 4), np.float32))
  assert tuple(images.shape) == (2, size, size, 3)
  assert tuple(discriminator(images).shape) == (2, 1)


def test_bad_input_names_the_problem():
  model = make()
  with pytest.raises(ValueError, match="shape"):
    model(np.zeros((2, 4, 4, 1), np.float32))
  with pytest.raises(Exception, match=r"values in \[0, 16\]"):
    model(np.full((2,) + SHAPE, 20.0, np.float32))
  with pytest.raises(ValueError, match="unconditional"):
    model.sample(2, condition=1)
  with pytest.raises(ValueError, match="batch norm"):
    make(loss="wgan_gp")
  with pytest.raises(ValueError, match="upsampling"):
    make(upsampling="bilinear")
  with pytest.raises(ValueError, match="num_values"):
    DCGAN(SHAPE, 1)
  with pytest.raises(ValueError, match="images"):
    GAN((64,), 2)
  with pytest.raises(ValueError, match="no likelihood"):
    model.log_prob(digits_like(2))
