"""Chronic cohorts in one replication: who has a long-term condition, when their
reviews fall due, and when they have an exacerbation that needs an emergency bed.

Persons are seeded at time 0 from each practice's list and the condition's prevalence,
arrive by incidence afterwards and leave (death, moving away) at the rate that keeps
the cohort's size stationary. Each person's reviews fall due on a fixed schedule,
every ``review_interval_days`` after the previous due date (the first at a uniformly
spread phase, so a cohort is not all due on day 0; a new diagnosis one interval after
diagnosis), however late the reviews start: a clinic that cannot keep up shows overdue
reviews piling up instead of quietly stretching the schedule. A person has one review
in hand at a time: the next due date is set when the pending review starts, and if it
has passed already the next review falls due at once, as overdue as its missed date
makes it (the hazard reads that date). A catch-up review's episode therefore arrives
when it is put in hand, not on its missed date, and reviews_overdue_share, which dates
a review by its episode's arrival, counts only its wait from then. Exacerbations are a
Poisson process per person whose hazard depends on the season, on how overdue the
review is and on case management; they are drawn by thinning: candidates at a bound on
the hazard, each kept with probability hazard / bound. The candidates of a whole
cohort are one Poisson stream at the bound times the number of persons ever enrolled,
each landing on a person drawn uniformly (the superposition of every person's stream;
candidates landing on someone who has left are dropped), so the cohort needs one
pending event, not one per person. Review due dates wait in heaps of the cohort's own
(one a day) and wake the simulation only for the earliest, which keeps the engine's
event heap small.
All draws come from streams per condition, consumed in time order, so models that
leave the hazard alone see the same persons and the same exacerbations (common random
numbers).

Multimorbidity links a person of one condition to a person of another at the same
practice: one patient with both (each pair of conditions as ``chronic.multimorbidity``
lists it; a person is in one pair at most). Links are made when the cohorts are seeded
and at each new diagnosis (the newly diagnosed person joins a person already in the
other cohort), from a stream per pair, so with no pairs nothing else changes. A linked
pair leaves both cohorts together, when the person of the pair's first condition does
(death, moving away). Where one organisation reviews both conditions for the practice,
a review falling due brings the other condition's review to the same visit if that
would fall due before this condition's next one (so neither is reviewed more often
than its interval), and both schedules advance from their own due dates; where two
organisations review them, each has its own journey, as for a single condition.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable

import numpy as np

from pathways.engine.replication import Schedule
from pathways.engine.streams import Draws, stream
from pathways.log.event_log import ChronicConditionInfo, ChronicTable
from pathways.model.chronic import Chronic
from pathways.model.economy import Economy

#: begin_journey(practice, pathway, start stage, site, emergency, now, registered): a
#: new journey (a review, an emergency admission, or a case manager's proactive
#: contact); registered(patient), if given, is told its patient id before it starts
BeginJourney = Callable[[int, int, int, int, bool, float, Callable[[int], None] | None], None]


class _MemberEvents:
    """A Poisson stream of events per condition, each falling on a member of its cohort
    drawn at random: the cohort's rate is ``rate_per_person`` times its size, so the
    next event is drawn again whenever the cohort grows (memoryless: a pending one is
    dropped by its version). ``on_member(condition, person, draws)`` handles one, with
    the stream's own draws for anything more it decides."""

    def __init__(self, draws: list[Draws], rate_per_person: list[float],
                 members: list[list[int]], schedule: Schedule,
                 on_member: Callable[[int, int, Draws], None]):
        self.draws, self.rate_per_person, self.members = draws, rate_per_person, members
        self.schedule, self.on_member = schedule, on_member
        self.version = [0] * len(draws)

    def reschedule(self, c_index: int) -> None:
        rate = self.rate_per_person[c_index] * len(self.members[c_index])
        self.version[c_index] += 1
        if rate <= 0:
            return
        u = self.draws[c_index].next()
        self.schedule(-math.log1p(-u) / rate, self._happens, (c_index, self.version[c_index]))

    def _happens(self, event: tuple[int, int]) -> None:
        c_index, version = event
        if version != self.version[c_index]:
            return
        draws, members = self.draws[c_index], self.members[c_index]
        self.on_member(c_index, members[min(int(draws.next() * len(members)), len(members) - 1)],
                       draws)
        self.reschedule(c_index)


