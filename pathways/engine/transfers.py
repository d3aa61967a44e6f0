"""Moving between contacts in a health economy: the provider that serves the next stage,
the transfer to it (a delay, perhaps a repeat test at the receiving provider first), and
the Patient Choice rule's offer of a faster provider to a patient still waiting."""

from __future__ import annotations

from pathways.engine.economy_rules import EconomyRules
from pathways.engine.journeys import BY_KIND, Journeys
from pathways.engine.replication import Replication
from pathways.engine.waiting_lists import WaitingLists
from pathways.model.model import NO_RESOURCE


class Transfers:
    """A health economy's way from one stage to the next, for one replication."""

    def __init__(self, rep: Replication, rules: EconomyRules, journeys: Journeys,
                 lists: WaitingLists):
        self.rep, self.rules, self.journeys, self.lists = rep, rules, journeys, lists
        self.stage_pool, self.stage_resource = journeys.stage_pool, journeys.stage_resource
        self.stage_pathway, self.lead_days = journeys.stage_pathway, journeys.lead_days
        self.resource_pool = rep.model.resource_pool
        self.repeat_stage = rules.economy.repeat_stage
        self.enter = journeys.enter

    def join(self, patient: int, s: int, now: float) -> None:
        """Move on to stage s, through the transfer it may involve."""
        rules, journeys = self.rules, self.journeys
        q = self.stage_pool[s]
        nominal = self.stage_resource[s]
        if q == BY_KIND:
            nominal = rules.resource_for(patient, s, now)
            q = self.resource_pool[nominal]
        if nominal == NO_RESOURCE:
            self.enter(patient, s, q, nominal, now)
            return
        delay, repeat = rules.transfer(patient, nominal, s, now)
        if repeat:  # a repeat test at the receiving provider first, then stage s
            journeys.resumes[patient] = (s, q, nominal)
            nominal = rules.repeat_resource(nominal)
            s, q = self.repeat_stage[self.stage_pathway[s]], self.resource_pool[nominal]
        lead_days = self.lead_days[s]
        if delay > 0 and lead_days > 0:  # the transfer and the lead time as one wait
            journeys.after_lead(patient, s, q, nominal, now + delay, now + delay + lead_days)
        elif delay > 0:
            self.rep.after(delay, journeys.delay_over, (patient, s, q, nominal, None))
        else:
            self.enter(patient, s, q, nominal, now)

    def offer_faster_provider(self, patient: int) -> None:
        """The Patient Choice rule: a patient still on a list at the threshold is
        offered providers with shorter published waits, and may move (a handoff)."""
        waiting = self.lists.waiting.get(patient)
        if waiting is None:
            return
        _, place, _, s, _, _, _ = waiting[1]
        moved = self.rules.offer(patient, s, self.rep.now)
        if moved is None:
            return
        nominal, delay = moved
        self.lists.move_off(patient)
        self.rep.after(delay, self.journeys.delay_over,
                       (patient, s, self.resource_pool[nominal], nominal, place))
