"""Reading keeps the structure: blocks with spans from PDF positions, DOCX styles and HTML markup, heading paths,
and the answers that stand on them, in renderings a vendor might send."""

import pytest

from documents import read_document
from documents.structure import text_blocks
from extraction import Status, extract_document
from extraction.passages import Passages
from tests.builders import listed_pdf_bytes, structured_docx_bytes, structured_pdf_bytes

TABLE = [
    ["Sub-processor", "Purpose", "Location of processing", "Corporate location"],
    [
        "Hetzner Online GmbH",
        "Hosting of the production environment, backups and disaster recovery",
        "Germany",
        "Germany",
    ],
    ["OpenAI, L.L.C.", "Large language model inference for the assistant feature", "United States", "United States"],
    ["Kestrel Analytics Ltd", "Product analytics", "Ireland", "United Kingdom"],
]
EXPECTED = {("Hetzner", "Germany"), ("OpenAI", "United States"), ("Kestrel Analytics", "Ireland")}


def blocks_of(document, kind):
    return [block for block in document.blocks if block.kind == kind]


def texts(document, block, glue=" "):
    return [glue.join(document.text[start:end].split()) for start, end in block.cells]


def subprocessors(document):
    answer = extract_document(document).answers["subprocessors"]
    assert answer.status == Status.ANSWERED, answer
    return {(row["name"], row["country"]) for row in answer.value}


@pytest.mark.parametrize("columns", [1, 2])
def test_a_pdf_table_without_lines_or_separators_is_read_from_positions(limits, columns):
    data = structured_pdf_bytes("Sub-processors", "We engage the following sub-processors.", TABLE, columns=columns)
    document = read_document(data, "subprocessors.pdf", limits)
    assert "|" not in document.text
    rows = blocks_of(document, "table_row")
    assert len(rows) == 4 and rows[0].header and not any(row.header for row in rows[1:])
    # A narrow column breaks even words ("Sub-proces⏎sor"): compare without the line breaks' spaces.
    assert texts(document, rows[0], "") == [cell.replace(" ", "") for cell in TABLE[0]]
    assert texts(document, rows[1], "") == [cell.replace(" ", "") for cell in TABLE[1]]  # a wrapped cell is one cell
    assert blocks_of(document, "heading")[0].level == 1
    assert subprocessors(document) == EXPECTED  # processing location, never the corporate one


def test_heading_paths_lead_to_every_passage(limits):
    data = structured_pdf_bytes("Schedule 4 Sub-processors", "The processor uses these providers.", TABLE)
    passages = Passages(read_document(data, "dpa.pdf", limits))
    row = next(passage for passage in passages if passage.kind == "table_row")
    assert passages.heading_path(row) == ("Schedule 4 Sub-processors",)
    assert passages.cells(row)[0] == "Sub-processor"


@pytest.mark.parametrize("columns", [1, 2])
def test_a_bulleted_name_and_purpose_list_under_a_heading_gives_the_sub_processors(limits, columns):
    filler = ["We take the protection of your data seriously and review every provider before use. " * 3] * 6
    data = listed_pdf_bytes(
        [
            ("About this page", filler, []),
            (
                "Current Subprocessors",
                [],
                [
                    "Larkspur Mail – transactional e-mail",
                    "Hetzner Online GmbH – hosting (Germany)",
                    "Quillfeather: customer support tickets",
                ],
            ),
            ("Changes", ["We notify customers 30 days before a new sub-processor starts."], []),
        ],
        columns=columns,
    )
    document = read_document(data, "list.pdf", limits)
    assert [block.level for block in blocks_of(document, "heading")] == [1, 1, 1]  # one size: the top level
    assert subprocessors(document) == {("Larkspur Mail", None), ("Hetzner", "Germany"), ("Quillfeather", None)}


def test_docx_headings_lists_and_tables_become_blocks(limits):
    data = structured_docx_bytes(
        "Sub-processors", "We use the following sub-processors:", ["Larkspur Mail – transactional e-mail"], TABLE
    )
    document = read_document(data, "dpa.docx", limits)
    assert [(block.level, document.text[block.start : block.end]) for block in blocks_of(document, "heading")] == [
        (1, "Data Processing Addendum"),
        (2, "Sub-processors"),
    ]
    assert [document.text[b.start : b.end] for b in blocks_of(document, "list_item")] == [
        "Larkspur Mail – transactional e-mail"
    ]
    rows = blocks_of(document, "table_row")
    assert rows[0].header and texts(document, rows[2]) == TABLE[2]
    assert subprocessors(document) >= EXPECTED


