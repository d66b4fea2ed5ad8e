"""Short runs of the digit configs with narrow networks, for training tests."""

from tfgen.configs import dcgan_digits


def tiny_config(config_module, num_epochs, steps_per_epoch, steps_per_backup=3, precision="float32"):
  """config_module's config: 4 filters (DCGAN) or 16 hidden units, batches of 32, a short run."""
  config = config_module.get_config()
  if config_module is dcgan_digits:
    config.model.num_filters = 4
  else:
    config.model.hidden_units = (16,)
  config.data.batch_size = 32
  config.training.num_epochs = num_epochs
  config.training.steps_per_epoch = steps_per_epoch
  config.training.steps_per_backup = steps_per_backup
  config.training.precision = precision
  return config
