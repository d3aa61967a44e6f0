"""pathways: discrete-event simulation of NHS patient pathways.

    import pathways
    model = pathways.load("configs/examples/mmc.yaml")
    result = pathways.simulate(model, seed=0)
    result.kpis, result.events.to_frame()

The API is imported lazily so that importing one stage (say ``pathways.model``)
does not pull in every other stage.
"""

__version__ = "0.1.0"
__all__ = ["SimulationResult", "__version__", "load", "simulate"]


def __getattr__(name: str):
    if name in ("load", "simulate", "SimulationResult"):
        from pathways import api

        return getattr(api, name)
    raise AttributeError(f"module 'pathways' has no attribute {name!r}")
