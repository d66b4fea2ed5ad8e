"""Layers shared by tfgen's models."""

from tfgen.layers.causal_conv1d import CausalConv1D
from tfgen.layers.causal_self_attention import CausalSelfAttention
from tfgen.layers.masked_dense import MaskedDense
from tfgen.layers.transformer_block import TransformerBlock

__all__ = ["CausalConv1D", "CausalSelfAttention", "MaskedDense", "TransformerBlock"]
