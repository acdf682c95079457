"""The LLM wired in: uploading a file asks it when the settings switch it on, every call and drop is in the audit
log (never the text or the key), tokens and cost add up per vendor, the budget holds, and `aivet extract` uses
it unless told `--no-llm`, keeping the JSON contract."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from aivet.access import Forbidden, Role
from aivet.settings import LLMSettings, Settings
from extraction import ANSWER_KEYS
from store.audit import logged_events
from store.workspace import Workspace
from tests.conftest import TEST_LIMITS, staff
from tests.llm_server import Reply, ScriptedLLM, answers
from tests.test_cli import aivet
from tests.test_llm import DPA, LIES, TRUTH, ask_every_key  # noqa: F401  (ask_every_key: an autouse fixture)
from workflows import create_vendor, ingest_file, vendor_answers
from workflows.llm import estimated_cost, llm_settings, llm_usage

KEY = "placeholder-key-DO-NOT-LEAK"


@pytest.fixture
def server():
    scripted = ScriptedLLM(lambda asked: Reply(content=answers(asked, TRUTH)))
    yield scripted
    scripted.close()


def settings_for(server, tmp_path, **changes) -> Settings:
    llm = LLMSettings(model="gpt-4o-mini", api_key=KEY, base_url=server.base_url, max_retries=0, timeout_seconds=5)
    return Settings(data_dir=tmp_path, limits=TEST_LIMITS, llm=replace(llm, **changes))


def test_an_upload_is_read_by_the_llm_audited_and_priced(server, tmp_path):
    workspace = Workspace.open(settings_for(server, tmp_path))
    vendor = create_vendor(workspace, "Kestrel GmbH", staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa.md", DPA.encode(), staff("procurement"))
    assert len(server.requests) == 1
    [(_, stored)] = vendor_answers(workspace, vendor.id).documents
    assert "The LLM agrees." in stored.answers["training_use"].note
    calls = logged_events(workspace, vendor_id=vendor.id, action="llm.call")
    [call] = [item.event.after for item in calls]
    assert call["model"] == "gpt-4o-mini" and call["prompt_tokens"] > 0 and "training_use" in call["keys"]
    [usage] = llm_usage(workspace, staff("legal", Role.LEGAL))
    assert usage.vendor == "Kestrel GmbH" and usage.calls == 1 and usage.prompt_tokens == call["prompt_tokens"]
    assert usage.cost == round(estimated_cost("gpt-4o-mini", usage.prompt_tokens, usage.completion_tokens), 4) > 0
    # The key and the document's text never reach the database or its audit log.
    database = (tmp_path / "aivet.db").read_bytes()
    assert KEY.encode() not in database
    audit = json.dumps([item.event.after for item in logged_events(workspace)])
    assert "Kestrel shall never" not in audit and KEY not in audit
    # A second file with the same bytes is one record; a document already asked is answered from the cache.
    ingest_file(workspace, vendor.id, "copy.md", DPA.encode() + b"\n", staff("procurement"))
    assert len(server.requests) == 2  # other bytes, other sha256: asked
    assert list((tmp_path / "llm-cache").iterdir())


def test_invented_answers_are_dropped_and_each_drop_is_audited(server, tmp_path):
    server.behaviour = lambda asked: Reply(content=answers(asked, LIES))
    workspace = Workspace.open(settings_for(server, tmp_path))
    vendor = create_vendor(workspace, "Kestrel GmbH", staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa.md", DPA.encode(), staff("procurement"))
    drops = [item.event.after for item in logged_events(workspace, vendor_id=vendor.id, action="llm.drop")]
    assert drops and {drop["reason"] for drop in drops} == {"ungrounded_quote"}
    [(_, stored)] = vendor_answers(workspace, vendor.id).documents
    assert all("LLM" not in answer.note for answer in stored.answers.values())
    assert llm_usage(workspace, staff("admin", Role.ADMIN))[0].dropped == len(drops)


def test_an_endpoint_that_fails_leaves_the_upload_and_its_local_answers(server, tmp_path):
    server.behaviour = lambda asked: Reply(status=500)
    workspace = Workspace.open(settings_for(server, tmp_path))
    vendor = create_vendor(workspace, "Kestrel GmbH", staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa.md", DPA.encode(), staff("procurement"))
    merged = vendor_answers(workspace, vendor.id).merged.answers
    assert merged["breach_notification_hours"].value == 48
    [call] = [item.event.after for item in logged_events(workspace, vendor_id=vendor.id, action="llm.call")]
    assert call["outcome"] == "unavailable:http_500"
    assert llm_usage(workspace, staff("admin", Role.ADMIN))[0].last_outcome == "unavailable:http_500"


def test_the_vendor_budget_is_kept_across_uploads(server, tmp_path):
    workspace = Workspace.open(settings_for(server, tmp_path, vendor_token_budget=1_800))
    vendor = create_vendor(workspace, "Kestrel GmbH", staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa.md", DPA.encode(), staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa-2.md", DPA.replace("Kestrel", "Kestrel AG").encode(), staff("procurement"))
    outcomes = [
        item.event.after["outcome"] for item in logged_events(workspace, vendor_id=vendor.id, action="llm.call")
    ]
    assert sorted(outcomes) == ["answered", "budget_exhausted"] and len(server.requests) == 1


def test_only_an_administrator_sees_the_settings_and_never_the_key(server, tmp_path):
    workspace = Workspace.open(settings_for(server, tmp_path))
    shown = llm_settings(workspace, staff("admin", Role.ADMIN))
    assert shown["api_key"] == "set" and shown["model"] == "gpt-4o-mini" and KEY not in json.dumps(shown)
    assert KEY not in repr(workspace.llm)
    with pytest.raises(Forbidden):
        llm_settings(workspace, staff("legal", Role.LEGAL))


def test_the_settings_come_from_the_environment(monkeypatch):
    for name in ("AZURE_OPENAI_ENDPOINT", "OPENAI_BASE_URL", "AIVET_LLM_REPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("AIVET_LLM_MODEL", raising=False)
    assert not LLMSettings.from_env().enabled, "a key alone sends no vendor document anywhere"
    monkeypatch.setenv("AIVET_LLM_MODEL", "gpt-4o-mini")
    assert LLMSettings.from_env().provider == "openai-compatible"
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://example-eu.openai.azure.com")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-key")
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
    azure = LLMSettings.from_env()
    assert azure.provider == "azure" and azure.api_key == "azure-key" and azure.api_version == "2024-10-21"


def test_an_azure_client_is_made_for_an_azure_endpoint():
    import openai

    from workflows.llm import chat_client

    client = chat_client(
        LLMSettings(
            model="gpt-4o-mini-eu", api_key="k", azure_endpoint="https://x.openai.azure.com", api_version="2024-10-21"
        )
    )
    assert isinstance(client.client, openai.AzureOpenAI) and client.model == "gpt-4o-mini-eu"


def test_an_azure_deployment_is_asked_over_http_at_its_deployment_path_with_its_api_key_header():
    from extraction import assist
    from tests.llm_server import Reply, ScriptedLLM, answers
    from tests.test_llm import TRUTH, local
    from workflows.llm import chat_client

    server = ScriptedLLM(lambda asked: Reply(content=answers(asked, TRUTH)))
    try:
        client = chat_client(
            LLMSettings(
                model="gpt-4o-mini-eu",
                api_key="placeholder-azure-key",
                azure_endpoint=server.base_url.removesuffix("/v1"),
                api_version="2024-10-21",
            )
        )
        document, extraction = local()
        result = assist(document, extraction, client)
    finally:
        server.close()
    assert result.message is None and set(result.kept) >= set(TRUTH)
    assert server.paths[0] == "/openai/deployments/gpt-4o-mini-eu/chat/completions?api-version=2024-10-21"
    assert server.headers[0]["api-key"] == "placeholder-azure-key" and "authorization" not in server.headers[0]


def _cli_env(server) -> dict[str, str]:
    return {
        "AIVET_LLM_MODEL": "scripted-model",
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": KEY,
        "AIVET_LLM_MAX_RETRIES": "0",
    }


def test_aivet_extract_uses_the_llm_and_keeps_the_json_contract(server, tmp_path, monkeypatch):
    dpa = tmp_path / "dpa.md"
    dpa.write_text(DPA)
    for name, value in _cli_env(server).items():
        monkeypatch.setenv(name, value)
    result = aivet("extract", str(dpa), "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"documents", "merged"} and list(data["documents"][0]["answers"]) == list(ANSWER_KEYS)
    methods = {answer["method"] for answer in data["documents"][0]["answers"].values()}
    assert methods <= {"form", "rule", "llm", "reviewer"}
    assert "The LLM agrees." in data["documents"][0]["answers"]["retention_days"]["note"]
    assert len(server.requests) == 1 and "LLM: " in result.stderr and KEY not in result.stderr + result.stdout
    audit = (tmp_path / "data" / "llm-audit.jsonl").read_text()
    assert '"action": "llm.call"' in audit and "Kestrel shall" not in audit and KEY not in audit
    again = aivet("extract", str(dpa), "--json", "--no-llm", tmp_path=tmp_path)
    assert again.returncode == 0 and len(server.requests) == 1 and "LLM" not in again.stderr
    assert "LLM" not in json.loads(again.stdout)["documents"][0]["answers"]["retention_days"].get("note", "")


# --- settings an administrator sets in the app --------------------------------------------------------------------

ADMIN = staff("admin-tester", Role.ADMIN)
APP_KEY = "placeholder-app-key-typed-by-an-admin"


def _no_llm_in_environment(monkeypatch):
    for name in ("AIVET_LLM_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "AIVET_LLM_REPLAY"):
        monkeypatch.delenv(name, raising=False)


def test_an_admin_sets_the_llm_in_memory_it_is_used_audited_and_the_key_is_never_kept(server, tmp_path, monkeypatch):
    from aivet.settings import ADMIN_LLM
    from workflows import LLMChange, audit_csv, audit_trail, change_llm_settings

    _no_llm_in_environment(monkeypatch)
    workspace = Workspace.open(Settings(data_dir=tmp_path, limits=TEST_LIMITS))
    assert not workspace.llm.enabled
    change = LLMChange("save", base_url=server.base_url, model="scripted-model", api_key=APP_KEY)
    result = change_llm_settings(workspace, ADMIN, change)
    assert result.ok and "memory" in result.message
    assert workspace.llm.enabled and workspace.llm.api_key == APP_KEY and workspace.llm.source == "app"
    assert result.settings["api_key"] == "set" and APP_KEY not in json.dumps(result.settings)
    assert Settings.from_env().llm.model == "scripted-model", "over the environment, for the whole process"
    vendor = create_vendor(workspace, "Kestrel GmbH", staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa.md", DPA.encode(), staff("procurement"))
    assert len(server.requests) == 1 and server.requests[0]["model"] == "scripted-model"
    [event] = [item.event for item in logged_events(workspace, action="llm.settings")]
    assert event.actor == "admin-tester" and event.at is not None
    assert event.after["model"] == "scripted-model" and event.after["api_key"] == "set"
    assert event.before["model"] == "—" and event.before["api_key"] == "not set"
    exported = audit_csv(audit_trail(workspace, ADMIN)).decode("utf-8-sig")
    assert "llm.settings" in exported and APP_KEY not in exported
    assert APP_KEY.encode() not in (tmp_path / "aivet.db").read_bytes()
    assert not any(APP_KEY in path.read_text("utf-8", "replace") for path in tmp_path.rglob("*") if path.is_file())
    # Switched off: no more calls; back to the environment's settings (none here): still off.
    change_llm_settings(workspace, ADMIN, LLMChange("off"))
    assert not workspace.llm.enabled and ADMIN_LLM.current is not None
    ingest_file(workspace, vendor.id, "dpa-2.md", DPA.replace("Kestrel", "Kestrel AG").encode(), staff("procurement"))
    assert len(server.requests) == 1
    change_llm_settings(workspace, ADMIN, LLMChange("environment"))
    assert ADMIN_LLM.current is None and not workspace.llm.enabled
    actions = [item.event.after["action"] for item in logged_events(workspace, action="llm.settings")]
    assert actions == ["environment", "off", "save"]


def test_the_connection_test_sends_one_tiny_request_and_fails_with_a_sentence(server, tmp_path, monkeypatch):
    from workflows import LLMChange, change_llm_settings

    _no_llm_in_environment(monkeypatch)
    workspace = Workspace.open(Settings(data_dir=tmp_path, limits=TEST_LIMITS))
    ok = change_llm_settings(
        workspace, ADMIN, LLMChange("test", base_url=server.base_url, model="scripted-model", api_key=APP_KEY)
    )
    assert ok.ok and "scripted-model" in ok.message and not workspace.llm.enabled, "a test changes nothing"
    [body] = server.requests
    assert body["max_tokens"] == 1 and body["messages"] == [{"role": "user", "content": "ping"}]
    server.behaviour = lambda asked: Reply(status=401, content="bad key")
    refused = change_llm_settings(
        workspace, ADMIN, LLMChange("test", base_url=server.base_url, model="scripted-model", api_key=APP_KEY)
    )
    assert not refused.ok and refused.message == (
        "The connection test failed: The LLM endpoint refused the API key; an administrator should check it."
    )
    closed = ScriptedLLM(lambda asked: Reply(content="{}"))
    closed.close()
    down = change_llm_settings(workspace, ADMIN, LLMChange("test", base_url=closed.base_url, model="m", api_key="k"))
    assert not down.ok and down.message == "The connection test failed: The LLM endpoint cannot be reached."
    nothing = change_llm_settings(workspace, ADMIN, LLMChange("test"))
    assert not nothing.ok and "nothing to test" in nothing.message
    audit = json.dumps([item.event.after for item in logged_events(workspace, action="llm.settings.test")])
    assert audit.count('"ok": true') == 1 and audit.count('"ok": false') == 3 and APP_KEY not in audit


def test_only_an_administrator_changes_the_llm_settings_and_bad_ones_are_refused(server, tmp_path, monkeypatch):
    from aivet.settings import ADMIN_LLM
    from workflows import InvalidInput, LLMChange, change_llm_settings

    _no_llm_in_environment(monkeypatch)
    workspace = Workspace.open(Settings(data_dir=tmp_path, limits=TEST_LIMITS))
    change = LLMChange("save", base_url=server.base_url, model="scripted-model", api_key=APP_KEY)
    for role in (Role.PROCUREMENT, Role.LEGAL, Role.SECURITY):
        with pytest.raises(Forbidden):
            change_llm_settings(workspace, staff("someone", role), change)
    assert ADMIN_LLM.current is None and not workspace.llm.enabled and not logged_events(workspace)
    for bad in (
        replace(change, model=""),
        replace(change, base_url="file:///etc/passwd"),
        replace(change, provider="azure", azure_endpoint="https://x.openai.azure.com", api_version=""),
        replace(change, action="delete-everything"),
    ):
        with pytest.raises(InvalidInput):
            change_llm_settings(workspace, ADMIN, bad)
    assert ADMIN_LLM.current is None and not server.requests
    azure = change_llm_settings(
        workspace,
        ADMIN,
        LLMChange(
            "save",
            "azure",
            model="eu-deployment",
            api_key=APP_KEY,
            azure_endpoint="https://x.openai.azure.com",
            api_version="2024-10-21",
        ),
    )
    assert azure.settings["provider"] == "azure" and azure.settings["endpoint"] == "https://x.openai.azure.com"
    # An empty key field keeps the key in use, and the audit says the key was not changed.
    change_llm_settings(workspace, ADMIN, replace(change, api_key=""))
    assert workspace.llm.api_key == APP_KEY and workspace.llm.base_url == server.base_url
    newest = logged_events(workspace, action="llm.settings")[0].event.after
    assert "api_key" not in newest and newest["provider"] == "openai-compatible"
