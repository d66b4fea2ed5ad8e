"""Generator and discriminator networks of the GANs: an MLP pair and the DCGAN pair.

A generator maps z [batch, latent_size] (and a one-hot label [batch, num_conditions]
when conditional) to images in [-1, 1], [batch, H, W, C]; a discriminator maps
images (and the label) to one logit per example, [batch, 1]. Both are functional
Keras models, so they save, load and export on their own.

DCGAN (Radford et al. 2016): the generator projects z to a small map and
doubles it with stride-2 transposed convolutions (or nearest-neighbour resize
and a 3x3 convolution, against checkerboard artifacts; Odena et al. 2016),
with batch norm and ReLU, and a tanh output; the discriminator halves the image
with stride-2 convolutions and LeakyReLU(0.2), batch norm after the first. The
number of stages is `num_stages(height, width)`: 2 for 28x28 (from 7x7), 3 for
32x32 (from 4x4), 1 for 8x8 (from 4x4).
"""

import numpy as np
import keras

NETWORKS = ("mlp", "dcgan")
UPSAMPLINGS = ("transposed", "resize")
NORMALIZATIONS = ("batch", "layer", "none")


def check_choice(name, value, choices):
  if value not in choices:
    raise ValueError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
  return value


def num_stages(height, width):
  """Stride-2 stages of the DCGAN pair: halve while both sides stay even and >= 4 after."""
  stages = 0
  while height % 2 == 0 and width % 2 == 0 and height // 2 >= 4 and width // 2 >= 4:
    height, width, stages = height // 2, width // 2, stages + 1
  return stages


def maybe_spectral(layer, spectral_norm):
  return keras.layers.SpectralNormalization(layer) if spectral_norm else layer


def _normalization(kind):
  """A layer normalizing features (per batch or per example), or None."""
  if kind == "batch":
    return keras.layers.BatchNormalization(momentum=0.9)
  if kind == "layer":
    return keras.layers.LayerNormalization()
  return None


def _inputs(first_shape, num_conditions, first_name):
  """[first input, condition input] of a conditional network; [first input] otherwise."""
  inputs = [keras.Input(first_shape, name=first_name)]
  if num_conditions:
    inputs.append(keras.Input((num_conditions,), name="condition"))
  return inputs


def _model(inputs, outputs, name):
  """A functional model taking one tensor when unconditional, [tensor, condition] otherwise."""
  return keras.Model(inputs[0] if len(inputs) == 1 else inputs, outputs, name=name)


def generator(network, latent_size, event_shape, num_conditions=0, hidden_units=(256, 256),
              num_filters=64, upsampling="transposed", name="generator"):
  """z (and a one-hot label) -> images in [-1, 1] [batch, *event_shape].

  Args:
    network: "mlp" or "dcgan".
    latent_size: size of z.
    event_shape: (H, W, C) of one image.
    num_conditions: classes of the label input; 0 = unconditional.
    hidden_units: the MLP's hidden sizes.
    num_filters: the DCGAN's filters at full resolution (doubling per stage down).
    upsampling: the DCGAN's "transposed" (stride-2 transposed conv) or "resize".
  """
  check_choice("network", network, NETWORKS)
  check_choice("upsampling", upsampling, UPSAMPLINGS)
  height, width, channels = event_shape
  inputs = _inputs((latent_size,), num_conditions, "z")
  features = inputs[0] if len(inputs) == 1 else keras.layers.Concatenate()(inputs)
  if network == "mlp":
    for units in hidden_units:
      features = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(units)(features))
    features = keras.layers.Dense(int(np.prod(event_shape)), activation="tanh")(features)
    return _model(inputs, keras.layers.Reshape(tuple(event_shape))(features), name)
  stages = num_stages(height, width)
  base_height, base_width = height >> stages, width >> stages
  filters = num_filters << stages
  features = keras.layers.Dense(base_height * base_width * filters, use_bias=False)(features)
  features = keras.layers.ReLU()(keras.layers.BatchNormalization(momentum=0.9)(features))
  features = keras.layers.Reshape((base_height, base_width, filters))(features)
  for stage in range(stages):
    filters = num_filters << (stages - 1 - stage)
    if upsampling == "transposed":
      features = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same",
                                              use_bias=False)(features)
    else:
      features = keras.layers.UpSampling2D(2, interpolation="nearest")(features)
      features = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(features)
    features = keras.layers.ReLU()(keras.layers.BatchNormalization(momentum=0.9)(features))
  images = keras.layers.Conv2D(channels, 3, padding="same", activation="tanh")(features)
  return _model(inputs, images, name)


def discriminator(network, event_shape, num_conditions=0, hidden_units=(256, 256), num_filters=64,
                  normalization="batch", spectral_norm=False, name="discriminator"):
  """Images in [-1, 1] (and a one-hot label) -> one logit per example [batch, 1].

  Args:
    network: "mlp" or "dcgan".
    event_shape: (H, W, C) of one image.
    num_conditions: classes of the label input (as extra input channels for
      the DCGAN, concatenated to the flat image for the MLP); 0 = unconditional.
    hidden_units: the MLP's hidden sizes.
    num_filters: the DCGAN's filters of the first stage (doubling per stage).
    normalization: after the DCGAN's later convolutions: "batch", "layer"
      (per example, for WGAN-GP, whose penalty is per example) or "none".
    spectral_norm: wrap every convolution and dense layer in spectral
      normalization (Miyato et al. 2018).
  """
  check_choice("network", network, NETWORKS)
  check_choice("normalization", normalization, NORMALIZATIONS)
  height, width, _ = event_shape
  inputs = _inputs(tuple(event_shape), num_conditions, "x")
  features = inputs[0]
  if network == "mlp":
    features = keras.layers.Flatten()(features)
    if num_conditions:
      features = keras.layers.Concatenate()([features, inputs[1]])
    for units in hidden_units:
      features = maybe_spectral(keras.layers.Dense(units), spectral_norm)(features)
      features = keras.layers.LeakyReLU(0.2)(features)
  else:
    if num_conditions:
      maps = keras.layers.RepeatVector(height * width)(inputs[1])
      maps = keras.layers.Reshape((height, width, num_conditions))(maps)
      features = keras.layers.Concatenate()([features, maps])
    for stage in range(max(1, num_stages(height, width))):
      strides = 2 if num_stages(height, width) else 1
      conv = keras.layers.Conv2D(num_filters << stage, 4, strides=strides, padding="same")
      features = maybe_spectral(conv, spectral_norm)(features)
      norm = _normalization(normalization) if stage else None
      if norm is not None:
        features = norm(features)
      features = keras.layers.LeakyReLU(0.2)(features)
    features = keras.layers.Flatten()(features)
  logits = maybe_spectral(keras.layers.Dense(1), spectral_norm)(features)
  return _model(inputs, logits, name)
