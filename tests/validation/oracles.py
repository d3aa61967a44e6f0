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


def slot_booked_mean_wait(arrival_rate: float, slots: list[int], interval: float,
                          states: int = 4000) -> float:
    """Mean wait for a booked slot when Poisson arrivals join one list that sessions,
    every ``interval`` days, book in batches of ``slots[k % len(slots)]`` at their start
    (the embedded chain of M/D/c, Crommelin 1932): Q' = max(Q + A - n, 0), A ~
    Poisson(arrival_rate x interval). By Little's law the mean wait is the time-average
    list (mean left after a session + arrivals since) over the arrival rate. Solved by
    iterating whole cycles of sessions until the distribution stops changing, on a
    truncated state space."""
    from scipy import stats

    arrivals = stats.poisson.pmf(np.arange(states), arrival_rate * interval)
    left = np.zeros(states)
    left[0] = 1.0
    previous = -1.0
    for _ in range(100000):
        means = []
        for n in slots:
            joined = np.convolve(left, arrivals)[:states]  # just before the session
            left = np.zeros(states)
            left[0] = joined[: n + 1].sum()
            left[1:states - n] = joined[n + 1:]
            means.append(float(np.arange(states) @ left))
        if abs(means[-1] - previous) < 1e-12:
            break
        previous = means[-1]
    return float(np.mean(means)) / arrival_rate + interval / 2
