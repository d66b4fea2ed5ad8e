"""Streams characters from a trained text model, with temperature, top-k and top-p."""

from apps.text_generation.vocabulary import Vocabulary
from tfgen.models.autoregressive.sequence_model import SequenceModel
from tfgen.training.workdir import Workdir


def load_text_model(workdir):
  """(model, vocabulary) of a text workdir, or a ValueError saying what is missing."""
  model, _, info = Workdir(workdir).load_model()
  if not isinstance(model, SequenceModel) or not info.vocabulary:
    raise ValueError(f"{workdir}: not a text model (no character vocabulary)")
  return model, Vocabulary(info.vocabulary)


def generate(workdir, prompt="", length=500, temperature=1.0, top_k=0, top_p=1.0, seed=None,
             on_text=None):
  """Generates `length` characters after `prompt`; calls on_text(chunk) as they come.

  on_text first gets the prompt (once it is known to be valid), then each new
  character.

  Args:
    prompt: text to continue (every character must be in the vocabulary).
    length: characters to generate, > 0.
    temperature: > 0.
    top_k: keep the k likeliest characters (0 = all).
    top_p: keep the smallest set with probability >= top_p (1 = all).
    seed: int for repeatable output.
  Returns:
    the generated text (without the prompt).
  """
  if isinstance(length, bool) or int(length) != length or length <= 0:
    raise ValueError(f"--length must be > 0 (an integer), got {length}")
  model, vocabulary = load_text_model(workdir)
  tokens = vocabulary.encode(prompt)
  # The model checks the sampling arguments here, before the prompt is shown.
  stream = model.stream(tokens, int(length), temperature=temperature, top_k=top_k, top_p=top_p,
                        seed=seed)
  if on_text is not None:
    on_text(prompt)
  generated = []
  for token in stream:
    generated.append(token)
    if on_text is not None:
      on_text(vocabulary.decode([token]))
  return vocabulary.decode(generated)
