"""MADE, two hidden layers, trained connectivity-agnostically over 32 masks and scored as their ensemble.

  python -m tfgen.train --config=tfgen/configs/made_ensemble_binarized_mnist.py \
      --workdir=runs/made_ensemble_bmnist --config.data.path=../shared/data/binarized_mnist.npz

`tfgen.evaluate` scores p(x) = (1/32) sum_m p_m(x) over the 32 masks.
"""

from tfgen.configs import made_binarized_mnist


def get_config():
  config = made_binarized_mnist.get_config()
  config.model.hidden_units = (500, 500)  # 2 hidden layers (8000 units each in the paper; 500 for CPU time).
  config.model.num_masks = 32  # Masks cycled in training and averaged in evaluation.
  config.model.direct_connection = True  # Masked input -> output weights.
  config.model.dropout = 0.0  # No dropout: the mask cycling regularizes.
  config.optimizer.learning_rate = 5e-3  # Peak learning rate of Adam.

  config.training.steps_per_mask = 1  # A new mask every step, as in the paper.
  config.training.num_epochs = 40  # Mask cycling trains more slowly.
  config.training.early_stopping_patience = 0  # Validation uses mask 0 only; train all epochs.
  return config
