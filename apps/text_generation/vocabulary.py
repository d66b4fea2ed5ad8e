"""The character vocabulary of a trained text model: encoding, decoding, clear errors."""

import numpy as np


class Vocabulary:
  """Maps characters to ids (their index in `characters`) and back.

  Args:
    characters: the vocabulary string, in id order (as `tfgen.data` writes it).
  """

  def __init__(self, characters):
    if not characters:
      raise ValueError("the vocabulary is empty")
    self.characters = characters
    self.ids_by_character = {char: index for index, char in enumerate(characters)}

  def __len__(self):
    return len(self.characters)

  def encode(self, text):
    """ids [len(text)]; unknown characters raise a ValueError that lists them."""
    unknown = sorted(set(text) - set(self.ids_by_character))
    if unknown:
      shown = ", ".join(repr(char) for char in unknown)
      raise ValueError(f"the prompt has characters the model never saw: {shown} "
                       f"(known: {self.characters!r})")
    return np.array([self.ids_by_character[char] for char in text], dtype=np.int32)

  def decode(self, ids):
    return "".join(self.characters[int(index)] for index in ids)
