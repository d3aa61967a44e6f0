"""What every configuration model shares: strictness, names, and numeric bounds."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

EXIT = "exit"
"""The routing target that takes a patient out of the pathway; no stage may use the name."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


class StrictModel(BaseModel):
    """Base of every configuration model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def _valid_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(
            f"{name!r} is not a valid name: use letters, digits, '_' and '-', "
            "starting with a letter or '_'"
        )
    return name


def _not_exit(name: str) -> str:
    if name == EXIT:
        raise ValueError("'exit' is reserved for leaving the pathway; give the stage another name")
    return name


Name = Annotated[str, AfterValidator(_valid_name)]
StageName = Annotated[Name, AfterValidator(_not_exit)]

NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]


def text_or_mapping(value: Any) -> str | None:
    """Picks the branch of a 'name or inline mapping' field, so errors name one branch."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, (dict, BaseModel)):
        return "mapping"
    return None
