"""Mixed precision (training.precision): every family trains a step computing in bfloat16,
with float32 weights and float32 probabilities."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen import heads
from tfgen.models import (DCGAN, FVSBN, MADE, MAF, NADE, NICE, VAE, Autoencoder, CharRNN,
                          GatedPixelCNN, PixelCNN, PixelCNNPlusPlus, PixelRNN, RealNVP,
                          TransformerLM, WaveNet)

IMAGE = (4, 4, 1)
SEQUENCE = (6,)


def binary(shape):
  return (np.random.default_rng(0).random((8,) + shape) < 0.4).astype(np.float32)


def levels(shape, num_values):
  return np.random.default_rng(0).integers(0, num_values, (8,) + shape).astype(np.float32)


# name: (a tiny model, a batch of its data)
FAMILIES = {
    "fvsbn": (lambda: FVSBN(IMAGE, heads.Bernoulli()), binary(IMAGE)),
    "nade": (lambda: NADE(IMAGE, heads.Bernoulli(), hidden_units=8), binary(IMAGE)),
    "made": (lambda: MADE(IMAGE, heads.Categorical(3), hidden_units=(8,)), levels(IMAGE, 3)),
    "char_rnn": (lambda: CharRNN(SEQUENCE, heads.Categorical(5), embedding_size=4,
                                 hidden_units=6, num_layers=1), levels(SEQUENCE, 5)),
    "transformer": (lambda: TransformerLM(SEQUENCE, heads.Categorical(5), width=8, num_layers=1,
                                          num_heads=2), levels(SEQUENCE, 5)),
    "wavenet": (lambda: WaveNet(SEQUENCE, heads.Categorical(5), residual_channels=4,
                                skip_channels=4, num_layers_per_stack=2, embedding_size=4),
                levels(SEQUENCE, 5)),
    "pixel_cnn": (lambda: PixelCNN(IMAGE, heads.Bernoulli(), num_filters=4, num_residual_blocks=1,
                                   input_kernel_size=3, num_output_filters=4), binary(IMAGE)),
    "gated_pixel_cnn": (lambda: GatedPixelCNN(IMAGE, heads.Bernoulli(), num_filters=4,
                                              num_layers=1, input_kernel_size=3,
                                              num_output_filters=4), binary(IMAGE)),
    "pixel_cnn_plus_plus": (lambda: PixelCNNPlusPlus(
        (4, 4, 3), heads.DiscretizedLogisticMixture(2, num_bins=4, coupled_channels=3),
        num_filters=4, num_resnet=1, num_resolutions=2), levels((4, 4, 3), 4)),
    "row_lstm": (lambda: PixelRNN(IMAGE, heads.Bernoulli(), layer_type="row_lstm", num_units=4,
                                  num_layers=1, input_kernel_size=3, num_output_filters=4),
                 binary(IMAGE)),
    "diagonal_bilstm": (lambda: PixelRNN(IMAGE, heads.Bernoulli(), layer_type="diagonal_bilstm",
                                         num_units=4, num_layers=1, input_kernel_size=3,
                                         num_output_filters=4), binary(IMAGE)),
    "vae": (lambda: VAE(IMAGE, heads.Bernoulli(), latent_size=2, hidden_units=(8,)),
            binary(IMAGE)),
    "autoencoder": (lambda: Autoencoder(IMAGE, heads.Bernoulli(), code_size=2,
                                        hidden_units=(8,)), binary(IMAGE)),
    "nice": (lambda: NICE(IMAGE, num_values=3, hidden_units=(8,), num_couplings=2),
             levels(IMAGE, 3)),
    "real_nvp": (lambda: RealNVP((4, 4, 2), num_values=3, num_scales=1, filters=(4,)),
                 levels((4, 4, 2), 3)),
    "maf": (lambda: MAF(IMAGE, num_values=3, num_flows=2, hidden_units=(8,)), levels(IMAGE, 3)),
    "dcgan": (lambda: DCGAN(IMAGE, 3, latent_size=4, hidden_units=(8,), num_filters=4),
              levels(IMAGE, 3)),
}


@pytest.fixture
def mixed_bfloat16():
  previous = keras.config.dtype_policy()
  keras.config.set_dtype_policy("mixed_bfloat16")
  yield
  keras.config.set_dtype_policy(previous)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_every_family_trains_in_bfloat16_with_float32_weights(name, mixed_bfloat16):
  del mixed_bfloat16
  make, x = FAMILIES[name]
  model = make()
  model.build((None,) + x.shape[1:])
  assert model.compute_dtype == "bfloat16"
  assert {weight.dtype for weight in model.weights if "float" in weight.dtype} == {"float32"}
  before = [weight.numpy() for weight in model.trainable_weights]
  model.compile_for_training(lambda num_steps: keras.optimizers.Adam(1e-2), total_steps=1)
  history = model.fit(x, batch_size=8, epochs=1, verbose=0)
  losses = [values[0] for key, values in history.history.items() if key.endswith("loss")]
  assert losses and np.all(np.isfinite(losses)), history.history
  assert any(not np.array_equal(old, new.numpy())
             for old, new in zip(before, model.trainable_weights))
  if model.likelihood_kind:
    log_prob = model.log_prob(x[:2])
    assert log_prob.dtype == tf.float32 and np.all(np.isfinite(log_prob.numpy()))
