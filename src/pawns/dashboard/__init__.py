"""``pawns dashboard``: a scenario explored live in the browser.

Modules: ``levers`` (the controls, bounded by the scenario schema), ``settings`` (a scenario,
the settings made of it and their TOML), ``runs`` (the question plan run in memory, paired
comparison), ``worker`` (runs off the page's thread; the newest request wins), ``charts`` (fan
charts with observed series), ``exports`` (settings and report written under the output
directory), ``app`` (one session's page) and ``server`` (the Panel/Bokeh server).
"""
