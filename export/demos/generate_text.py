r"""Generates text on the device: the exported `step` model, run one character at a time.

  python -m export.demos.generate_text --model=exported/names_rnn.tflite \
      --prompt="Ma" --length=200 --temperature=0.8 --seed=0

Needs only ai_edge_litert and numpy: the loop a phone runs. The state goes
round explicitly (`initial_state`, then `step(previous, position, state_i)`),
and characters are drawn from the step's logits with numpy. A model with a
context length (a transformer) restarts on the last half of the text when its
cache is full.
"""

import argparse
import sys

import numpy as np

from export.demos.litert_artifact import LiteRTArtifact
from export.demos.litert_artifact import softmax_draw


def generate(model_path, prompt="", length=200, temperature=1.0, seed=None):
  """The prompt and `length` drawn characters after it (a str)."""
  artifact = LiteRTArtifact(model_path)
  vocabulary = artifact.metadata.get("vocabulary")
  if not vocabulary:
    raise ValueError(f"{model_path} is not a text model (its metadata has no vocabulary)")
  if length < 1 or not temperature > 0:
    raise ValueError(f"length must be >= 1 and temperature > 0, got {length}, {temperature}")
  unknown = sorted(set(prompt) - set(vocabulary))
  if unknown:
    raise ValueError(f"the prompt has characters the model never saw: "
                     f"{', '.join(map(repr, unknown))}")
  ids = {char: index for index, char in enumerate(vocabulary)}
  tokens = [ids[char] for char in prompt]
  context = artifact.metadata.get("context_length")
  rng = np.random.default_rng(seed)

  def feed(history):
    """Steps through `history` from a fresh state: (logits, state, next position)."""
    state = artifact.start_state()
    previous, out = 0.0, None
    for position in range(len(history) + 1):
      out, state = artifact.step([[previous]], position, state)
      if position < len(history):
        previous = float(history[position])
    return out["params"], state, len(history)

  logits, state, position = feed(tokens[-(context - 1):] if context else tokens)
  for _ in range(length):
    token = int(softmax_draw(logits, temperature, rng)[0])
    tokens.append(token)
    position += 1
    if context and position >= context:
      logits, state, position = feed(tokens[-(context // 2):])
      continue
    out, state = artifact.step([[float(token)]], position, state)
    logits = out["params"]
  return "".join(vocabulary[token] for token in tokens)


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--model", required=True, help="An exported text model (.tflite).")
  parser.add_argument("--prompt", default="", help="Text to continue.")
  parser.add_argument("--length", type=int, default=200, help="Characters to draw.")
  parser.add_argument("--temperature", type=float, default=1.0)
  parser.add_argument("--seed", type=int, default=None)
  parser.add_argument("--output", default=None, help="Write the text here too.")
  args = parser.parse_args(argv)
  try:
    text = generate(args.model, args.prompt.replace("\\n", "\n"), args.length, args.temperature,
                    args.seed)
  except ValueError as error:
    sys.exit(f"generate_text: {error}")
  if args.output:
    with open(args.output, "w") as handle:
      handle.write(text)
  print(text)


if __name__ == "__main__":
  main()
