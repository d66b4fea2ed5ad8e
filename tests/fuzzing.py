"""Shared settings and helpers of the property-based (hypothesis) fuzz tests.

Each fuzz test feeds a parser or an argument check inputs hypothesis makes:
random bytes, and valid files cut short or with bytes changed. The property:
a valid result, or the parser's own error (`DataError` or `ValueError`),
never any other exception. Runs are derandomized, so CI sees the same cases.
"""

import datetime
import os

from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from tfgen.data import DataError

FUZZ = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# The file parsers also get a time limit a case: a WAV header with a sample rate of 44101 Hz
# once took minutes to resample.
PARSER_FUZZ = settings(FUZZ, deadline=datetime.timedelta(seconds=5))


def mutated(valid):
  """Strategy: `valid` bytes cut short, with a few bytes changed, or with bytes inserted."""
  return st.one_of(
      st.integers(0, len(valid)).map(lambda size: valid[:size]),
      st.lists(st.tuples(st.integers(0, len(valid) - 1), st.integers(0, 255)), min_size=1,
               max_size=8).map(lambda changes: _change(valid, changes)),
      st.tuples(st.integers(0, len(valid)), st.binary(min_size=1, max_size=64)).map(
          lambda insert: valid[:insert[0]] + insert[1] + valid[insert[0]:]),
      st.binary(max_size=512))


def _change(valid, changes):
  data = bytearray(valid)
  for index, value in changes:
    data[index] = value
  return bytes(data)


def parsed(parse, folder, name, content):
  """`parse(path)` of `content` written to folder/name, or None when it raised a DataError
  naming the file; any other exception fails the test."""
  path = write(folder, name, content)
  try:
    return parse(path)
  except DataError as error:
    assert os.path.basename(name) in str(error), error
    return None


def write(folder, name, content):
  """Writes bytes (or text) to folder/name and returns the path."""
  path = os.path.join(folder, name)
  with open(path, "wb") as handle:
    handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))
  return path