class _Singles:
    """The persons of each condition and practice not linked to another, from whom a new
    link draws one at random (a person found to have left is dropped then)."""

    def __init__(self, n_conditions: int, n_practices: int):
        self.persons: list[list[list[int]]] = [[[] for _ in range(n_practices)]
                                               for _ in range(n_conditions)]
        self.position: dict[int, tuple[int, int, int]] = {}  # person -> condition, practice, index

    def add(self, c_index: int, practice: int, person: int) -> None:
        persons = self.persons[c_index][practice]
        self.position[person] = (c_index, practice, len(persons))
        persons.append(person)

    def remove(self, person: int) -> None:
        """Swap the last of the list into the person's place (no-op if not there)."""
        where = self.position.pop(person, None)
        if where is None:
            return
        c_index, practice, index = where
        persons = self.persons[c_index][practice]
        last = persons.pop()
        if last != person:
            persons[index] = last
            self.position[last] = (c_index, practice, index)

    def draw(self, c_index: int, practice: int, draws: Draws, now: float,
             left: list[float]) -> int:
        """A single person of the condition still at the practice now (-1: none)."""
        persons = self.persons[c_index][practice]
        while persons:
            person = persons[min(int(draws.next() * len(persons)), len(persons) - 1)]
            if now < left[person]:
                return person
            self.remove(person)
        return -1


class _DueDates:
    """Review due dates, earliest first (then by person): a small heap per day and a
    heap of the days that have any. Every look and pop is at the current day's heap,
    which stays in the processor's cache; one heap of the whole cohort's dates (400,000
    at a million registered) was sifted through cold memory at every pop, and its cost
    per pop grew with the cohort. The order is the same: days order the dates."""

    __slots__ = ("days", "by_day")

    def __init__(self) -> None:
        self.days: list[int] = []
        self.by_day: dict[int, list[tuple[float, int]]] = {}

    def push(self, due: float, person: int) -> None:
        day = math.floor(due)
        dates = self.by_day.get(day)
        if dates is None:
            dates = self.by_day[day] = []
            heapq.heappush(self.days, day)
        heapq.heappush(dates, (due, person))

    def first(self) -> float:
        """The earliest due date (inf: none)."""
        return self.by_day[self.days[0]][0][0] if self.days else math.inf

    def pop(self) -> tuple[float, int]:
        """The earliest (due date, person), taken off."""
        day = self.days[0]
        dates = self.by_day[day]
        earliest = heapq.heappop(dates)
        if not dates:
            del self.by_day[day]
            heapq.heappop(self.days)
        return earliest


