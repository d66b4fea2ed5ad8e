"""WaveNet on generated 8 kHz tones (8-bit mu-law, Categorical(256) head).

  python -m tfgen.train --config=tfgen/configs/wavenet_tones.py --workdir=runs/wavenet_tones
  (for your own audio: --config.data.name=wav:FOLDER)
"""

from tfgen.configs import common


def get_config():
  config = common.base_config()
  config.data.name = "tones"  # Generated tones; "wav:FOLDER" reads every WAV file below FOLDER.
  config.data.sequence_length = 1024  # Samples per training window (128 ms at 8 kHz).
  config.data.batch_size = 8  # Windows per step.

  config.model.name = "wavenet"  # A tfgen.models.registry name.
  config.model.residual_channels = 32  # Width of the residual path.
  config.model.skip_channels = 64  # Width of the skip path.
  config.model.num_layers_per_stack = 9  # Dilations 1..256.
  config.model.num_stacks = 2  # Receptive field 2 + 2 x 511 = 1024 samples.
  config.model.embedding_size = 32  # Embedding of the mu-law input.

  config.head.name = "categorical"  # Softmax over the 256 mu-law levels.

  config.optimizer.learning_rate = 2e-3  # Peak learning rate of Adam.
  config.optimizer.clipnorm = 1.0  # Gradient-norm clipping.
  config.training.num_epochs = 8  # Passes over the 2 minutes of tones (105 steps each).
  return config
