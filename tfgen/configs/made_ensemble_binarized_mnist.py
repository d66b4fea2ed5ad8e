"""MADE, two hidden layers, trained connectivity-agnostically over 32 masks and scored as their ensemble.

  python -m tfgen.train --config=tfgen/configs/made_ensemble_binarized_mnist.py \
      --workdir=runs/made_ensemble_bmnist --config.data.path=../shared/data/binarized_mnist.npz

`tfgen.evaluate` scores p(x) = (1/32) sum_m p_m(x) over the 32 masks.
"""

from tfgen.configs import made_binarized_mnist


def get_config():
  config = made_binarized_mnist.get_config()
  # 2 hidden layers (8000 units each in the paper). Chosen on the validation ensemble:
  # 2x2000 gave 94.14 nats, 2x500 (Adam 5e-3, 40 epochs) 97.33.
  config.model.hidden_units = (2000, 2000)  # 2 hidden layers of 2000 units.
  config.model.num_masks = 32  # Masks cycled in training and averaged in evaluation.
  config.model.direct_connection = True  # Masked input -> output weights.
  config.model.dropout = 0.0  # No dropout: the mask cycling regularizes.
  config.optimizer.learning_rate = 2e-3  # Peak learning rate of Adam.

  config.training.steps_per_mask = 1  # A new mask every step, as in the paper.
  config.training.num_epochs = 60  # Mask cycling trains more slowly; about 1 min an epoch here.
  config.training.early_stopping_patience = 0  # Validation uses mask 0 only; train all epochs.
  return config
