"""pathways: discrete-event simulation of NHS patient pathways.

    import pathways
    model = pathways.load("configs/examples/mmc.yaml")     # model.warnings
    result = pathways.simulate(model, seed=0)              # one replication
    result.kpis, result.events.to_frame()
    pathways.run(model, replications=5).summary            # means and 95% intervals
    pathways.compare({"base": model, "more": pathways.configure(
        model, {"resources.clinicians.capacity": 6})}, replications=5).differences
    pathways.read_results("results/integrated-vs-competitive").summary

See pathways.api and examples/notebook.ipynb.

The API is imported lazily so that importing one stage (say ``pathways.model``)
does not pull in every other stage.
"""

__version__ = "0.1.0"
_API = ("RunResults", "SimulationResult", "compare", "configure", "load", "read_results", "run",
        "simulate")
__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> object:
    if name in _API:
        from pathways import api

        return getattr(api, name)
    raise AttributeError(f"module 'pathways' has no attribute {name!r}")
