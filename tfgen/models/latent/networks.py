"""Encoder and decoder networks shared by the autoencoder and the VAEs (MLP and convolutional)."""

import numpy as np
import keras

from tfgen.layers.philox_dropout import PhiloxDropout

NETWORKS = ("mlp", "conv")


def check_network(network, event_shape):
  """Raises a ValueError unless `network` can read and write events of `event_shape`."""
  if network not in NETWORKS:
    raise ValueError(f"network must be one of {', '.join(NETWORKS)}, got {network!r}")
  if network == "conv":
    if len(event_shape) != 3 or event_shape[0] % 4 or event_shape[1] % 4:
      raise ValueError("the conv network needs images [height, width, channels] with height and "
                       f"width divisible by 4, got event_shape={tuple(event_shape)}")


def hidden_layers(hidden_units, activation, dropout):
  """Dense(units, activation) for each size, each followed by Dropout(dropout) when dropout > 0."""
  layers = []
  for units in hidden_units:
    layers.append(keras.layers.Dense(units, activation=activation))
    if dropout:
      layers.append(PhiloxDropout(dropout))
  return layers


def encoder(network, event_shape, output_size, hidden_units, activation, name, dropout=0.0):
  """x features [batch, *event_shape] -> [batch, output_size].

  "mlp": Flatten, Dense(hidden_units[i], activation)..., Dense(output_size).
  dropout: rate on the outputs of the hidden Dense layers in training (0 = none).
  "conv": four 3x3 convolutions (32, 64 stride 2, 64, 64 stride 2), Flatten,
    Dense(hidden_units[0]), Dense(output_size) - the lecture's 4-layer conv encoder.
  """
  check_network(network, event_shape)
  layers = [keras.layers.Flatten()]
  if network == "conv":
    layers = [keras.layers.Conv2D(filters, 3, strides=strides, padding="same", activation=activation)
              for filters, strides in ((32, 1), (64, 2), (64, 1), (64, 2))] + layers
    hidden_units = tuple(hidden_units)[:1]
  layers += hidden_layers(hidden_units, activation, dropout)
  layers.append(keras.layers.Dense(output_size))
  return keras.Sequential(layers, name=name)


def decoder(network, input_size, params_shape, hidden_units, activation, name, dropout=0.0):
  """[batch, input_size] -> params [batch, *params_shape] of a head.

  "mlp": Dense(hidden_units[i], activation)... (in reverse order), Dense(prod(params_shape)).
  dropout: rate on the outputs of the hidden Dense layers in training (0 = none).
  "conv": Dense(hidden_units[0]), Dense to a [H/4, W/4, 64] map, four 3x3
    transposed convolutions (64 stride 2, 64, 32 stride 2, params), the
    lecture's 4-layer up-conv decoder.
  """
  del input_size  # Dense layers infer it.
  params_shape = tuple(int(size) for size in params_shape)
  layers = []
  if network == "conv":
    height, width = params_shape[0], params_shape[1]
    channels = int(np.prod(params_shape[2:]))
    layers += hidden_layers(tuple(hidden_units)[:1], activation, dropout)
    layers += [keras.layers.Dense(height // 4 * width // 4 * 64, activation=activation),
               keras.layers.Reshape((height // 4, width // 4, 64))]
    layers += [keras.layers.Conv2DTranspose(filters, 3, strides=strides, padding="same",
                                            activation=activation)
               for filters, strides in ((64, 2), (64, 1), (32, 2))]
    layers.append(keras.layers.Conv2DTranspose(channels, 3, padding="same"))
  else:
    layers += hidden_layers(tuple(reversed(tuple(hidden_units))), activation, dropout)
    layers.append(keras.layers.Dense(int(np.prod(params_shape))))
  layers.append(keras.layers.Reshape(params_shape))
  return keras.Sequential(layers, name=name)
