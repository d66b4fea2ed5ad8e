"""PixelRNN (Row LSTM, van den Oord et al. 2016) on the fixed binarized MNIST, test NLL in nats.

  python -m tfgen.train --config=tfgen/configs/pixel_rnn_binarized_mnist.py \
      --workdir=runs/pixel_rnn_bmnist --config.data.path=../shared/data/binarized_mnist.npz
  python -m tfgen.evaluate --workdir=runs/pixel_rnn_bmnist --split=test

`--config.model.layer_type=diagonal_bilstm` gives the Diagonal BiLSTM, whose
2 (H + W - 1) sequential steps per layer make its training step about 4x slower
here than the Row LSTM's H. The paper's 80.54 nats (79.20 for the Diagonal
BiLSTM) came from deeper networks trained far longer on GPUs; this config
trains in about 21 minutes on 2 CPU cores (the budget is 90).
"""

from tfgen.configs import common


def get_config():
  config = common.binarized_mnist_config()

  config.model.name = "pixel_rnn"  # A tfgen.models.registry name.
  config.model.layer_type = "row_lstm"  # Or "diagonal_bilstm" (slower a step, see above).
  config.model.num_layers = 2  # Recurrent layers, each with a residual connection.
  config.model.num_units = 32  # State size of each direction (the residual stream has 64).
  config.model.kernel_size = 3  # The Row LSTM's 1-D convolutions.
  config.model.input_kernel_size = 7  # The 7x7 type-A input convolution of the paper.
  config.model.num_output_filters = 64  # Hidden 1x1 output layer.

  config.data.batch_size = 64  # Examples per step.
  config.optimizer.learning_rate = 1e-3  # Peak learning rate of Adam.
  config.optimizer.clipnorm = 1.0  # Gradient-norm clipping.
  config.training.jit_compile = False  # The row loop runs 10x slower a step under XLA on CPU.
  config.training.num_epochs = 10  # About 21 minutes on 2 CPU cores (86.21 test nats).
  return config
