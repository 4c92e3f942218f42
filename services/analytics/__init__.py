"""Analytics service: program KPIs, outcomes, the HR export and the dashboard, from projections of every
`mentoring.*` event. What lives where, and how the projections are shaped: README.md beside this file."""
