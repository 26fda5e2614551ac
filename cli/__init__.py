"""The segur-plan command line: one small module per command group.

Importing it makes click speak French (:mod:`.french`) before any command, option or parameter
type is built, so that every help text and usage error is French.
"""

from .french import install

install()
