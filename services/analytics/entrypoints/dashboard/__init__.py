"""The program dashboard: one server-rendered HTML page with inline SVG charts, no JavaScript, no CDN."""