def test_html_headings_lists_and_tables_become_blocks(limits):
    html = (
        b"<!DOCTYPE html><html><body><h1>Trust</h1><h2>Sub-processors</h2><ul><li>Larkspur Mail - e-mail</li></ul>"
        b"<table><tr><th>Name</th><th>Country</th></tr><tr><td>Hetzner Online GmbH</td><td>Germany</td></tr>"
        b"<tr><td>OpenAI</td><td>United States</td></tr></table></body></html>"
    )
    document = read_document(html, "trust.html", limits)
    assert [block.kind for block in document.blocks] == [
        "heading",
        "heading",
        "list_item",
        "table_row",
        "table_row",
        "table_row",
    ]
    assert document.blocks[1].level == 2 and document.blocks[3].header
    assert {("Hetzner", "Germany"), ("OpenAI", "United States")} <= subprocessors(document)


def test_markdown_structure_comes_from_its_lines():
    text = "# DPA\n\n## 4.2 Sub-processors\n\n- Larkspur Mail – e-mail\n\n| Name | Country |\n|---|---|\n| A | B |\n"
    blocks = text_blocks(text)
    assert [(block.kind, block.level) for block in blocks] == [
        ("heading", 1),
        ("heading", 2),
        ("list_item", 0),
        ("table_row", 0),
        ("table_row", 0),
    ]
    assert blocks[3].header and not blocks[4].header
    assert [text[start:end] for start, end in blocks[4].cells] == ["A", "B"]


def test_a_wrapped_numbered_clause_is_no_heading():
    text = "4.2 Customer Content is retained for ninety\n(90) days from the date of submission."
    assert [block.kind for block in text_blocks(text)] == ["list_item"]


def test_the_vendor_is_not_its_own_sub_processor(limits):
    items = [
        f"Acmecorp will {verb} Customer Data – as set out in Clause {n}"
        for n, verb in enumerate(["host", "back up", "encrypt", "monitor"], 1)
    ]
    data = listed_pdf_bytes(
        [
            (
                "Sub-processors",
                ["Acmecorp uses the following sub-processors:"],
                items + ["Larkspur Mail – transactional e-mail"],
            )
        ]
    )
    document = read_document(data, "dpa.pdf", limits)
    assert subprocessors(document) == {("Larkspur Mail", None)}


def test_a_table_that_names_the_same_party_on_every_row_is_no_sub_processor_list(limits):
    table = [["Processor", "Purpose", "Location"]] + [
        ["Acmecorp Ltd", purpose, "Ireland"] for purpose in ("Hosting", "Support", "Billing", "Analytics")
    ]
    document = read_document(structured_pdf_bytes("Processing activities", "Annex 1.", table), "annex.pdf", limits)
    assert extract_document(document).answers["subprocessors"].status == Status.NOT_FOUND


