"""Company and country normalisers: one name per company, one label per place, no false merges."""

import time

import pycountry
import pytest

from extraction.lexicon import knowledge
from extraction.normalise import canonical_company, countries_in, countries_of_subdivisions, find_companies

PROVIDERS = knowledge("providers")["providers"]
COUNTRIES = knowledge("countries")
CATEGORIES = {
    "cloud",
    "ai_model",
    "analytics",
    "support",
    "communication",
    "payments",
    "identity",
    "security",
    "dev_tools",
    "data",
}
EVERYDAY_WORDS = {"Front", "Segment", "Render", "Elastic", "Heap", "Notion", "Slack", "Zoom", "Stripe", "Clerk"}


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Amazon Web Services, Inc.", "AWS"),
        ("Amazon Web Services Inc (AWS)", "AWS"),
        ("Amazon Web Services", "AWS"),
        ("amazon web services inc", "AWS"),
        ("Amazon.com", "AWS"),
        ("Amazon Bedrock", "AWS"),
        ("Anthropic PBC", "Anthropic"),
        ("**Anthropic, PBC**", "Anthropic"),
        ("[OpenAI](https://openai.com)", "OpenAI"),
        ("OpenAI, L.L.C.", "OpenAI"),
        ("Open AI", "OpenAI"),
        ("Google Cloud Platform (GCP)", "Google Cloud"),
        ("Google LLC", "Google"),
        ("Microsoft (Azure)", "Microsoft Azure"),
        ("Microsoft Corporation", "Microsoft"),
        ("Functional Software, Inc. d/b/a Sentry", "Sentry"),
        ("NexMo Inc (aka Vonage)", "Vonage"),
        ("Twilio (SendGrid)", "SendGrid"),
        ("Intercom, Inc..", "Intercom"),
        ("Clickhouse Inc.", "ClickHouse"),
        ("Posthog, Inc.", "PostHog"),
        ("Hubspot", "HubSpot"),
        ("Mailgun Technologies Inc.", "Mailgun"),
        ("Temporal Technologies, Inc.", "Temporal"),
        ("Hangzhou DeepSeek Artificial Intelligence Co., Ltd.", "DeepSeek"),
        ("Mistral AI SAS", "Mistral AI"),
        ("GitHub BV", "GitHub"),
    ],
)
def test_legal_name_variants_collapse_to_one_canonical_name(written, canonical):
    assert canonical_company(written) == canonical


@pytest.mark.parametrize(
    ("typo", "canonical"),
    [("Twillio", "Twilio"), ("Cloudfare", "Cloudflare"), ("Atlasian", "Atlassian"), ("Amazon Web Service", "AWS")],
)
def test_a_typo_in_a_long_name_is_corrected(typo, canonical):
    assert canonical_company(typo) == canonical


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Frontegg Ltd", "Frontegg"),  # not Front
        ("Hexagon AB", "Hexagon"),  # not Hex
        ("Clerky", "Clerky"),  # not Clerk
        ("Grok", "Grok"),  # not Groq
        ("Plain", "Plain"),  # not Plaid
        ("Replicated, Inc.", "Replicated"),  # not Replicate
        ("Mailjet", "Mailjet"),  # not Mailgun
        ("Confluence", "Atlassian"),  # not Confluent
        ("Moveworks", "Moveworks"),
        ("Obsidian Security", "Obsidian Security"),
        ("SorryApp Ltd", "SorryApp"),
    ],
)
def test_unrelated_names_do_not_merge(written, kept):
    assert canonical_company(written) == kept


def test_short_names_stay_apart():
    names = ["Front", "Heap", "Hex", "Box", "Groq", "Okta", "Plaid"]
    assert [canonical_company(name) for name in names] == names


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("GitHub Germany GmbH", "GitHub Germany"),
        ("GitHub Australia Pty Ltd", "GitHub Australia"),
        ("GitHub Canada ULC", "GitHub Canada"),
        ("Retool UK Limited", "Retool UK"),
        ("Google Ireland Limited", "Google Ireland"),
        ("Amazon Web Services EMEA SARL", "Amazon Web Services EMEA"),
        ("Amazon Web Services UK", "Amazon Web Services UK"),
        ("Intercom R&D Unlimited Company", "Intercom R&D"),
    ],
)
def test_subsidiaries_stay_distinct_without_their_legal_suffix(written, kept):
    assert canonical_company(written) == kept


def test_every_alias_maps_back_to_its_own_entry():
    wrong = {
        alias: canonical_company(alias)
        for entry in PROVIDERS
        for alias in [entry["name"], *entry.get("aliases", [])]
        if canonical_company(alias) != entry["name"]
    }
    assert wrong == {}


