"""Imported once by the reader forkserver (documents.sandbox.preload): the extraction work is loaded and run
once on a short agreement that touches every extractor, so the question bank, the knowledge files, the country
database and the compiled patterns are ready in every reader child, which starts from this state for each file
and would otherwise build them again each time."""

import gc

from documents import Document
from workflows.extract import engine_version, extract_any

WARM_UP = """# Data Processing Agreement

## 1. Sub-processors

| Name | Purpose | Location |
|---|---|---|
| Amazon Web Services, Inc. | Hosting | United States |
| OpenAI, L.L.C. | Model inference | Ireland |

Our sub-processors include Google Cloud EMEA Limited (Ireland) and Stripe Payments Europe, Ltd.

## 2. Retention and deletion

We keep prompts and outputs for 30 days; logs are kept for twelve (12) months. Within thirty (30) days of
termination, we will delete or return all Customer Data.

## 3. Training

We do not use Customer Content to train our models unless you opt in. You may opt out in the settings.

## 4. Notices, breaches, audits and transfers

We give ten business days' prior notice before adding a new sub-processor, and you may object within 14 days.
We notify personal data breaches without undue delay and in any case within 72 hours. Customer may audit us
once a year, only to the extent required by law. Transfers rely on the Standard Contractual Clauses and the
EU-U.S. Data Privacy Framework.
"""

engine_version()
extract_any(Document.from_pages("0" * 64, "markdown", "warm-up.md", [("1", WARM_UP, False)]))
gc.freeze()
