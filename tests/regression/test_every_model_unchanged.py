"""Every shipped model and example gives the same results, to the bit, as before the
issue-19 optimisation of the engine.

The digest covers the whole event log (every column and every table the engine fills
beside it: handoffs, sessions, chronic episodes, removals, offers...) and the KPIs of
replication 0, seed 0, over a shortened horizon (300 days, 100 of warm-up), so each
mechanism a model switches on is exercised in a second or two. They were taken at
commit 40f1310, before the optimisation began; a change that alters a number on purpose
must say so in its commit and update them (run this file with ``-s`` to print them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pathways
from pathways.api import configure
from tests.regression.digests import frame_digest, log_digest

ROOT = Path(__file__).resolve().parents[2]
SHORT = {"horizon_days": 300, "warmup_days": 100}

#: (whole event log, KPIs) of replication 0, seed 0, over the shortened horizon.
DIGESTS = {
    "models/competitive.yaml": (
        "00c3b896f13e2dcf73720013039b55d6bbe7f616c855ff057d274696256ff92a",
        "57fc75b7a1c23e01d86240caa16757c3eab68691dda4f3f38d15e6ce3aa6189b"),
    "models/consumer_sovereign.yaml": (
        "f3771c8cf223ef254b567dd8f9ca57c04f953b3e247355a84605b19216667423",
        "2dbfbbaa72740bb9e4dcf4c6b968f9bbb7c214203b0ec0020a9c5e6e1d1f5271"),
    "models/equity_first.yaml": (
        "1b4d4473eb6c853d9fb8fd973d6f60a0f1933fc7cf696e9040c9ff8849e36e10",
        "af6082ba9f5fd81f70af3f918c4318a166fa25a977e1ff9ae1dcc6f7dda76827"),
    "models/ethical_market.yaml": (
        "6262137e72e448a29fb48b952d836f22832523f66e1bf0859e094c5ada253cbd",
        "09caf26d667097e8c535b5472f397babd3a2b6d8269166ae860caf04e137334a"),
    "models/integrated.yaml": (
        "949e5d1dec4a811c88e1348f7e97af9ad8327951699f9f76fea27a0f7e659d40",
        "ecfdb6a8ac9dda5344b72fe9a54faccddbee6282a88b5297f09f458da4134d70"),
    "models/real_integration.yaml": (
        "56b69f52baaa03221c12225fbf341c58faadfd31b4af779aac65c435229d23ce",
        "f8ad2e32be49a32591a170830d229dcbe00de67a40cd54c6a30baae6122f7ec5"),
    "models/virtual_integration.yaml": (
        "ae47c34ae6c163f5eb90ec6208dbc3578db40c12381b5d6ba54c23d63b36c374",
        "b35e37d960f8dc68efede9c25c8aefb72a5bbc2cf2466f3fe4432c1f57fc0793"),
    "models/redesigns/advice_and_guidance.yaml": (
        "186d2377efe640b48c169025997030b9511d6153bdf095b6a5be443646b31884",
        "b5155d56d9b3b14f21a0d95616556970310206b0ced2da4e6580900e76e81425"),
    "models/redesigns/community_triage.yaml": (
        "edc35b5c5fc528a17ed81e2b3815a75be0052eaf76d0460e904e1231dcbb4205",
        "08b69d0c16817a183d6ff1a8fac279609c4c295c0e100c8ae287400e474a1454"),
    "models/redesigns/one_stop_clinic.yaml": (
        "862514d69184cdcdf7322bbbb0178de41df4f5312e9059e347ae5c588cbb9dbe",
        "62ce6dbb089d6ec852b9fbd6e79e42f39c19f841b265e240d8bec8e6435e0025"),
    "models/redesigns/patient_initiated_follow_up.yaml": (
        "8f58090a96bc1a19bcee5f78b9d6be7c91d71b0268d1f9b64da37a1eb9e019d1",
        "19a7924f23de2b6dee349a86733e0d2f5f59cdd3010a8262611651d5c966ba8d"),
    "models/redesigns/straight_to_test.yaml": (
        "5441f50ca9fb86e3f7b23029b0d6457bc01544c3e236344c96c49936e6f705dd",
        "dbd6b985426f5964f24eb45ed73311132861dd179c8a3bddf17f7d4b1144bc40"),
    "models/redesigns/virtual_follow_up.yaml": (
        "3c7ad7e70a59e3237c33d6b301ed9350d2a6cb7e38ea0fcbaf635080eab9b50d",
        "e35d9468b5fbc1f5e373ed443a35484d1c50ede442aa13ddabc6187165676f06"),
    "configs/examples/minimal_economy.yaml": (
        "816d687f3be852757225725a3f28200536afaeb1bd42b422084d19ad2889c307",
        "5344c3c0127cc8ee6db3434c07e917bc8bf58aa3a01b6f39ed035a948907f8a4"),
    "configs/examples/mmc.yaml": (
        "916bb08ca89baf36a15e580ddc74de6d57b4e474d3b0317dda095ecb3ab1dbab",
        "380e2915454c49b0a918cb7d83ddd528725d3d2af8bb358bd0fd80d5eef0b9ba"),
    "configs/examples/outpatient_week.yaml": (
        "b2c35324a7dcf4c9773d2e9e9b5a0906a7ac62415d2f94fdafb0e3a360446138",
        "c322a768bbbdcf704e69fb214202852d12c19e146f2fce56086d8fb5fa34ace9"),
    "configs/examples/tandem.yaml": (
        "abea092217f780f5b2ca71c0281400c5ac946a81a6b4b60f05643016ced2179c",
        "87032e94d3dfd058be42e802aea28b3c63f2a4914c92acd108d6976ef943639c"),
}


def test_every_shipped_model_and_example_is_pinned() -> None:
    shipped = sorted(str(p.relative_to(ROOT)) for folder in
                     ("models", "models/redesigns", "configs/examples")
                     for p in (ROOT / folder).glob("*.yaml"))
    assert shipped == sorted(DIGESTS)


@pytest.mark.parametrize("path", sorted(DIGESTS))
def test_the_whole_log_of_each_model_is_unchanged(path: str) -> None:
    model = configure(pathways.load(ROOT / path), SHORT)
    result = pathways.simulate(model, seed=0, replication=0)
    got = (log_digest(result.events), frame_digest(result.kpis))
    print(path, got)
    assert got == DIGESTS[path]
