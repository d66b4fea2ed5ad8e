"""DCGAN (Radford et al. 2016): the GAN with the convolutional pair."""

import keras

from tfgen.models.adversarial.gan import GAN


@keras.saving.register_keras_serializable(package="tfgen")
class DCGAN(GAN):
  """A `GAN` whose G and D are the DCGAN networks (`networks.generator`, `networks.discriminator`).

    G: z -> Dense -> [H/2^s, W/2^s, 2^s F] -> s x (up 2x, BN, ReLU) -> Conv 3x3, tanh
    D: x -> s x (Conv 4x4 stride 2, [BN], LeakyReLU 0.2) -> Dense(1)
    s = networks.num_stages(H, W): 2 for 28x28, 3 for 32x32, 1 for 8x8

  Args: those of `GAN`; `network` is fixed to "dcgan".

  Reference: Radford et al., "Unsupervised Representation Learning with Deep
  Convolutional Generative Adversarial Networks", ICLR 2016.
  """

  def __init__(self, event_shape, num_values, network="dcgan", **kwargs):
    if network != "dcgan":
      raise ValueError(f"DCGAN's networks are the DCGAN pair; for network={network!r} use GAN")
    super().__init__(event_shape, num_values, network="dcgan", **kwargs)
