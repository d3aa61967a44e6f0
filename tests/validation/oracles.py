"""Queueing theory the engine is checked against (independent of pathways' code)."""

from __future__ import annotations

import math

import numpy as np


def erlang_c_probability_of_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """P(wait > 0) in M/M/c (Erlang C)."""
    offered = arrival_rate / service_rate
    rho = offered / servers
    if rho >= 1:
        raise ValueError("unstable queue")
    tail = offered**servers / math.factorial(servers) / (1 - rho)
    head = sum(offered**k / math.factorial(k) for k in range(servers))
    return tail / (head + tail)


def mmc_mean_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time in queue Wq of M/M/c."""
    p_wait = erlang_c_probability_of_wait(arrival_rate, service_rate, servers)
    return p_wait / (servers * service_rate - arrival_rate)


def mg1_mean_wait(arrival_rate: float, mean_service: float, cv_service: float) -> float:
    """Pollaczek-Khinchine: Wq = rho (1 + cs^2) / (2 (1 - rho)) E[S]."""
    rho = arrival_rate * mean_service
    return rho * (1 + cv_service**2) / (2 * (1 - rho)) * mean_service


def jackson_arrival_rates(external: np.ndarray, routing: np.ndarray) -> np.ndarray:
    """Traffic equations lambda = a + lambda P, solved directly."""
    n = len(external)
    return np.linalg.solve(np.eye(n) - routing.T, external)
