"""Normalizing flows with exact likelihoods: NICE, RealNVP and MAF."""

from tfgen.models.flows.flow import Flow
from tfgen.models.flows.maf import MAF
from tfgen.models.flows.nice import NICE
from tfgen.models.flows.real_nvp import RealNVP

__all__ = ["Flow", "MAF", "NICE", "RealNVP"]
