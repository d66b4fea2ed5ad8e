"""Every family's serving signatures: saved, loaded back, and equal to the Keras model's answers."""

import numpy as np
import pytest
import tensorflow as tf

from export import saved_model_lib
from tfgen import heads
from tfgen.models import (DCGAN, GAN, MADE, MAF, VAE, Autoencoder, CharRNN, ConditionalVAE,
                          RealNVP, ResidualGRU, TransformerLM, WaveNet)
from tfgen.models.adversarial.cycle_gan import CycleGAN

DIGITS = (8, 8, 1)

FAMILIES = {
    "made": lambda: MADE(DIGITS, heads.Categorical(17), hidden_units=(16,)),
    "vae": lambda: VAE(DIGITS, heads.Bernoulli(), latent_size=3, hidden_units=(16,)),
    "cvae": lambda: ConditionalVAE(DIGITS, heads.Bernoulli(), num_conditions=3, latent_size=2,
                                   hidden_units=(16,)),
    "autoencoder": lambda: Autoencoder(DIGITS, heads.Categorical(17), code_size=4,
                                       hidden_units=(16,)),
    "real_nvp": lambda: RealNVP((4, 4, 2), num_scales=1, filters=(8,)),
    "maf": lambda: MAF((4, 4, 1), num_flows=2, hidden_units=(16,)),
    "gan": lambda: GAN(DIGITS, 17, latent_size=4, hidden_units=(16,)),
    "conditional_dcgan": lambda: DCGAN(DIGITS, 17, latent_size=4, num_filters=4, num_conditions=3),
    "cycle_gan": lambda: CycleGAN((8, 8, 3), 256, num_filters=4, num_residual_blocks=1,
                                  num_downsamplings=1, num_discriminator_layers=1, history_size=4),
    "char_rnn": lambda: CharRNN((6,), heads.Categorical(5), embedding_size=4, hidden_units=8),
    "transformer": lambda: TransformerLM((6,), heads.Categorical(5), width=8, num_layers=1,
                                         num_heads=2),
    "wavenet_labeled": lambda: WaveNet((8,), heads.Categorical(5), residual_channels=4,
                                       skip_channels=4, num_layers_per_stack=2, num_stacks=1,
                                       embedding_size=4, num_conditions=2),
    "residual_gru": lambda: ResidualGRU((6, 3), heads.DiagonalGaussianMixture(2), hidden_units=8,
                                        residual_velocity=True),
}

EXPECTED = {
    "made": {"sample_from_noise", "log_prob", "sample"},
    "vae": {"sample_from_noise", "log_prob", "sample", "encode", "decode", "reconstruct", "elbo"},
    "cvae": {"sample_from_noise", "log_prob", "sample", "encode", "decode", "reconstruct", "elbo"},
    "autoencoder": {"encode", "reconstruct"},
    "real_nvp": {"sample_from_noise", "log_prob", "sample"},
    "maf": {"sample_from_noise", "log_prob", "sample"},
    "gan": {"sample_from_noise", "sample", "generate"},
    "conditional_dcgan": {"sample_from_noise", "sample", "generate"},
    "cycle_gan": {"translate_a2b", "translate_b2a"},
    "char_rnn": {"generate", "sample_from_noise", "log_prob", "sample", "initial_state", "step"},
    "transformer": {"generate", "sample_from_noise", "log_prob", "sample", "initial_state", "step"},
    "wavenet_labeled": {"generate", "sample_from_noise", "log_prob", "sample", "initial_state", "step"},
    "residual_gru": {"sample_from_noise", "log_prob", "sample", "initial_state", "step", "forecast"},
}


def built(name):
  model = FAMILIES[name]()
  shape = (1,) + tuple(model.event_shape)
  if name == "cycle_gan":
    model(tf.zeros(shape))
  elif getattr(model, "num_conditions", 0):
    model((tf.zeros(shape), tf.zeros([1], tf.int32)))
  else:
    model(tf.zeros(shape))
  return model


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_signatures_save_load_and_agree(name, tmp_path):
  model = built(name)
  signatures = model.serving_signatures()
  assert set(signatures) == EXPECTED[name]
  for function in signatures.values():  # Every input is named.
    assert all(spec.name for spec in saved_model_lib.named_specs(function).values())
  path = str(tmp_path / "saved")
  saved_model_lib.save(model, signatures, path)
  assert saved_model_lib.verify(path, signatures, atol=1e-4) <= 1e-4


def test_seeded_signatures_replay_the_python_draws(tmp_path):
  seed = tf.constant([3, 4], tf.int32)
  for name in ("vae", "maf", "gan", "made"):
    model = built(name)
    signatures = model.serving_signatures()
    path = str(tmp_path / name)
    saved_model_lib.save(model, signatures, path)
    loaded = tf.saved_model.load(path)
    served = loaded.signatures["sample"](num_samples=tf.constant(2), seed=seed)["samples"]
    np.testing.assert_allclose(served.numpy(), model.sample(2, seed=seed).numpy(), atol=1e-5,
                               err_msg=name)


