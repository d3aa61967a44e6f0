"""Metrics: pure functions from one replication's EventLog to KPIs.

``kpis(log)`` returns a long DataFrame with columns ``stage``, ``metric``, ``value``:
one row per (level, metric). Levels, in this order:

* the whole system: ``stage == ""``;
* each stage, in the log's stage order: ``stage == StageInfo.name`` (e.g. "clinic.consult");
* each resource, in the log's resource order: ``stage == "resource:" + ResourceInfo.name``;
* the wait distributions (``pathways.metrics.wait_quantiles``): ``stage ==
  "quantile:<p>"`` for p in ``PROBABILITIES`` (1% to 99%), metric ``wait_days`` and
  ``time_in_system_days``: the quantiles (numpy's linear definition, as every
  percentile here) of the samples of the system's wait_* and time_in_system_* rows.

When a stage of the log stops RTT clocks (``rtt_stop`` in the configuration), the
RTT rows below follow, all at the system level (``stage == ""``), then the quantiles
of the RTT waits of completed pathways, in weeks (``stage == "quantile:<p>"``, metric
``rtt_admitted_wait_weeks`` and ``rtt_non_admitted_wait_weeks``: the samples of the
rtt_*_median/p92/p95 rows); otherwise there are none and the output is exactly as
without RTT. Then, only for a health economy:

* when the log has a handoff table, the handoff rows (``stage == ""``) and the
  from-to matrix rows (``stage == "handoff:<from organisation>-><to organisation>"``);
* when the log has a patient table, the allocation rows (``stage == ""``:
  ``bypassed_nearest_share``, the share of patients referred in the window to a site
  other than the nearest one offering their pathway, and ``distance_km_mean``, their
  mean distance to the site referred to), then the equity rows
  (``stage == "deprivation_quintile:<q>"`` for q = 1..5, then
  ``stage == "distance_km:<lo>-<hi>"`` per distance band, the last ``"distance_km:<lo>+"``,
  then where practices hold funds ``"practice_group:fundholding"`` and ``":other"``,
  and where patients choose their commissioner ``"commissioner:home"`` and ``":rival"``),
  then, only when a stage also stops RTT clocks, the provider rows (``provider_kpis``:
  ``stage == "provider:<name>"`` per provider, see "Providers" below).

A plain network has neither table, so its output is exactly as without them. Last,
only when the log has a chronic table or a cancellation table, the chronic rows
(``chronic_kpis``): the system (``stage == ""``), each chronic condition
(``stage == "condition:<name>"``), then ``stage == "deprivation_quintile:<q>"`` for
q = 1..5 (see "Chronic conditions and cancelled operations" below); then, where the
log has practices and emergency admissions, the all-cause
``emergency_admissions_per_1000_population_per_year`` row and those of avoidance,
delayed discharge and the seasons that apply (``emergency_kpis``,
``pathways.metrics.emergencies``, which defines them).
``timeseries(log)`` gives weekly series for plotting (see "Time series" below); it is
not part of ``kpis``.

Metrics appear in the order of ``METRICS``; a level gets only the metrics that apply
to it (the system has no ``sojourn_mean``; stages and resources have no
``time_in_system_*``; a stage without a resource has no ``utilisation``). Where a
metric has no data (say, no visit was queued in the window) its value is NaN.

Everything is measured over the window [warmup_days, horizon_days]; the warm-up is
removed everywhere. "In the window" means warmup_days <= t <= horizon_days. Times are
in days. A *visit* is one patient's pass through one stage (QUEUE, START, END); a
stage-or-resource metric uses the visits of that stage, or of all stages served by
that resource. Events after the horizon are not in the log, so a visit may lack its
START or END and a patient may lack an EXIT.

Metrics (system level / stage and resource level):

arrivals_per_day
    System: patients arriving (ARRIVE) in the window, per day of window.
    Stage/resource: visits joining the queue (QUEUE) in the window, per day.
throughput_per_day
    System: patients leaving (EXIT) in the window, per day.
    Stage/resource: services finishing (END) in the window, per day.
wait_mean, wait_median, wait_p90, wait_p95
    Stage/resource: mean, median, 90th and 95th percentile of the wait in the queue
    (START - QUEUE) of visits that joined the queue in the window and started before
    the horizon (visits still waiting at the horizon are left out, so waits are
    under-stated when queues are long at the horizon).
    System: the same statistics of each patient's total queueing time over all their
    visits, for patients who arrived in the window and left before the horizon.
    Percentiles use numpy's default (linear interpolation) definition.
sojourn_mean
    Stage/resource only: mean time from joining the queue to the end of service
    (END - QUEUE) of visits that joined in the window and ended before the horizon.
time_in_system_mean, time_in_system_median, time_in_system_p95
    System only: mean, median and 95th percentile of EXIT - ARRIVE for patients who
    arrived in the window and left before the horizon.
queue_length_mean
    Time-average number of patients waiting (queued, not yet started) over the window.
    Patients already waiting at warmup_days count from warmup_days on; those still
    waiting at the horizon count up to the horizon. System: total over all stages.
number_present_mean
    Time-average number of patients present over the window: stage/resource from QUEUE
    to END (waiting or being served); system from ARRIVE to EXIT. Same windowing.
    With Little's law, number_present_mean = arrival rate x mean sojourn when the
    window covers the whole run and everyone has left.
utilisation
    Busy server-time inside the window (service intervals START..END clipped to the
    window; a service still running at the horizon counts up to the horizon) divided
    by the capacity-time available inside the window: capacity x the time the
    resource's weekly calendar is open inside the window (the whole window length for
    an always-open resource). Resource: its own services. Stage: the stage's own
    services over its resource's capacity-time, so the stages sharing a resource add
    up to the resource's figure. System: all resources pooled (total busy time over
    total capacity-time). Busy time outside opening hours (a service running past
    closing) still counts, so a calendar resource can exceed 1. NaN where there is
    no capacity-time.

Referral to treatment (RTT), in the order of ``RTT_METRICS`` (``rtt_kpis(log)``):

The RTT clock runs only for patients on a pathway with at least one stage marked
``rtt_stop: admitted`` or ``rtt_stop: non_admitted``; other pathways have no clock. It
starts when the provider receives the referral (ARRIVE plus the delay of the
GP-to-provider transfer made at referral, if any) and stops when they START
the first marked stage they reach (first definitive treatment); that stage's mark says
whether the pathway completed as admitted or non-admitted. A patient who leaves
without reaching a marked stage (say, discharged from outpatients) stops the clock at
their EXIT, as a non-admitted completion: discharge is a clock stop in the NHS rules.
A patient removed from a list untreated (the removal table; they EXIT then) stops the
clock too, but is not a completed pathway. A clock not stopped by the horizon is still
running. Waits are in weeks (days / 7);
"within 18 weeks" means a wait of at most 126 days.

rtt_admitted_median_weeks, rtt_admitted_p92_weeks, rtt_admitted_p95_weeks
    Median, 92nd and 95th percentile (numpy's linear definition) of the clock-stop
    minus referral time of completed admitted pathways: those whose clock stopped in
    the window (referral may be before it).
rtt_non_admitted_median_weeks, rtt_non_admitted_p92_weeks, rtt_non_admitted_p95_weeks
    The same for completed non-admitted pathways (discharges included).
rtt_completed_within_18_weeks_share
    Share of all completed pathways (admitted and non-admitted) that waited 18 weeks
    or less.
rtt_admitted_share
    Share of completed pathways that completed as admitted.
rtt_incomplete_median_weeks, rtt_incomplete_within_18_weeks_share, rtt_waiting_list_mean
    From snapshots of the incomplete pathways (clocks running: referred at or before
    the snapshot, not stopped at or before it) taken weekly at warmup_days + 7k up to
    the horizon: the mean over snapshots of the median time waited so far, of the share
    waiting 18 weeks or less (the standard is 92%), and of the number waiting (the
    waiting list). The first two skip snapshots with an empty list.
    ``incomplete_snapshots(log, every_days=7.0)`` gives the snapshots themselves
    (time_days, waiting_list, within_18_weeks_share, median_weeks).
referral_transfer_days_mean
    Mean delay of the GP-to-provider transfer of completed pathways: the time between
    the GP's referral and the clock start, reported beside the clock, not inside it
    (0 on a plain network).
rtt_removed_share
    Share of clocks stopped in the window that were stopped by removal from a list.
rtt_time_share_queue, rtt_time_share_admin, rtt_time_share_handoff, rtt_time_share_service
    Where the clock time of completed pathways goes, as shares of its sum (they add
    up to 1; ``rtt_time_shares``): administrative lead times (the stages' fixed
    ``lead_days`` and stages with no resource, such as results reporting), handoff
    and transfer delays between contacts inside the clock, service (START to END of
    contacts before the clock stops), and waiting for capacity on lists (the rest:
    from joining a list to being served, and rebooking after a cancellation or a
    missed appointment).
rtt_admitted_median_from_referral_weeks, rtt_non_admitted_median_from_referral_weeks
    The medians of completed pathways timed from the GP's referral (the clock plus the
    referral transfer): how a model that removes the GP-to-provider boundary compares
    with and without that transfer.

Providers, in the order of ``PROVIDER_METRICS`` (``provider_kpis(log)``):

A provider is the unit patients choose: an organisation that holds resources (a
resource that no organisation holds is a provider of its own, named after it). Each
RTT clock belongs to one provider for the whole run (``clock_providers(log)``): the
organisation of the resource of the patient's first START at a stage with a resource
(the provider that first saw them on the pathway, whoever treats them later); for a
patient who has not started any (still waiting for a first contact at the horizon),
the organisation of the site they were referred to (the patient table's
``referred_site``); failing that, the resource of their first QUEUE at a stage with a
resource. A clock with none of these (``NO_PROVIDER``, "(none)") counts in the system's
rows only. The providers listed are those at least one clock belongs to, in the log's
organisation order (then resource order); a provider no clock of a replication belongs
to has no rows in that replication (summary.csv's n says in how many it had). Per
provider, restricted to its own clocks and with the system's definitions above:

rtt_admitted_median_weeks, rtt_admitted_p95_weeks
    Median and 95th percentile of the waits of its completed admitted pathways
    (clock stopped in the window by treatment or discharge, removals left out).
rtt_non_admitted_median_weeks, rtt_non_admitted_p95_weeks
    The same for its completed non-admitted pathways.
rtt_incomplete_median_weeks
    The mean over the weekly snapshots of the median time waited so far of its
    incomplete pathways (snapshots where it has none are skipped).
rtt_waiting_list_mean
    The mean over the weekly snapshots of the number of its incomplete pathways (its
    RTT waiting list). Over the providers (and NO_PROVIDER) these add up to the
    system's rtt_waiting_list_mean.

Time series (``timeseries(log, every_days=7.0)``): long form (time_days, series,
level, value), snapshots at 0, every_days, ... up to the horizon (the warm-up included,
so that it can be seen and checked):

waiting_list
    Only when a stage stops RTT clocks: the RTT waiting list of each provider (level:
    its name, as above): its incomplete pathways at t, i.e. clocks referred (received)
    at or before t and not stopped at or before t (treatment, discharge or removal
    stop it). Levels are the providers listed for ``provider_kpis`` (also in a plain
    network, where each resource is a provider), then "(none)" only where some clock
    belongs to no provider, so the levels add up to ``rtt_incomplete``.
rtt_incomplete, rtt_incomplete_within_18_weeks_share
    Only with RTT clocks, level "": the whole system's incomplete list at t and the
    share of it waiting 18 weeks or less (NaN for an empty list).
occupancy
    The share of units in use at t of the servers that are always open (beds,
    reablement places; not clinics with hours, not booked sessions), a unit kept
    while its patient waits for the next stage included: per "<organisation>:<kind>"
    in a health economy (per resource name otherwise), then "all:<kind>" over every
    organisation. ``occupancy(log)`` gives the same (time_days, level, occupancy).
resource_queue
    Each resource's own list (level: the resource's name): visits that joined its
    queue (QUEUE) at or before t and had not started (START) by t. Patients who were
    removed from a list untreated have no QUEUE row for that list in an engine's log,
    so they are in no resource's queue. ``waiting_list_by_resource(log)`` gives the
    same counts (time_days, resource, waiting).
published_wait_weeks
    Only where the engine published waits (choice, shortest published wait, GPs
    deterred by long waits, the Patient Choice rule): at each publication, the wait
    published for each pathway's first appointment at each site offering it (level
    "<site>:<pathway>"), as the log's published table has it.
choice_share
    In a health economy, per week [t, t + every_days): the share of each pathway's
    referrals sent to each site (level "<site>:<pathway>"; weeks without a referral
    of the pathway are left out).

Choice (``choice_kpis(log)``, stage "", after the allocation rows): the implied
waiting-time elasticity of referrals, the spread of providers' waits and the swing of
their lists, and the Patient Choice rule's offers; pathways.metrics.choice defines
each.

Money (``money_kpis``, only when the log has money: ``money`` in the configuration,
after every other row): the commissioner's spend per 1,000 registered a year, the
tariff value of all activity, the tariff value per completed RTT pathway, the budget
variance (stage ""); income, cost and surplus per provider ("provider:<name>"); the
money flow ("flow:<payer>-><payee>", ``payment_per_year``). pathways.metrics.money
defines each.

Handoffs, in the order of ``HANDOFF_METRICS`` (``handoff_kpis(log)``, stage ""):

A *transfer* is a patient moving between two consecutive contacts at different
resources (the engine's handoff table has one row per transfer). It is a *handoff*
when the two contacts are held by different organisations; the GP practice counts as
an organisation, so the referral (practice -> provider) and the discharge back to the
practice (provider -> practice) are handoffs too. A *completed pathway* is a patient
whose EXIT is in the window. Each completed pathway counts with its whole history:
every transfer it made, including those before the warm-up (a pathway referred before
warmup_days and completed inside the window brings all its handoffs). Transfers of
pathways not completed by the horizon, or completed before warmup_days, count nowhere.
All five are NaN when no pathway completed in the window.

handoffs_per_pathway
    Between-organisation handoffs of completed pathways, per completed pathway.
handoff_delay_days_per_pathway
    The administrative delay (days) of those handoffs, summed, per completed pathway.
transfers_within_per_pathway
    Transfers between two resources of the same organisation, per completed pathway.
records_missing_per_pathway
    Transfers (between or within organisations) whose record did not arrive, per
    completed pathway.
repeat_tests_per_pathway
    Transfers that needed a repeat diagnostic (the record was missing and the test was
    done again), per completed pathway.

handoffs_per_day (stage "handoff:<from>-><to>", ``handoff_matrix_kpis(log)``)
    The from-to matrix: the between-organisation handoffs of completed pathways sent by
    organisation <from> to organisation <to>, divided by the window length (days). So
    the values of all these rows add up to handoffs_per_pathway x completed pathways /
    window length. Every pair that a handoff could join is listed, with 0 where there
    was none, so every replication of a model has the same rows: ordered pairs of
    different organisations that each hold a resource or a practice, at least one of
    them a resource (plus any other pair that did occur). Sorted by <from>, then <to>
    name. A transfer to or from a resource that no organisation holds is named
    ``NO_ORGANISATION`` ("(none)"). ``handoff_matrix(log)`` gives the counts themselves
    (from_organisation, to_organisation, handoffs) with pairs of zero left out.

Equity (``equity_kpis(log, distance_bands_km=(0, 5, 10, 20, inf))``):

Every patient in the patient table belongs to the deprivation quintile of their
practice (1 = most deprived ... 5 = least) and to the band of their travel distance
(practice to the site allocated at referral); band "<lo>-<hi>" holds lo <= distance <
hi (5.0 km is in "5-10"), the last band "<lo>+" has no upper edge. A patient with no
practice has no quintile; one with no distance (NaN) or a distance outside the edges
has no band. Patients not in the patient table are in no group. All five quintiles and
every band are always listed, so every replication has the same rows; an empty group
has 0 patients_per_day and NaN for the rest. Per group, in the order of
``EQUITY_METRICS``:

patients_per_day
    The group's patients referred (ARRIVE) in the window, per day of window.
time_in_system_mean
    Mean EXIT - ARRIVE of the group's patients who arrived in the window and left
    before the horizon (as the system's time_in_system_mean).
wait_mean
    Mean total queueing time over all visits of the same patients (as the system's
    wait_mean).
distance_km_mean
    Mean distance from the group's patients referred in the window to the site they
    were referred to (travel: choice may send some further than their nearest).
rtt_completed_within_18_weeks_share, rtt_admitted_median_weeks, rtt_non_admitted_median_weeks
    Only when a stage stops RTT clocks: the RTT metrics of the same name restricted to
    the group's clocks that stopped in the window.
handoffs_per_pathway
    Only with a handoff table: the group's between-organisation handoffs per completed
    pathway, as the system's (completed = EXIT in the window, whole history counted).

Chronic conditions and cancelled operations (``chronic_kpis(log)``):

A chronic *person* belongs to the cohort of one condition from ``entered`` to ``left``
(the chronic table); each review and each emergency admission of a person is an
*episode*, a patient of its own in the event log whose ARRIVE is when the review fell
due or the exacerbation happened. A condition names its review stage (whose START is
the review) and its admission stage (whose START is taking a bed and whose END is the
bed's release, delayed discharge included). Only the admission-stage visits of
admission episodes and the review-stage visits of review episodes count, each at the
stages of its own person's condition. A person's level is their condition and the
deprivation quintile of their practice (``practice`` in the chronic table); every
episode, bed, review and handoff counts at its person's levels. All five quintiles are
always listed: an empty group has 0 chronic_patient_years (and 0
cancelled_operations_per_year) and NaN for the rest. "Per 1,000 patient-years" is NaN
for a group with no patient-years. Per level, in the order of ``CHRONIC_METRICS``:

chronic_patient_years
    Sum over the group's persons of the time in [entered, left) inside the window, in
    years of 365 days.
emergency_admissions_per_1000_patient_years
    Admission episodes whose ARRIVE is in the window, per 1,000 patient-years.
emergency_bed_days_per_1000_patient_years
    Bed days: START to END of admission-stage visits (a visit not ended by the horizon
    counts up to it), clipped to the window, per 1,000 patient-years.
emergency_bed_wait_hours_mean
    Mean wait for a bed (START - QUEUE at the admission stage), in hours, of
    admission-stage visits queued in the window that started before the horizon (as
    wait_mean: waits still running at the horizon are left out).
delayed_discharge_days_per_1000_patient_years, delayed_discharge_days_mean
    Only with a held-resource table. Its rows at the admission stage of admission
    episodes whose ``ready`` (medically fit) is in the window each count
    min(released, horizon) - ready days (a bed still held at the horizon counts up to
    it; rows held zero days count): their sum per 1,000 patient-years, and their mean.
reviews_overdue_share
    Among review episodes due (ARRIVE) in [warmup_days, horizon_days -
    overdue_after_days] (later ones could not yet be seen overdue), the share whose
    first START at the review stage is later than due + overdue_after_days, or that
    never started by the horizon.
review_days_overdue_mean
    Over the same reviews, the mean of max(0, min(start, horizon) - due -
    overdue_after_days): 0 for a review on time, horizon - due - overdue_after_days for
    one never started.
handoffs_per_chronic_patient_year
    Only with a handoff table: between-organisation handoffs (handoff table rows with
    between_organisations) of chronic episodes whose time is in the window, per
    patient-year.
reviews_combined_share
    Only when the chronic table links persons (multimorbidity: ``linked``): among the
    review episodes of linked persons whose ARRIVE is in the window, the share whose
    visit reviewed the linked person too (``episode_combined``): 0 where two
    organisations review the two conditions, higher where one organisation does.

When the log has a cancellation table (elective operations cancelled because no bed
was free), in the order of ``CANCELLATION_METRICS``:

cancelled_operations_per_year
    System: cancellation rows whose time is in the window, per 365 days of window.
    Quintile (only with a patient table): those of the quintile's patients (the
    practice in the patient table; patients not in it are in no quintile).
cancelled_operations_winter_to_summer_ratio
    System only: cancellations in the window a winter day (December to February) over
    cancellations a summer day (June to August), day 0 being 1 January; NaN where the
    window has no summer day or no summer cancellation.
rtt_admitted_mean_weeks_cancelled, rtt_admitted_mean_weeks_not_cancelled
    System only, and only when a stage stops RTT clocks: the mean RTT wait (weeks) of
    the admitted clocks stopped in the window, of patients with at least one
    cancellation (at any time) and of patients with none.

Helpers: ``open_time_days(open_intervals, start, end)`` (how long a weekly calendar is
open within [start, end]); ``build_visits(log)`` (visits and stays, one row each);
``rtt_clocks(log)`` (one RTT clock per patient: referral, stop, admitted, removed);
``clock_providers(log)`` (each clock's provider, an index into ``provider_names(log)``);
``provider_waiting_lists(log)`` (the waiting_list series' values);
``completed_patients(log)`` (ids of the pathways completed in the window);
``possible_pairs(log)`` (which organisations a handoff can join);
``distance_band(distance_km, edges)`` and ``distance_band_labels(edges)``.
"""