def test_a_numbered_list_of_measures_names_no_sub_processors():
    text = (
        "Sub-processors must follow the measures below.\n\n1. Access Control: badges for every office.\n\n"
        "2. Personnel Security: background checks.\n\n3. Encryption: AES-256 at rest.\n"
    )
    from tests.test_extraction import value

    assert value(text, key="subprocessors") == "not_found"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# Privacy\n\nCookie text about analytics cookies.\n\n## Current Subprocessors\n\n- **Amazon Web Services** – hosting "
            "(United States)\n- **Postmark** – transactional e-mail\n- **Larkspur Analytics** – product analytics\n",
            {("AWS", "United States"), ("Postmark", None), ("Larkspur Analytics", None)},
        ),
        (
            "## Third-party services\n\n**Postmark** sends our transactional e-mails. Our servers are hosted by **Hetzner**.\n",
            {("Postmark", None), ("Hetzner", None)},
        ),
        (
            "## Service providers\n\n| Vendor | What they do | Where data is stored |\n|---|---|---|\n| Hetzner Online GmbH | "
            "Hosting | Germany |\n| Larkspur Analytics Ltd | Analytics | Ireland |\n",
            {("Hetzner", "Germany"), ("Larkspur Analytics", "Ireland")},
        ),
        (
            "## Annex 3 – Sub-processors\n\n| Name and address | Activity | Country |\n|---|---|---|\n| Larkspur Mail SAS, 12 rue "
            "de la Paix, 75002 Paris | E-mail delivery | France |\n| Hetzner Online GmbH, Industriestr. 25 | Hosting | Germany |\n",
            {("Larkspur Mail", "France"), ("Hetzner", "Germany")},
        ),
        (
            "## Providers\n\n| Company | Service | Servers |\n|---|---|---|\n| Hetzner Online GmbH | Hosting | Germany |\n"
            "| Larkspur Mail SAS | E-mail | France |\n",
            {("Hetzner", "Germany"), ("Larkspur Mail", "France")},
        ),
        (
            "## Subprocessors\n\n| Entity Name | Subprocessing Activities | Entity Country |\n|---|---|---|\n"
            "| Hetzner Online GmbH | Hosting | Germany |\n| Larkspur Mail SAS | E-mail | France |\n",  # the sole location
            {("Hetzner", "Germany"), ("Larkspur Mail", "France")},
        ),
        (
            "## Subprocessors\n\nWe use these providers.\n\n### Infrastructure\n\n- Larkspur Cloud – hosting (Germany)\n"
            "- Hetzner Online GmbH – backups\n\n### Communication\n\n- Quillmail – e-mail\n- Postmark – e-mail\n",
            {("Larkspur Cloud", "Germany"), ("Hetzner", None), ("Quillmail", None), ("Postmark", None)},
        ),
        (
            "## Subprocessors\n\n### Amazon Web Services\n\nPurpose: Hosting\n\nLocation: Germany\n\n### Snowflake\n\n"
            "Purpose: Data warehouse\n\nLocation: United States\n",
            {("AWS", "Germany"), ("Snowflake", "United States")},
        ),
        (
            "## Sub-processors\n\nWe host all customer data with Kestrel Hosting GmbH in Frankfurt. Support tickets are "
            "handled by Zendesk, Inc.\n",
            {("Kestrel Hosting", "Germany"), ("Zendesk", None)},
        ),
        (
            "SCHEDULE 3 – SUB-PROCESSORS\n\nName: Amazon Web Services, Inc.\nPurpose: Hosting\nLocation: Germany\n\n"
            "Name: Snowflake Inc.\nPurpose: Data warehouse\nLocation: United States\n",
            {("AWS", "Germany"), ("Snowflake", "United States")},
        ),
    ],
)
def test_sub_processors_from_lists_prose_tables_and_records(text, expected):
    from tests.test_extraction import answers

    answer = answers(text)["subprocessors"]
    assert {(row["name"], row["country"]) for row in answer.value or []} == expected


def test_soft_hyphens_are_not_part_of_the_text(limits):
    html = (
        "<!DOCTYPE html><html><body><table><tr><th>Sub\u00adprocessor</th><th>Country</th></tr><tr><td>Lark\u00adspur "
        "Mail SAS</td><td>France</td></tr><tr><td>Hetzner Online GmbH</td><td>Germany</td></tr></table></body></html>"
    )
    document = read_document(html.encode(), "list.html", limits)
    assert "\u00ad" not in document.text
    assert subprocessors(document) == {("Larkspur Mail", "France"), ("Hetzner", "Germany")}


ANNEX = [
    ["Name and address of the sub-processor", "Description of the processing", "Location of processing"],
    [
        "Larkspur Mail SAS, 12 rue de la Paix, 75002 Paris, France",
        "Delivery of transactional e-mail for the customer",
        "France",
    ],
    [
        "Hetzner Online GmbH, Industriestrasse 25, 91710 Gunzenhausen, Germany",
        "Hosting of the production infrastructure and backups",
        "Germany",
    ],
    [
        "Snowflake Inc., 106 East Babcock Street, Bozeman, Montana 59715, USA",
        "Data warehouse for reporting",
        "United States",
    ],
]


@pytest.mark.parametrize("columns", [1, 2])
def test_a_table_printed_as_wrapped_lines_of_cells_is_read_row_by_row(limits, columns):
    from tests.builders import piped_table_pdf_bytes

    data = piped_table_pdf_bytes(
        "Annex 3 Sub-processors", "The Processor engages these sub-processors.", ANNEX, columns=columns
    )
    document = read_document(data, "annex.pdf", limits)
    assert subprocessors(document) == {
        ("Larkspur Mail", "France"),
        ("Hetzner", "Germany"),
        ("Snowflake", "United States"),
    }


def test_a_paragraph_after_a_borderless_table_is_no_row_of_it(limits):
    data = structured_pdf_bytes(
        "Sub-processors",
        "We engage the following sub-processors.",
        TABLE,
        paragraphs=[
            "Updates",
            "As our business grows the sub-processors we engage may change; we post every update on this page.",
        ],
        left_padding=0,
    )
    document = read_document(data, "subprocessors.pdf", limits)
    assert len(blocks_of(document, "table_row")) == 4
    assert subprocessors(document) == EXPECTED
