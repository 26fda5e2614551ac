"""The segur-plan engine: models, plugin contract, rule backends, planner and renderers.

Never imports click: the CLI and the HTTP service are thin shells over this package.
"""