def test_sample_from_noise_replays_in_the_saved_model_and_checks_its_noise(tmp_path):
  rng = np.random.default_rng(4)
  for name in ("vae", "made", "char_rnn"):
    model = built(name)
    noise = {key: tf.constant((rng.uniform(size=(3,) + shape) if key == "uniform"
                               else rng.normal(size=(3,) + shape)), tf.float32)
             for key, shape in model.noise_shapes().items()}
    signatures = model.serving_signatures()
    path = str(tmp_path / name)
    saved_model_lib.save(model, signatures, path)
    served = tf.saved_model.load(path).signatures["sample_from_noise"](**noise)["samples"]
    expected = model.sample_from_noise(noise)
    np.testing.assert_allclose(served.numpy(), expected.numpy(), atol=1e-5, err_msg=name)
    assert served.shape == (3,) + tuple(model.event_shape)
  with pytest.raises(ValueError, match=r"noise\['uniform'\] must have shape \[num_samples, 6, 5\]"):
    built("char_rnn").sample_from_noise(tf.zeros([2, 5, 5]))
  with pytest.raises(ValueError, match="noise must have the keys"):
    built("vae").sample_from_noise({"z": tf.zeros([2, 3])})


def test_autoregressive_draws_from_noise_follow_the_model():
  """Frequencies of sample_from_noise over the 8 events of 3 bits match exp(log_prob)."""
  model = MADE((3,), heads.Bernoulli(), hidden_units=(8,))
  model(tf.zeros([1, 3]))
  model.set_weights([weight * 6.0 for weight in model.get_weights()])  # Far from uniform.
  draws = model.sample_from_noise(
      tf.random.stateless_uniform([6000, 3, 1], seed=[7, 8])).numpy()
  events = np.array([[bit >> 2 & 1, bit >> 1 & 1, bit & 1] for bit in range(8)], np.float32)
  probabilities = np.exp(model.log_prob(events).numpy())
  counts = np.array([np.sum(np.all(draws == event, axis=1)) for event in events])
  np.testing.assert_allclose(probabilities.sum(), 1.0, atol=1e-5)
  assert probabilities.max() > 0.3, probabilities  # A test that uniform bits would fail.
  np.testing.assert_allclose(counts / len(draws), probabilities, atol=0.02)


def test_served_generate_is_the_models_seeded_stream():
  for name in ("char_rnn", "transformer"):
    model = built(name)
    generate = model.serving_signatures()["generate"]
    served = generate(prompt_ids=tf.constant([[1, 3]]), length=tf.constant(4),
                      temperature=tf.constant(0.9), seed=tf.constant([5, 6]))["ids"].numpy()
    streamed = list(model.stream([1, 3], 4, temperature=0.9, seed=tf.constant([5, 6])))
    assert served.tolist() == [[1, 3] + streamed], name
    empty = generate(prompt_ids=tf.zeros([3, 0], tf.int32), length=tf.constant(6),
                     temperature=tf.constant(1.0), seed=tf.constant([1, 2]))["ids"]
    assert empty.shape == (3, 6)
  with pytest.raises(tf.errors.InvalidArgumentError, match="must be at most the context, 6"):
    built("transformer").serving_signatures()["generate"](
        prompt_ids=tf.constant([[1, 2, 3]]), length=tf.constant(4), temperature=tf.constant(1.0),
        seed=tf.constant([1, 2]))


def test_served_answers_are_the_models_own():
  vae = built("vae")
  z = tf.constant(np.random.default_rng(0).normal(size=(2, 3)), tf.float32)
  decoded = vae.serving_signatures()["decode"](z=z)
  np.testing.assert_allclose(decoded["mean"].numpy(), vae.head.mean(vae.decode(z)).numpy(),
                             atol=1e-6)
  gan = built("conditional_dcgan")
  labels = tf.constant([0, 2])
  z = tf.constant(np.random.default_rng(1).normal(size=(2, 4)), tf.float32)
  generated = gan.serving_signatures()["generate"](z=z, condition=labels)["images"]
  assert generated.dtype == tf.uint8  # Images go out as uint8 on the data's scale (0..16).
  expected = np.clip(np.round(gan.generate(z, labels).numpy()), 0, 16)
  assert np.mean(generated.numpy() == expected) > 0.99  # Ties at .5 may round either way.
  cycle = built("cycle_gan")
  images = np.random.default_rng(2).integers(0, 256, (1, 12, 16, 3)).astype(np.uint8)
  translated = cycle.serving_signatures()["translate_b2a"](images=images)["images"].numpy()
  expected = cycle.translate(images.astype(np.float32), "b2a").numpy()
  assert translated.dtype == np.uint8 and translated.shape == images.shape  # Any size.
  assert np.max(np.abs(translated - np.clip(np.round(expected), 0, 255))) <= 1
