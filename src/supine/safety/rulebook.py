"""The version of the clinical rulebook the code applies.

Every stored safety or dose decision records it, so that a decision can be traced to the
rules that made it (docs/clinical-rules.md; the hazard log in docs/safety/).
"""

RULEBOOK_VERSION = "2.1"
