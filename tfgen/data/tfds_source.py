"""TFDS access that fails in one line, at once, when the machine is offline."""

import logging
import socket

from tfgen.data.data_error import DataError

# TFDS downloads through Google Cloud Storage or the dataset's own site; when
# this host does not resolve, the machine is taken to be offline.
_PROBE_ADDRESS = ("storage.googleapis.com", 443)


def is_online(timeout=3.0):
  """Whether a TCP connection to the TFDS storage host opens within `timeout` s."""
  try:
    socket.create_connection(_PROBE_ADDRESS, timeout=timeout).close()
    return True
  except OSError:
    return False


def load_tfds_arrays(name, split, data_dir, offline_hint):
  """Returns TFDS split `split` of `name` as a dict of numpy arrays.

  Raises:
    DataError: naming the dataset and the offline options, when the data is not
      prepared in `data_dir` and cannot be downloaded.
  """
  try:
    import tensorflow_datasets as tfds  # pylint: disable=import-outside-toplevel
  except ImportError as error:
    raise DataError(f"TFDS dataset {name!r} needs tensorflow-datasets ({error}); "
                    f"offline: {offline_hint}") from None
  for noisy in ("absl", "urllib3", "tensorflow_datasets"):
    logging.getLogger(noisy).setLevel(logging.ERROR)
  tfds.disable_progress_bar()
  where = data_dir or "the default TFDS folder"
  try:
    builder = tfds.builder(name, data_dir=data_dir or None)
    if not builder.is_prepared():
      if not is_online():
        raise DataError(f"TFDS dataset {name!r} is not prepared in {where} and this machine is "
                        f"offline; offline: {offline_hint}, or --config.data.data_dir=DIR holding the "
                        "prepared TFDS data")
      builder.download_and_prepare()
    return tfds.as_numpy(builder.as_dataset(split=split, batch_size=-1))
  except DataError:
    raise
  except Exception as error:  # pylint: disable=broad-except
    reason = str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error).__name__
    raise DataError(f"could not load TFDS dataset {name!r} into {where} ({reason}); "
                    f"offline: {offline_hint}") from None
