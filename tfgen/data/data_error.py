"""The error every data loader raises for a missing, corrupt or unreachable source."""


class DataError(ValueError):
  """A data source is missing, corrupt, or cannot be reached offline.

  The message is one line naming the file or dataset and the problem, and, where
  a download failed, the offline options.
  """
