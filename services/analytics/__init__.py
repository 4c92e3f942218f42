"""Analytics service: program KPIs, outcomes and the dashboard, from projections of every `mentoring.*` event.

How the projections are shaped (and why):

* One document per *fact* — a state transition of one aggregate — keyed by the aggregate id plus its
  version or status (`<goal_id>:<version>`, `<mentorship_id>:<status>`, `<feedback_id>`, ...). A fact
  is written once (an upsert that only sets on insert), so a replay or a redelivery changes nothing.
  The latest state of an aggregate is resolved when reading (highest version or status rank), so late
  and out-of-order events give the same figures as ordered ones, and the history that outcomes need
  (grades, employment status, goal transitions) is kept.
* People appear in every fact under a pseudonym (`p-` + HMAC-SHA256 of the employee id under a random
  key created once per database in `analytics_settings`). Only the person's own profile facts hold
  their employee id, name and email; `mentoring.profile.deleted` strips those from every profile fact,
  and facts arriving later for an erased version are stored stripped. Counts, grades, departments and
  history stay, under the pseudonym.
* KPIs are computed in Python by the pure rules of `domain/`, not in an aggregation pipeline, so they
  are tested without a store. The worker rebuilds a report
  per program after its facts change and stores it in `analytics_reports`; the API serves that report
  (`as_of` says when it was computed) and computes it live only when none exists yet.
"""
