"""MADE with the MADE paper's MNIST settings: two layers of 8000, 32 masks, AdaGrad, early stopping.

  python -m tfgen.train --config=tfgen/configs/made_ensemble_paper_binarized_mnist.py \
      --workdir=runs/made_ensemble_paper --config.data.path=../shared/data/binarized_mnist.npz
  python -m tfgen.evaluate --workdir=runs/made_ensemble_paper --split=valid

The paper's command (README of github.com/mgermain/MADE, read against its
`trainMADE.py`): two ReLU layers of 8000, a direct input-to-output connection,
AdaGrad at 0.01, batches of 100, no dropout, masks of type `Full` (ordering and
connectivity redrawn after every minibatch, cycling through 32), stopping after
30 epochs without a better validation NLL. Two differences remain: the paper
early-stops on the ensemble of its masks, this config on mask 0 (an ensemble
score of 32 masks costs about 4.6 minutes here); and the paper's hidden
layers start orthogonal.

This run takes days of CPU: on 2 cores an epoch takes about 2.3 minutes
(bfloat16 training matmuls) and it was still improving at epoch 302, where
the 32-mask ensemble scored 88.19 nats on validation (README). Backups hold
the weights and AdaGrad slots, about 600 MB; rerunning the command resumes.
"""

from tfgen.configs import made_ensemble_binarized_mnist


def get_config():
  config = made_ensemble_binarized_mnist.get_config()
  config.model.hidden_units = (8000, 8000)  # The paper's two layers of 8000.
  config.model.ordering = "random"  # Each mask draws its own ordering (the paper's `Full` masks).
  config.model.training_matmul_dtype = "bfloat16"  # 1.63x per step (bench/xla_training_step.py).

  config.optimizer.name = "adagrad"  # As in the paper.
  config.optimizer.learning_rate = 0.01  # The paper's AdaGrad rate.
  config.optimizer.schedule = "constant"  # AdaGrad's accumulators shrink the steps already.

  config.training.num_epochs = 1000  # No real cap: early stopping ends the run.
  config.training.early_stopping_patience = 30  # The paper's look-ahead, on mask 0's validation NLL.
  config.training.steps_per_backup = 250  # Twice an epoch, so an interruption loses little.
  config.training.jit_compile = False  # XLA's CPU dots would skip the bfloat16 units.
  return config
