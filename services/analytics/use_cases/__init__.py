"""One module per capability: projecting events, building and serving reports, the gauges. The only
thing routes and handlers call; each takes a unit of work whose attributes are the ports."""
