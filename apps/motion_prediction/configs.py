"""The motion-prediction app's configs, one per model; a `ResidualGRU` (tfgen) underneath each.

  residual_gru  the lecture's network: Linear(256) + ReLU, a 2-layer GRU(256)
                with the encoded input added back, a Linear-ReLU-Linear decoder;
                squared error (a fixed-scale Normal head), Adam 1e-3, clipping 0.1,
                teacher forcing: every frame predicted from the true ones before it
                (x[:, :-1] -> x[:, 1:], and frame 0 from a learned start vector)
  seq2seq       Martinez et al. 2017's variant of it: the same network reads the
                50 observed frames and then decodes ("tied" encoder and decoder)
                with residual velocities, trained by the sampling-based loss
                (the 25 target frames come from the model's own outputs in
                training too); --set=data.with_labels=True adds the one-hot
                action. A network like theirs, one GRU (1024 units in the paper)
                with linear maps in and out: --set=model.num_layers=1
                --set=model.hidden_units=1024
                --set=model.encoder_activation=linear --set=model.input_residual=False
                --set=model.decoder_units=0
  mdn           the lecture's network with residual velocities and a 5-component
                mixture of diagonal Gaussians over the next frame, trained by
                its negative log-likelihood; `forecast --num_samples` draws futures
"""

import ml_collections

from tfgen.configs import common

MODELS = ("residual_gru", "seq2seq", "mdn")


def get_config(model="residual_gru"):
  """The app's config for `model` (a key of MODELS)."""
  if model not in MODELS:
    raise ValueError(f"unknown motion model {model!r}; use one of {', '.join(MODELS)}")
  config = common.base_config()
  config.data.name = "motion"  # Not a tfgen.data name: the app feeds its windows.
  config.data.source = "synthetic"  # cmu:ROOT, h36m:ROOT, bvh:PATH or synthetic.
  config.data.batch_size = 16  # Windows per training step.
  config.data.num_observed = 50  # Observed frames of a window (2 s at 25 frames a second).
  config.data.num_target = 25  # Frames to predict after them (1 s).
  config.data.min_scale = 0.05  # Smallest divisor of a dimension, in radians (0 = its std).
  config.data.num_valid_windows = 64  # Fixed validation windows, drawn once from the valid split.
  # data.with_labels=True feeds each window's action as a label: a multi-action model
  # (Martinez et al.'s one-hot action input); model.num_conditions is set from the data.
  config.head.name = "diagonal_gaussian_mixture"  # One distribution over a whole frame.
  config.head.num_components = 1  # K.
  config.head.fixed_scale = 1.0  # sigma on the normalised values: the loss is a squared error.
  config.model = ml_collections.ConfigDict()
  config.model.name = "residual_gru"  # The tfgen.models class; the app's model name is `app_model`.
  config.model.hidden_units = 256  # Encoder and GRU width.
  config.model.num_layers = 2  # Stacked GRU layers.
  config.model.encoder_activation = "relu"  # Linear + ReLU before the GRU.
  config.model.input_residual = True  # x = GRU(x_e) + x_e.
  config.model.decoder_units = 256  # Linear-ReLU-Linear decoder; 0 = linear.
  config.model.residual_velocity = False  # Predict the change from the previous frame.
  # 0 = teacher forcing; any other value: the sampling-based loss after data.num_observed frames.
  config.model.num_observed = 0
  config.model.num_conditions = 0  # Actions of a multi-action model (set from the data).
  config.optimizer.learning_rate = 1e-3  # Adam.
  config.optimizer.schedule = "constant"  # As in the lecture.
  config.optimizer.clipnorm = 0.1  # Gradient clipping.
  config.training.num_epochs = 12  # Epochs of steps_per_epoch random windows.
  config.training.steps_per_epoch = 100  # Steps an epoch.
  config.app_model = model  # residual_gru, seq2seq or mdn.
  if model == "seq2seq":
    config.model.residual_velocity = True  # x_t = x_{t-1} + f(h_t).
    config.model.num_observed = 50  # The sampling-based loss on the 25 frames after 50.
  elif model == "mdn":
    config.head.num_components = 5  # Mixture components over a frame.
    config.head.fixed_scale = None  # Learned scales.
    config.model.residual_velocity = True  # Each component's mean is a change from the last frame.
    config.optimizer.clipnorm = 1.0  # NLL gradients are larger than squared-error ones.
  return config


def small(config):
  """Narrow networks and short runs for the demo and tests (minutes on 2 CPU cores)."""
  config.model.hidden_units = 64  # Narrow.
  config.model.decoder_units = 64 if config.model.decoder_units else 0  # Narrow.
  config.training.num_epochs = 6  # Few epochs.
  config.training.steps_per_epoch = 60  # Short epochs.
  config.data.num_valid_windows = 32  # Fewer validation windows.
  return config