from .allocation import ALLOCATION_METRICS, allocation_kpis
from .calendar import open_time_days
from .choice import CHOICE_METRICS, OFFER_METRICS, choice_kpis
from .chronic import CANCELLATION_METRICS, CHRONIC_METRICS, CONDITION_PREFIX, chronic_kpis
from .equity import (
    DEPRIVATION_PREFIX,
    DISTANCE_BANDS_KM,
    DISTANCE_PREFIX,
    EQUITY_METRICS,
    distance_band,
    distance_band_labels,
    equity_kpis,
)
from .handoffs import (
    HANDOFF_METRICS,
    HANDOFF_PREFIX,
    MATRIX_METRIC,
    NO_ORGANISATION,
    completed_patients,
    handoff_kpis,
    handoff_matrix,
    handoff_matrix_kpis,
    possible_pairs,
)
from .kpis import METRICS, RESOURCE_PREFIX, SYSTEM_METRICS, VISIT_METRICS, kpis
from .money import FLOW_PREFIX, MONEY_METRICS, PROVIDER_MONEY_METRICS, money_kpis
from .pathway_visits import KIND_PREFIX
from .providers import (
    NO_PROVIDER,
    PROVIDER_METRICS,
    PROVIDER_PREFIX,
    clock_providers,
    provider_kpis,
    provider_names,
    provider_waiting_lists,
)
from .rtt import RTT_METRICS, RttClocks, incomplete_snapshots, rtt_clocks, rtt_kpis
from .series import (
    ALL_PREFIX,
    OCCUPANCY,
    list_series,
    occupancy,
    timeseries,
    waiting_list_by_resource,
)
from .visits import Stays, Visits
from .visits import build as build_visits
from .wait_quantiles import QUANTILE_PREFIX

