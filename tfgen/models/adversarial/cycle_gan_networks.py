"""CycleGAN's networks: the ResNet generator and the PatchGAN discriminator, any image size.

Both are fully convolutional functional models with inputs [batch, None, None,
channels], so one trained on 256x256 crops translates a photo of any size (its
sides padded to a multiple of 2^num_downsamplings; `CycleGAN.translate`).

ResNet generator (Johnson et al. 2016; Zhu et al. 2017, appendix 7.2), with
F = num_filters and n = num_downsamplings:
  c7s1-F, then n x (3x3 stride 2, doubling), num_residual_blocks residual blocks
  (pad, 3x3, norm, ReLU, pad, 3x3, norm, + input), n x (up 2x, halving), c7s1-C, tanh
  cXs1-k: pad, XxX conv with k filters, instance norm, ReLU
PatchGAN discriminator (Isola et al. 2017): C64-C128-C256-C512 with 4x4
  convolutions, stride 2 but the last, LeakyReLU(0.2), instance norm but the
  first, then a 1-channel 4x4 convolution: one real/fake logit per 70x70 patch
  at num_layers = 3.
"""

import keras

from tfgen.layers.reflection_padding2d import ReflectionPadding2D
from tfgen.models.adversarial import networks

PADDINGS = ("reflect", "zero")


def instance_norm():
  """Normalization over each image's height and width, per channel (groups = channels)."""
  return keras.layers.GroupNormalization(groups=-1, epsilon=1e-5)


def _conv(features, filters, kernel_size, padding, strides=1):
  """A convolution keeping the size (divided by strides), its border reflected or zero."""
  if padding == "reflect" and kernel_size > 1:
    features = ReflectionPadding2D(kernel_size // 2)(features)
    return keras.layers.Conv2D(filters, kernel_size, strides=strides, padding="valid")(features)
  return keras.layers.Conv2D(filters, kernel_size, strides=strides, padding="same")(features)


def resnet_generator(channels, num_filters=64, num_residual_blocks=9, num_downsamplings=2,
                     upsampling="transposed", padding="reflect", name="generator"):
  """Images in [-1, 1] [batch, H, W, channels] -> images in [-1, 1], the same size.

  H and W must be multiples of 2^num_downsamplings.

  Args:
    channels: image channels, in and out.
    num_filters: F of the first layer.
    num_residual_blocks: 9 for 256x256 images, 6 for 128x128 (the paper's).
    num_downsamplings: stride-2 steps down (and up).
    upsampling: "transposed" (stride-2 transposed convolutions) or "resize"
      (nearest-neighbour 2x and a 3x3 convolution: no checkerboard artifacts).
    padding: "reflect" or "zero" borders of every convolution.
  """
  networks.check_choice("upsampling", upsampling, networks.UPSAMPLINGS)
  networks.check_choice("padding", padding, PADDINGS)
  inputs = keras.Input((None, None, channels), name="image")
  features = _conv(inputs, num_filters, 7, padding)
  features = keras.layers.ReLU()(instance_norm()(features))
  for step in range(num_downsamplings):
    features = _conv(features, num_filters << (step + 1), 3, padding, strides=2)
    features = keras.layers.ReLU()(instance_norm()(features))
  width = num_filters << num_downsamplings
  for _ in range(num_residual_blocks):
    block = keras.layers.ReLU()(instance_norm()(_conv(features, width, 3, padding)))
    block = instance_norm()(_conv(block, width, 3, padding))
    features = keras.layers.Add()([features, block])
  for step in reversed(range(num_downsamplings)):
    filters = num_filters << step
    if upsampling == "transposed":
      features = keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same")(features)
    else:
      features = keras.layers.UpSampling2D(2, interpolation="nearest")(features)
      features = _conv(features, filters, 3, padding)
    features = keras.layers.ReLU()(instance_norm()(features))
  outputs = keras.layers.Activation("tanh")(_conv(features, channels, 7, padding))
  return keras.Model(inputs, outputs, name=name)


def patch_discriminator(channels, num_filters=64, num_layers=3, spectral_norm=False,
                        name="discriminator"):
  """Images in [-1, 1] [batch, H, W, channels] -> a map of logits [batch, H', W', 1].

  Args:
    channels: image channels.
    num_filters: filters of the first layer (doubling per layer, at most 8x).
    num_layers: stride-2 layers; 3 gives the 70x70 PatchGAN.
    spectral_norm: spectral normalization on every convolution.
  """
  inputs = keras.Input((None, None, channels), name="image")
  features = inputs
  for layer in range(num_layers + 1):
    strides = 2 if layer < num_layers else 1
    conv = keras.layers.Conv2D(num_filters * min(2 ** layer, 8), 4, strides=strides,
                               padding="same")
    features = networks.maybe_spectral(conv, spectral_norm)(features)
    if layer:
      features = instance_norm()(features)
    features = keras.layers.LeakyReLU(0.2)(features)
  conv = keras.layers.Conv2D(1, 4, padding="same")
  return keras.Model(inputs, networks.maybe_spectral(conv, spectral_norm)(features), name=name)
