"""Machine drafts: plan what to translate, ask the engines, cache, and mark the drafts.

:mod:`diglot.drafts.plan` is the pure planner (which entries, which requests,
what they cost); :mod:`diglot.drafts.run` executes it; :mod:`diglot.drafts.slots`
opens, fills and saves the catalogs.  Each draft is written ``fuzzy`` with a
translator comment ``# diglot-draft: <engine> [model] <date> [score%]`` (see
:data:`diglot.catalogs.DRAFT_MARK`), which survives GNU msgmerge and PO editors.
"""

from diglot.drafts.plan import CONTEXT_NEIGHBOUR_CHARS, Pending, Where, document_contexts
from diglot.drafts.run import (
    Estimate,
    LanguagePlan,
    Progress,
    RejectedDraft,
    Summary,
    TranslateOptions,
    estimate,
    translate,
)

__all__ = ["CONTEXT_NEIGHBOUR_CHARS", "Estimate", "LanguagePlan", "Pending", "Progress",
           "RejectedDraft", "Summary", "TranslateOptions", "Where", "document_contexts",
           "estimate", "translate"]
