"""The style-transfer app's CycleGAN configs, by preset.

  paper   Zhu et al.'s recipe: 286 -> 256 crops, 64 filters, 9 residual blocks,
          batch 1, 200 epochs (100 constant, 100 decaying); a GPU's job
  small   128 crops, 32 filters, 6 blocks: a few hours on a CPU for a few hundred images
  demo    32x32 crops of the embedded photos, 16 filters, 3 blocks: minutes on 2 CPU cores
  digits  the 8x8 embedded digits against their known restyling (no flips: a
          mirrored digit is another digit; no identity loss: the restyling inverts)
"""

import ml_collections

from tfgen.configs import common

PRESETS = ("paper", "small", "demo", "digits")


def get_config(preset="demo"):
  """The app's config for `preset` (a key of PRESETS)."""
  if preset not in PRESETS:
    raise ValueError(f"unknown preset {preset!r}; use one of {', '.join(PRESETS)}")
  config = common.base_config()
  config.data.name = "unpaired_images"  # Not a tfgen.data name: the app feeds its two domains.
  config.data.batch_size = 1  # Pairs per step (1 in the paper).
  config.data.load_size = 286  # Images are resized and centre-cropped to this square first.
  config.data.crop_size = 256  # Then trained on random crops of this size.
  config.data.flip = True  # Random horizontal flips.
  config.data.num_valid = 8  # Images of each domain held out for validation and pictures.
  config.head.name = "none"  # CycleGAN has no likelihood head.
  config.model = ml_collections.ConfigDict()
  config.model.name = "cycle_gan"  # A tfgen.models.registry name.
  config.model.num_filters = 64  # First-layer filters of all four networks.
  config.model.num_residual_blocks = 9  # Of each generator.
  config.model.num_downsamplings = 2  # Stride-2 steps of each generator.
  config.model.num_discriminator_layers = 3  # 3 = 70x70 PatchGAN.
  config.model.cycle_weight = 10.0  # lambda of the cycle loss.
  config.model.identity_weight = 0.5  # Identity loss, relative to cycle_weight.
  config.model.history_size = 50  # Generated images the discriminators see again.
  config.model.upsampling = "transposed"  # Or "resize" against checkerboard artifacts.
  config.model.padding = "reflect"  # Generators' borders: "reflect" or "zero".
  config.model.spectral_norm = False  # Spectral normalization in the discriminators.
  config.optimizer.learning_rate = 2e-4  # Adam's rate for both pairs of networks.
  config.optimizer.beta_1 = 0.5  # Adam's first-moment decay.
  config.optimizer.schedule = "linear"  # Constant for half the run, then linearly to 0.
  config.training.num_epochs = 200  # Passes over the larger domain.
  if preset == "small":
    config.data.load_size = 143  # Resize, then crop.
    config.data.crop_size = 128  # Training crops.
    config.model.num_filters = 32  # Narrower networks.
    config.model.num_residual_blocks = 6  # The paper's choice at 128x128.
    config.training.num_epochs = 100  # Half the paper's.
  elif preset == "demo":
    config.data.batch_size = 4  # Pairs per step.
    config.data.load_size = 36  # Resize, then crop.
    config.data.crop_size = 32  # Training crops.
    config.model.num_filters = 16  # Narrow networks for 2 CPU cores.
    config.model.num_residual_blocks = 3  # Few blocks.
    config.model.num_discriminator_layers = 2  # 34x34 patches.
    config.training.num_epochs = 6  # About 3 minutes on 2 CPU cores.
    config.training.steps_per_epoch = 40  # Steps per epoch.
  elif preset == "digits":
    config.data.batch_size = 8  # Pairs per step.
    config.data.load_size = 8  # The digits' own size.
    config.data.crop_size = 8  # No crops.
    config.data.flip = False  # A mirrored digit is another digit.
    config.model.num_filters = 16  # Narrow networks.
    config.model.num_residual_blocks = 3  # Few blocks.
    config.model.num_downsamplings = 1  # 8 -> 4 -> 8.
    config.model.num_discriminator_layers = 1  # Patches of 7x7 on an 8x8 digit.
    # G_AB(b) = b cannot hold for a restyling that inverts intensities: with the
    # paper's 0.5, 3% of translated digits are read right; without, 22%.
    config.model.identity_weight = 0.0
    config.training.num_epochs = 20  # A few minutes on 2 CPU cores.
    config.training.steps_per_epoch = 80  # Steps per epoch.
  return config
