"""The segur-plan command line: one small module per command group."""