#: The prefix of every level of a KPI row that is not a stage ("pathway.stage") or the
#: whole system (""): resources, handoff pairs, equity groups, conditions, money
#: flows, providers, kinds of resource and wait quantiles.
LEVEL_PREFIXES: tuple[str, ...] = (
    RESOURCE_PREFIX, HANDOFF_PREFIX, DEPRIVATION_PREFIX, DISTANCE_PREFIX, "practice_group:",
    "commissioner:", CONDITION_PREFIX, FLOW_PREFIX, PROVIDER_PREFIX, KIND_PREFIX,
    QUANTILE_PREFIX)

__all__ = [
    "LEVEL_PREFIXES",
    "ALLOCATION_METRICS",
    "ALL_PREFIX",
    "CANCELLATION_METRICS",
    "CHOICE_METRICS",
    "CHRONIC_METRICS",
    "CONDITION_PREFIX",
    "DEPRIVATION_PREFIX",
    "DISTANCE_BANDS_KM",
    "DISTANCE_PREFIX",
    "EQUITY_METRICS",
    "FLOW_PREFIX",
    "HANDOFF_METRICS",
    "HANDOFF_PREFIX",
    "MATRIX_METRIC",
    "METRICS",
    "MONEY_METRICS",
    "NO_ORGANISATION",
    "NO_PROVIDER",
    "OCCUPANCY",
    "OFFER_METRICS",
    "PROVIDER_METRICS",
    "PROVIDER_MONEY_METRICS",
    "PROVIDER_PREFIX",
    "RESOURCE_PREFIX",
    "RTT_METRICS",
    "SYSTEM_METRICS",
    "VISIT_METRICS",
    "RttClocks",
    "Stays",
    "Visits",
    "allocation_kpis",
    "build_visits",
    "choice_kpis",
    "chronic_kpis",
    "clock_providers",
    "completed_patients",
    "distance_band",
    "distance_band_labels",
    "equity_kpis",
    "handoff_kpis",
    "handoff_matrix",
    "handoff_matrix_kpis",
    "incomplete_snapshots",
    "kpis",
    "list_series",
    "money_kpis",
    "occupancy",
    "open_time_days",
    "possible_pairs",
    "provider_kpis",
    "provider_names",
    "provider_waiting_lists",
    "rtt_clocks",
    "rtt_kpis",
    "timeseries",
    "waiting_list_by_resource",
]