def test_gazetteer_entries_are_well_formed():
    names = [entry["name"] for entry in PROVIDERS]
    assert len(names) == len(set(names))
    assert {entry["category"] for entry in PROVIDERS} <= CATEGORIES
    assert all(set(entry) <= {"name", "aliases", "country", "category", "common_word"} for entry in PROVIDERS)
    assert {entry["name"] for entry in PROVIDERS if entry.get("common_word")} >= EVERYDAY_WORDS


def test_provider_headquarters_are_countries_as_countries_in_writes_them():
    for entry in PROVIDERS:
        if "country" in entry:
            assert countries_in(entry["country"]) == [entry["country"]], entry["name"]


def test_find_companies_spans_are_exact_and_in_text_order():
    text = 'We use Anthropic and Google Vertex AI as AI sub-processors; Amazon Web Services, Inc. ("AWS") hosts.'
    found = find_companies(text)
    assert [(text[start:end], name) for start, end, name in found] == [
        ("Anthropic", "Anthropic"),
        ("Google Vertex AI", "Google Cloud"),
        ("Amazon Web Services, Inc.", "AWS"),
        ("AWS", "AWS"),
    ]
    assert [start for start, _, _ in found] == sorted(start for start, _, _ in found)
    assert all(end <= next_start for (_, end, _), (next_start, _, _) in zip(found, found[1:]))


def test_find_companies_prefers_the_longest_name_and_bends_spacing_and_case():
    text = "Google Cloud Platform, Google Analytics, Google, Twilio     (SendGrid), Hubspot, OPENAI."
    assert [(text[start:end], name) for start, end, name in find_companies(text)] == [
        ("Google Cloud Platform", "Google Cloud"),
        ("Google Analytics", "Google Analytics"),
        ("Google", "Google"),
        ("Twilio", "Twilio"),
        ("SendGrid", "SendGrid"),
        ("Hubspot", "HubSpot"),
        ("OPENAI", "OpenAI"),
    ]


def test_find_companies_needs_the_first_letter_as_written():
    assert find_companies("see https://api.openai.com and the anthropic docs") == []


def test_everyday_words_are_not_companies_in_prose():
    text = (
        "Front desk staff may Slack off. Segment the data, Render the page, Heap memory, the Notion of consent. "
        "Zoom in. Stripe the rows. Clerk of the court. Elastic limits."
    )
    assert find_companies(text) == []


def test_everyday_word_names_count_with_a_legal_suffix_or_a_longer_alias():
    text = "Support runs on Front, Inc. and FrontApp; payments on Stripe, Inc.; chat on Slack Technologies, LLC."
    assert [(text[start:end], name) for start, end, name in find_companies(text)] == [
        ("Front, Inc.", "Front"),
        ("FrontApp", "Front"),
        ("Stripe, Inc.", "Stripe"),
        ("Slack Technologies, LLC", "Slack"),
    ]


def test_a_word_that_continues_a_name_is_not_that_name():
    assert find_companies("OpenAIs Anthropicx GitHubbing") == []


def test_gazetteer_covers_at_least_500_companies():
    assert len(PROVIDERS) >= 500


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Hetzner Online GmbH", "Hetzner"),
        ("1&1 IONOS SE", "IONOS"),
        ("Open Telekom Cloud", "T-Systems"),
        ("BunnyWay d.o.o.", "Bunny.net"),
        ("Anysphere, Inc.", "Cursor"),
        ("Mango Technologies, Inc.", "ClickUp"),
        ("Google Drive", "Google"),
        ("AWS Lambda", "AWS"),
        ("Microsoft Clarity", "Microsoft"),
        # former names
        ("Sendinblue SAS", "Brevo"),
        ("MessageBird B.V.", "Bird"),
        ("Chargify, LLC", "Maxio"),
        ("LogMeIn, Inc.", "GoTo"),
        ("TripActions Inc", "Navan"),
        ("Integromat s.r.o.", "Make"),
        ("Ceridian HCM, Inc.", "Dayforce"),
        ("TransferWise Ltd", "Wise"),
    ],
)
def test_legal_and_former_names_of_added_companies_reach_the_current_name(written, canonical):
    assert canonical_company(written) == canonical


def test_added_short_names_stay_apart():
    names = ["Deel", "DeepL", "Tink", "Sift", "Mux", "Wix", "Rev", "Exa", "Sendbird", "SendGrid"]
    assert [canonical_company(name) for name in names] == names


def test_added_everyday_words_are_not_companies_in_prose():
    text = (
        "Whereby the Processor shall notify the Controller. Remote access is restricted. Branch offices and "
        "Square brackets. Wise use. Sage advice. Mode of transfer. Buffer overflow. Lattice-based keys. "
        "Workday hours apply. Global Payments are settled daily. Daily backups are taken. Check Point 3 applies. "
        "Constant Contact with the authority. Monte Carlo simulations. Entrust your data to us. Make sure. "
        "Timescale for deletion. Iterable objects. Cursor position. Lambda functions. Visa requirements apply."
    )
    assert find_companies(text) == []


