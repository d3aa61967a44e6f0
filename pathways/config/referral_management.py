"""A referral management service, written into the managed pathways as two stages.

Every later step (lint, offered loads, compilation, the engine, the metrics) then sees
ordinary stages: a triage delay that becomes the pathway's start, and an alternative
that a share of referrals go to instead of the hospital."""

from __future__ import annotations

from pathways.config.derived import resource_kinds
from pathways.config.schema import EXIT, Config, Fixed, Stage

TRIAGE = "referral_triage"
ALTERNATIVE = "referral_alternative"


def unmanaged_start(config: Config, pathway_name: str) -> str | None:
    """Where a referral from a practice the service does not manage starts: the managed
    pathway's own start, after the triage (None: every referral starts at the start)."""
    service = config.referral_management
    stages = config.pathways[pathway_name].stages
    if not service.practices or pathway_name not in service.pathways or TRIAGE not in stages:
        return None
    after = stages[TRIAGE].next
    return after if isinstance(after, str) else next(s for s in after if s != ALTERNATIVE)


def with_referral_management(config: Config) -> Config:
    """The config with the service's stages added to each managed pathway (a pathway
    or a kind that does not exist is left to the lint, which names it in the service's
    own section)."""
    service = config.referral_management
    if not service.pathways or (service.redirect_share > 0
                                and service.alternative_kind not in resource_kinds(config)):
        return config
    pathways = dict(config.pathways)
    for name in service.pathways:
        pathway = pathways.get(name)
        if pathway is None:
            continue
        start = pathway.start_stage
        stages = dict(pathway.stages)
        share = service.redirect_share
        # ReferralManagement gives an alternative_duration whenever it redirects any
        alternative = service.alternative_duration if share > 0 else None
        stages[TRIAGE] = Stage(duration=Fixed(dist="fixed", value=service.triage_days),
                               next={ALTERNATIVE: share, start: 1.0 - share} if alternative
                               else start)
        if alternative is not None:
            stages[ALTERNATIVE] = Stage(kind=service.alternative_kind,
                                        duration=alternative,
                                        currency=service.alternative_currency, next=EXIT)
        pathways[name] = pathway.model_copy(update={"stages": stages, "start": TRIAGE})
    return config.model_copy(update={"pathways": pathways})