class ChronicCohort:
    """The chronic persons of one replication and the events that drive them."""

    # Slots, not a __dict__: more than 30 attributes would leave CPython's shared-key
    # instance dicts, and these are read at every event.
    __slots__ = ("chronic", "economy", "schedule", "clock", "begin_journey", "bound", "seed",
                 "replication", "incidence_rngs", "practice_share", "condition",
                 "practice", "entered", "left", "due", "review_of", "episodes",
                 "members", "candidates", "contacts", "dues", "wake_at", "in_hand",
                 "pairs", "partner", "combined", "riding", "pairs_of", "link_draws",
                 "singles", "drawn_from")

    def __init__(self, chronic: Chronic, economy: Economy, seed: int, replication: int,
                 schedule: Schedule, clock: Callable[[], float], begin_journey: BeginJourney):
        self.chronic, self.economy = chronic, economy
        self.schedule, self.clock, self.begin_journey = schedule, clock, begin_journey
        self.bound = chronic.hazard_bound
        self.seed, self.replication = seed, replication
        self.incidence_rngs = [stream(seed, replication, "chronic_incidence", c.name)
                               for c in chronic.conditions]
        self.practice_share: list[np.ndarray] = []  # per condition: where diagnoses fall
        for c in chronic.conditions:
            weights = economy.practice_list_size * c.practice_need
            self.practice_share.append(np.cumsum(weights) / weights.sum())
        self.condition: list[int] = []
        self.practice: list[int] = []
        self.entered: list[float] = []
        self.left: list[float] = []
        self.due: list[float] = []  # when the pending (or next) review falls due
        self.review_of: dict[int, int] = {}  # review episode's patient id -> person
        self.episodes: list[int] = []  # patient, person, emergency
        self.members: list[list[int]] = [[] for _ in chronic.conditions]  # persons per condition
        # Exacerbation candidates (thinned by the hazard) and case managers' contacts
        self.candidates = _MemberEvents(
            [Draws(stream(seed, replication, "exacerbations", c.name))
             for c in chronic.conditions],
            [c.exacerbations_per_day * self.bound for c in chronic.conditions],
            self.members, schedule, self._exacerbation_candidate)
        self.contacts = _MemberEvents(
            [Draws(stream(seed, replication, "case_management", c.name))
             for c in chronic.conditions],
            [c.contacts_per_day for c in chronic.conditions],
            self.members, schedule, self._contact)
        self.dues = _DueDates()  # reviews not yet fallen due
        self.wake_at = math.inf  # when the earliest scheduled wake-up for dues fires
        self.in_hand: set[int] = set()  # persons whose next review has a visit booked
        # Multimorbidity: each person's partner (-1: none), whether one organisation
        # reviews both, and the partner reviewed at a person's pending visit
        self.pairs = chronic.multimorbidity
        self.partner: list[int] = []
        self.combined: list[bool] = []
        self.riding: dict[int, int] = {}
        self.pairs_of = [[k for k, pair in enumerate(self.pairs) if pair.first == c_index]
                         for c_index in range(len(chronic.conditions))]
        self.link_draws = [Draws(stream(seed, replication, "multimorbidity",
                                            f"{chronic.conditions[pair.first].name}+"
                                            f"{chronic.conditions[pair.second].name}"))
                           for pair in self.pairs]
        self.singles = _Singles(len(chronic.conditions), len(economy.practice_list_size))
        self.drawn_from = {pair.second for pair in self.pairs}  # conditions links draw on

    # --- the cohort --------------------------------------------------------------------

    def populate(self) -> None:
        """Seed the prevalent cohorts at time 0 and start the incidence streams."""
        list_size = self.economy.practice_list_size
        for c_index, c in enumerate(self.chronic.conditions):
            rng = stream(self.seed, self.replication, "chronic_cohort", c.name)
            counts = rng.binomial(list_size, c.prevalence * c.practice_need)
            practices = np.repeat(np.arange(len(list_size)), counts)
            dues = rng.uniform(0.0, c.review_interval_days, len(practices))
            lefts = self._leaving(rng, c, 0.0, len(practices))
            for practice, due, left in zip(practices.tolist(), dues.tolist(), lefts.tolist(),
                                           strict=False):
                self._add(c_index, practice, 0.0, due, left, 0.0)
            self.candidates.reschedule(c_index)
            self.contacts.reschedule(c_index)
            if c.incidence_per_day > 0:
                self.schedule(rng_exponential(self.incidence_rngs[c_index], c.incidence_per_day),
                              self._diagnosed, c_index)
        for k, pair in enumerate(self.pairs):  # in the order listed, once all are seeded
            for person in list(self.members[pair.first]):
                self._maybe_link(k, person, 0.0)

    def _leaving(self, rng: np.random.Generator, c, now: float, n: int) -> np.ndarray:
        if c.leave_rate_per_day <= 0:
            return np.full(n, np.inf)
        return now + rng.exponential(1.0 / c.leave_rate_per_day, n)

    def _add(self, c_index: int, practice: int, now: float, due: float, left: float,
             entered: float) -> int:
        person = len(self.condition)
        self.condition.append(c_index)
        self.practice.append(practice)
        self.entered.append(entered)
        self.left.append(left)
        self.due.append(due)
        self.members[c_index].append(person)
        self.partner.append(-1)
        self.combined.append(False)
        if c_index in self.drawn_from:
            self.singles.add(c_index, practice, person)
        self._due_at(due, person, now)
        return person

    def _diagnosed(self, c_index: int) -> None:
        """A new diagnosis: a person joins the cohort, first review one interval on."""
        now = self.clock()
        c = self.chronic.conditions[c_index]
        rng = self.incidence_rngs[c_index]
        share = self.practice_share[c_index]
        practice = min(int(np.searchsorted(share, rng.random(), side="right")), len(share) - 1)
        left = float(self._leaving(rng, c, now, 1)[0])
        person = self._add(c_index, practice, now, now + c.review_interval_days, left, now)
        for k in self.pairs_of[c_index]:  # someone already in the other cohort, perhaps
            self._maybe_link(k, person, now)
        self.candidates.reschedule(c_index)  # one more person: a faster stream
        self.contacts.reschedule(c_index)
        self.schedule(rng_exponential(rng, c.incidence_per_day), self._diagnosed, c_index)

    def _maybe_link(self, k: int, person: int, now: float) -> None:
        """With the pair's share, link a single ``person`` of its first condition to a
        single person of its second at the same practice (none left there: no link)."""
        pair, draws = self.pairs[k], self.link_draws[k]
        if self.partner[person] >= 0 or draws.next() >= pair.share:
            return
        practice = self.practice[person]
        other = self.singles.draw(pair.second, practice, draws, now, self.left)
        if other < 0:
            return
        combined = bool(pair.combined[practice])
        for one, two in ((person, other), (other, person)):
            self.partner[one], self.combined[one] = two, combined
            self.singles.remove(one)
        self.left[other] = self.left[person]  # one patient: they leave together

    # --- reviews -----------------------------------------------------------------------

    def _due_at(self, due: float, person: int, now: float) -> None:
        """``person``'s review falls due at ``due``, or at once where that has passed:
        as an event of its own even then, so no episode begins inside another's start."""
        self.dues.push(due, person)
        if due < self.wake_at:
            self.wake_at = due
            self.schedule(max(due - now, 0.0), self._reviews_fall_due, due)

    def _reviews_fall_due(self, due: float) -> None:
        """Every review due by now falls due; then wake again for the next one."""
        if due != self.wake_at:
            return  # superseded by an earlier wake-up
        now = self.clock()
        dues = self.dues
        while dues.first() <= now:
            due, person = dues.pop()
            self._review_due(person, due, now)
        self.wake_at = dues.first()
        if self.wake_at < math.inf:
            self.schedule(self.wake_at - now, self._reviews_fall_due, self.wake_at)

    def _review_due(self, person: int, due: float, now: float) -> None:
        """Begin the review journey, the partner's review with it where it rides along.
        A date already served at the partner's visit (booked, or reviewed and moved on)
        is skipped."""
        if now >= self.left[person] or due != self.due[person] or person in self.in_hand:
            return
        c = self.chronic.conditions[self.condition[person]]
        partner = self.partner[person]
        if self.combined[person] and partner not in self.in_hand \
                and self.due[partner] < due + c.review_interval_days:
            self.riding[person] = partner
            self.in_hand.add(partner)
        self.in_hand.add(person)
        self._begin_episode(person, c.review_pathway, c.review_start_stage,
                           int(c.review_site[self.practice[person]]), False, now, False)

    def _begin_episode(self, person: int, pathway: int, first: int, site: int,
                       emergency: bool, now: float, proactive: bool) -> None:
        """``person``'s review falls due, they are admitted as an emergency, or a case
        manager contacts them. A proactive contact is not an episode of the cohort's
        table (neither review nor admission)."""
        self.begin_journey(self.practice[person], pathway, first, site, emergency, now,
                           None if proactive else
                           (lambda patient: self.episode(patient, person, emergency)))

    def episode(self, patient: int, person: int, emergency: bool) -> None:
        """Episode ``patient`` is ``person``'s review or emergency admission. Called
        before the episode's first stage, which may start (and so review) at once."""
        if not emergency:
            self.review_of[patient] = person
        self.episodes.extend((patient, person, emergency,
                              -1 if emergency else self.riding.get(person, -1)))

    def reviewed(self, patient: int, now: float) -> None:
        """The review of episode ``patient`` started: the next one falls due an
        interval after this one fell due (not after it started, so lateness does not
        shift the schedule), at once if that date has passed."""
        person = self.review_of.pop(patient, None)
        if person is None:
            return
        self._advance(person, now)
        partner = self.riding.pop(person, None)
        if partner is not None:
            self._advance(partner, now)

    def _advance(self, person: int, now: float) -> None:
        """``person``'s review took place: the next falls due an interval on."""
        self.in_hand.discard(person)
        self.due[person] += self.chronic.conditions[self.condition[person]].review_interval_days
        self._due_at(self.due[person], person, now)

    # --- exacerbations -----------------------------------------------------------------

    def _exacerbation_candidate(self, c_index: int, person: int, draws: Draws) -> None:
        """A candidate exacerbation of ``person``: accepted (an emergency admission) with
        probability hazard / bound."""
        now = self.clock()
        accept = draws.next() * self.bound
        if now < self.left[person] and accept < self.chronic.hazard_factor(now, self.due[person]):
            c = self.chronic.conditions[c_index]
            self._begin_episode(person, c.admission_pathway, c.admission_start_stage,
                               int(c.admission_site[self.practice[person]]), True, now, False)

    # --- case management's proactive contacts ---------------------------------------

    def _contact(self, c_index: int, person: int, draws: Draws) -> None:
        """A case manager's contact with ``person`` (one who has left the cohort is
        skipped: their place is empty)."""
        now = self.clock()
        if now < self.left[person]:
            c = self.chronic.conditions[c_index]
            self._begin_episode(person, c.contact_pathway, c.contact_start_stage,
                               int(c.contact_site[self.practice[person]]), False, now, True)

    # --- what the log keeps ------------------------------------------------------------

    def table(self) -> ChronicTable:
        chronic = self.chronic
        episodes = np.array(self.episodes, dtype=np.int64).reshape(-1, 4).T
        return ChronicTable(
            conditions=tuple(ChronicConditionInfo(
                c.name, c.review_pathway, c.review_stage, c.admission_pathway, c.admission_stage,
                c.review_interval_days, chronic.overdue_after_days) for c in chronic.conditions),
            person=np.arange(len(self.condition), dtype=np.int64),
            condition=np.array(self.condition, dtype=np.int16),
            practice=np.array(self.practice, dtype=np.int32),
            entered=np.array(self.entered, dtype=np.float64),
            left=np.array(self.left, dtype=np.float64),
            episode_patient=episodes[0],
            episode_person=episodes[1],
            episode_admission=episodes[2].astype(bool),
            linked=np.array(self.partner, dtype=np.int64),
            episode_combined=episodes[3],
        )


def rng_exponential(rng: np.random.Generator, rate_per_day: float) -> float:
    return float(rng.exponential(1.0 / rate_per_day))
