import uuid

import pytest

from auth_service.domain.errors import AdminLockout, BindingMismatch
from auth_service.domain.users import check_bindings, ensure_an_admin_remains, normalise_email

ME, OTHER = uuid.uuid4(), uuid.uuid4()


def test_bindings_must_fit_the_role():
    check_bindings(role="client", client_id=uuid.uuid4(), supplier_id=None)
    check_bindings(role="supplier", client_id=None, supplier_id=uuid.uuid4())
    check_bindings(role="staff", client_id=None, supplier_id=None)

    with pytest.raises(BindingMismatch) as wrong_client:
        check_bindings(role="staff", client_id=uuid.uuid4(), supplier_id=None)
    with pytest.raises(BindingMismatch) as wrong_supplier:
        check_bindings(role="client", client_id=None, supplier_id=uuid.uuid4())

    assert wrong_client.value.field == "client_id"
    assert wrong_supplier.value.field == "supplier_id"


@pytest.mark.parametrize(("new_role", "new_active"), [("staff", True), ("admin", False)])
def test_an_admin_cannot_remove_its_own_admin_access(new_role, new_active):
    with pytest.raises(AdminLockout):
        ensure_an_admin_remains(
            actor_id=ME,
            target_id=ME,
            active_admin_ids={ME, OTHER},
            new_role=new_role,
            new_active=new_active,
        )


def test_an_admin_may_demote_another_admin():
    ensure_an_admin_remains(
        actor_id=ME,
        target_id=OTHER,
        active_admin_ids={ME, OTHER},
        new_role="staff",
        new_active=True,
    )


def test_the_last_active_admin_is_never_removed():
    with pytest.raises(AdminLockout) as refused:
        ensure_an_admin_remains(
            actor_id=ME,
            target_id=OTHER,
            active_admin_ids={OTHER},
            new_role="staff",
            new_active=True,
        )

    assert "at least one active admin" in refused.value.en


def test_changes_that_keep_admin_access_are_fine():
    ensure_an_admin_remains(
        actor_id=ME, target_id=ME, active_admin_ids={ME}, new_role="admin", new_active=True
    )
    ensure_an_admin_remains(
        actor_id=ME, target_id=OTHER, active_admin_ids={ME}, new_role="staff", new_active=False
    )


def test_emails_are_compared_trimmed_and_lower_cased():
    assert normalise_email("  Maria@Example.COM ") == "maria@example.com"


def test_the_domain_does_not_import_flask_or_sqlalchemy():
    import subprocess
    import sys

    code = (
        "import sys, auth_service.domain.users, auth_service.domain.passwords, "
        "auth_service.domain.documents, auth_service.domain.refresh_tokens, "
        "auth_service.domain.rate_limit; "
        "print(sorted(m for m in ('flask', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "[]"
