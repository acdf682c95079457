"""The demo vendors load into an empty workspace, every document is read, and loading is idempotent."""

from aivet.access import Role
from aivet.demo import DEMO_VENDORS, load_demo
from store.documents import vendor_documents
from store.models import DocumentStatus
from store.vendors import list_vendors
from tests.conftest import staff


def test_demo_loads_three_vendors_with_three_read_documents_each(workspace):
    assert load_demo(workspace, staff("demo-loader", Role.ADMIN)) == 9
    vendors = list_vendors(workspace)
    assert sorted(v.name for v in vendors) == sorted(DEMO_VENDORS.values())
    for vendor in vendors:
        records = vendor_documents(workspace, vendor.id)
        assert len(records) == 3
        assert all(r.status == DocumentStatus.READ and r.char_count > 500 for r in records), [
            (r.filename, r.status, r.reason) for r in records
        ]
    assert load_demo(workspace, staff("demo-loader", Role.ADMIN)) == 0
