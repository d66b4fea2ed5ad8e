"""PixelCNN++ on 8x8 RGB patches of scikit-learn's sample photos (embedded), bits/dim.

  python -m tfgen.train --config=tfgen/configs/pixel_cnn_plus_plus_photo_patches.py \
      --workdir=runs/pixel_cnn_plus_plus_patches
  python -m tfgen.evaluate --workdir=runs/pixel_cnn_plus_plus_patches --split=test

The patches come from 4x4-patch blocks of two photos, split 80/10/10 by block
(tfgen.data "photo_patches"); each pixel's R, G and B are drawn together from
one mixture of discretized logistics, as in the paper.
"""

from tfgen.configs import common


def get_config():
  config = common.base_config()
  config.data.name = "photo_patches"  # 6656 / 832 / 832 patches of 8x8x3, 256 levels.
  config.data.batch_size = 32  # Patches per step.

  config.model.name = "pixel_cnn_plus_plus"  # A tfgen.models.registry name.
  config.model.num_filters = 32  # Channels of both streams (the paper: 160 on CIFAR-10).
  config.model.num_resnet = 2  # Gated resnets per resolution (the paper: 5).
  config.model.num_resolutions = 2  # 8x8 and 4x4 (the paper: 32, 16 and 8 on CIFAR-10).
  config.model.dropout = 0.0  # Inside every gated resnet (the paper: 0.5; 0.3 did worse here).
  config.model.seed = 0  # Seeds the dropout.

  config.head.name = "discretized_logistic_mixture"  # A pixel's R, G, B from one mixture.
  config.head.num_components = 5  # Logistics per mixture (the paper: 10).
  config.head.coupled_channels = 3  # G depends on R, B on R and G, inside each component.

  config.optimizer.learning_rate = 1e-3  # Peak learning rate of Adam.
  config.optimizer.clipnorm = 1.0  # Gradient-norm clipping.
  config.training.num_epochs = 20  # Passes over the training patches.
  config.training.early_stopping_patience = 5  # Stop when validation NLL stalls for 5 epochs.
  return config
