"""Adversarial models: GAN (MLP), DCGAN, their conditional forms, and CycleGAN."""

from tfgen.models.adversarial.cycle_gan import CycleGAN
from tfgen.models.adversarial.dcgan import DCGAN
from tfgen.models.adversarial.gan import GAN

__all__ = ["CycleGAN", "DCGAN", "GAN"]
