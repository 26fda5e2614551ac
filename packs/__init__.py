"""Built-in packs. Each sub-package is a plugin registered through the ``segur_plan.packs``
entry point exactly like a third-party pack would be."""