def test_aliases_that_read_as_prose_once_the_suffix_is_off_are_left_out():
    text = "The constant review. First data is kept. Prove identity with a passport. Return to the start."
    assert find_companies(text) == []


def test_added_everyday_word_names_count_with_a_legal_suffix_or_a_longer_alias():
    text = (
        "We use Whereby AS, Workday, Inc., Square, Inc., Integromat and Mode Analytics; Global Payments Inc. settles."
    )
    assert [(text[start:end], name) for start, end, name in find_companies(text)] == [
        ("Whereby AS", "Whereby"),
        ("Workday, Inc.", "Workday"),
        ("Square, Inc.", "Square"),
        ("Integromat", "Make"),
        ("Mode Analytics", "Mode"),
        ("Global Payments Inc.", "Global Payments"),
    ]


@pytest.mark.parametrize(
    ("cell", "countries"),
    [
        ("United States, Belgium", ["United States", "Belgium"]),
        ("USA / EU", ["United States", "EU"]),
        ("US", ["United States"]),
        ("U.S.", ["United States"]),
        ("GB", ["United Kingdom"]),
        ("DE", ["Germany"]),
        ("US, GB and DE", ["United States", "United Kingdom", "Germany"]),
        ("DE (Frankfurt)", ["Germany"]),
        ("Frankfurt, Germany", ["Germany"]),
        ("Ireland (EU)", ["Ireland", "EU"]),
        ("Global Edge", ["Global"]),
        ("Worldwide", ["Global"]),
        ("EU/EEA", ["EU", "EEA"]),
        ("European Union", ["EU"]),
        ("UK", ["United Kingdom"]),
        ("England", ["United Kingdom"]),
        ("Holland", ["Netherlands"]),
        ("the Netherlands", ["Netherlands"]),
        ("South Korea", ["South Korea"]),
        ("Korea, Republic of", ["South Korea"]),
        ("Czech Republic", ["Czechia"]),
        ("Russia", ["Russian Federation"]),
        ("Taiwan", ["Taiwan"]),
        ("GERMANY", ["Germany"]),
        ("Northern Ireland", ["United Kingdom"]),
        ("Asia-Pacific", ["APAC"]),
        ("United States, USA, US", ["United States"]),
        ("Germany; France; Germany", ["Germany", "France"]),
    ],
)
def test_countries_from_codes_names_regions_and_mixed_cells(cell, countries):
    assert countries_in(cell) == countries


@pytest.mark.parametrize(
    "prose",
    [
        "Data is kept in it and may be used in our systems by us",
        "IT systems are hardened",
        "it, in, be",  # small letters are never codes, even as list items
        "Us and them",
        "Repealing Directive 95/46/EC",
        "N/A",
        "NA",
        "AI",
        "germany",
    ],
)
def test_prose_words_and_stray_capitals_are_not_countries(prose):
    assert countries_in(prose) == []


def test_new_mexico_is_the_united_states_not_mexico():
    assert countries_in("Albuquerque, New Mexico") == ["United States"]


def test_every_country_in_countries_yaml_resolves_in_pycountry():
    for written, country in COUNTRIES["countries"].items():
        assert pycountry.countries.lookup(country), written
    for code in COUNTRIES["not_codes"]:
        assert pycountry.countries.get(alpha_2=code), code


def test_regions_keep_their_label():
    for written, label in COUNTRIES["regions"].items():
        assert countries_in(written) == [label], written


def test_calls_take_well_under_a_millisecond():
    canonical_company("warm up"), countries_in("warm up"), find_companies("warm up")
    calls = [
        lambda: canonical_company("Amazon Web Services, Inc."),
        lambda: canonical_company("Some Unknown Vendor GmbH"),
        lambda: countries_in("Frankfurt, Germany / EU"),
        lambda: find_companies("We use Anthropic and Google Vertex AI as AI sub-processors"),
    ]
    for call in calls:
        started = time.perf_counter()
        for _ in range(200):
            call()
        assert (time.perf_counter() - started) / 200 < 0.0005


@pytest.mark.parametrize(
    ("cell", "countries"),
    [
        ("Ponte San Pietro (Bergamo)", ["Italy"]),
        ("Frosinone", ["Italy"]),
        ("Hosting in Bayern", ["Germany"]),
        ("Central", []),  # a subdivision of several countries, and a compass word
        ("North region", []),
        ("Data centre", []),
    ],
)
def test_a_location_cell_naming_only_a_province_or_state_gives_its_country(cell, countries):
    assert countries_of_subdivisions(cell) == countries
