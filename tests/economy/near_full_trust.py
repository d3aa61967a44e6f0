"""The economy where who pays per case decides who is booked first (fundholding,
choice of commissioner): one trust whose only clinic is near full (load 0.95), two
practices of the same size at the same distance from it, the trust paid by
`CONTRACT` (activity or a block sum). Each test puts its own purchasers at `PAYERS`."""

PRACTICES = """
name,list_size,x_km,y_km,deprivation_quintile
north,25000,0,1,3
south,25000,0,-1,3
"""
ECONOMY = """
name: NAME
horizon_days: 700
warmup_days: 200
practices: {file: practices.csv}
organisations:
  trust: {type: acute, sites: {hospital: {x_km: 5, y_km: 0}}}
calendars:
  clinic_days: {sessions: [{days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}]}
resources:
  clinic: {organisation: trust, site: hospital, kind: outpatients, capacity: 1,
           calendar: clinic_days, slots_per_session: 20}
pathways:
  clinic:
    referrals_per_1000_per_year: 99   # 95 a week against 100 slots
    stages:
      appointment: {kind: outpatients, duration: {dist: exponential, mean: 0.02},
                    rtt_stop: non_admitted, currency: first_attendance}
contracts: {default: CONTRACT, block_sums_per_year: {trust: 1.0e6}}
money: {prices: {first_attendance: 100}}
PAYERS
"""
YEARS = 500 / 365.0  # the window: horizon less warm-up


def value(table, stage: str, metric: str) -> float:
    return table[(table.stage == stage) & (table.metric == metric)].value.item()
