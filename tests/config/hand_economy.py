"""A health economy small enough to work out by hand: two practices, two providers.

Practices: P1 (10,000 patients at x = 0 km) and P2 (20,000 at x = 10 km). west_trust
has one site at 0 km (clinic, scanner, beds); east_trust a site at 10 km (clinic, beds)
and an annex at 25 km (a scanner), so east patients' scans stay in their own
organisation although west's scanner is nearer (10 km against 15 km).

Elective referrals: 80.3 per 1,000 a year = 0.22 a day per 1,000: P1 2.2 a day to
west (its nearest), P2 4.4 a day to east. Each referral takes 1 first appointment,
0.5 scans and 0.5 reviews, so clinic slots a day: west 3.3 of 5 (load 0.66), east 6.6
of 6 (load 1.1), the kind 9.9 of 11 (0.9); scans of half a day: west 1.1 a day on one
scanner (0.55), the annex 2.2 a day on two (0.55). COPD, 1% of the list: a review
every 100 days at the patient's own practice's nurse clinic (one server per 1,000,
0.1 days each: 0.01 at both) and 3.65 admissions a patient-year to the nearest trust's
beds for 2 days (P1 1 a day to west: 2 of 10 beds, 0.2; P2 2 a day to east, 0.4).
"""

from pathlib import Path

from tests.config.samples import write

PRACTICES = """\
name,list_size,x_km,y_km,deprivation_quintile
P1,10000,0,0,1
P2,20000,10,0,2
"""

ECONOMY = """\
name: hand
horizon_days: 100
practices:
  file: practices.csv
  clinics:
    nurse: {kind: practice_nurse, servers_per_1000: 1}
organisations:
  west_trust: {sites: {west: {x_km: 0, y_km: 0}}}
  east_trust: {sites: {east: {x_km: 10, y_km: 0}, annex: {x_km: 25, y_km: 0}}}
calendars:
  mornings: {sessions: [{days: [weekdays, weekend], start: "09:00", end: "12:00"}]}
resources:
  west_clinic: {organisation: west_trust, site: west, kind: outpatients, capacity: 1,
                calendar: mornings, slots_per_session: 5}
  east_clinic: {organisation: east_trust, site: east, kind: outpatients, capacity: 1,
                calendar: mornings, slots_per_session: 6}
  west_scanner: {organisation: west_trust, site: west, kind: diagnostics, capacity: 1}
  annex_scanner: {organisation: east_trust, site: annex, kind: diagnostics, capacity: 2}
  west_beds: {organisation: west_trust, site: west, kind: beds, capacity: 10}
  east_beds: {organisation: east_trust, site: east, kind: beds, capacity: 10}
pathways:
  elective:
    referrals_per_1000_per_year: 80.3
    providers: [west_trust, east_trust]
    stages:
      first: {kind: outpatients, duration: {dist: fixed, value: 0.01}, next: {scan: 0.5, exit: 0.5}}
      scan: {kind: diagnostics, duration: {dist: fixed, value: 0.5}, next: review}
      review: {kind: outpatients, duration: {dist: fixed, value: 0.01}, rtt_stop: non_admitted}
  copd_review:
    stages:
      review: {kind: practice_nurse, duration: {dist: fixed, value: 0.1}}
  copd_admission:
    providers: [west_trust, east_trust]
    stages:
      stay: {kind: beds, duration: {dist: fixed, value: 2}}
chronic:
  conditions:
    copd: {prevalence: 0.01, review_pathway: copd_review, review_interval_days: 100,
           admission_pathway: copd_admission, admissions_per_year: 3.65}
"""


def write_economy(folder: Path, extra: str = "") -> Path:
    """The economy (with `extra` YAML appended) and its practices, written to `folder`."""
    write(folder, "practices.csv", PRACTICES)
    return write(folder, "hand.yaml", ECONOMY + extra)
