"""Character-level text generation: train a char-RNN or transformer on any text, generate from a prompt."""
