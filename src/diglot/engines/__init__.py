"""Translation engines: the :class:`~diglot.engines.base.Engine` protocol, memory and DeepL.

:mod:`diglot.drafts` drives them; :mod:`diglot.engines.cache` keeps what paid
engines answered.
"""
