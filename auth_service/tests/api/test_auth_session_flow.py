"""The whole life of a session: sign up, log in, refresh (rotation, reuse), log out."""

import time
import uuid

from auth_service.models import User, db

PASSWORD = "Segura#2026"


def test_register_login_me_refresh_reuse_and_logout(api, email, cpf):
    email, document = email("maria"), cpf()
    punctuated = f"{document[:3]}.{document[3:6]}.{document[6:9]}-{document[9:]}"

    registered = api.register(email=email, document=punctuated)
    assert registered.status_code == 201, registered.json
    user = registered.json["data"]
    assert user["role"] == "client"
    assert user["email"] == email.lower()
    assert user["document"] == document
    assert user["phone"] == "11912345678"
    assert "password" not in user and "password_hash" not in user

    logged_in = api.login(email.upper(), PASSWORD)
    assert logged_in.status_code == 200, logged_in.json
    first = logged_in.json["data"]
    assert first["token_type"] == "Bearer"
    assert first["expires_in"] == 900
    assert first["refresh_expires_in"] == 7 * 24 * 3600
    assert first["user"]["id"] == user["id"]

    me = api.me(first["access_token"])
    assert me.status_code == 200
    assert me.json["data"]["email"] == email.lower()

    refreshed = api.refresh(first["refresh_token"])
    assert refreshed.status_code == 200, refreshed.json
    second = refreshed.json["data"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert api.me(second["access_token"]).status_code == 200

    reused = api.refresh(first["refresh_token"])
    assert reused.status_code == 401
    assert reused.json["code"] == "refresh_token_reused"
    assert reused.json["status"] == "error"

    newest_refused = api.refresh(second["refresh_token"])
    assert newest_refused.status_code == 401
    assert newest_refused.json["code"] == "refresh_token_revoked"

    again = api.login(email, PASSWORD).json["data"]
    logged_out = api.logout(again["access_token"], again["refresh_token"])
    assert logged_out.status_code == 200
    assert logged_out.json["status"] == "success"
    after_logout = api.refresh(again["refresh_token"])
    assert after_logout.status_code == 401
    assert after_logout.json["code"] == "refresh_token_revoked"


def test_logout_needs_an_access_token(api, make_account):
    account = make_account()

    response = api.client.post("/api/v1/auth/logout", json={"refresh_token": account.refresh_token})

    assert response.status_code == 401
    assert api.refresh(account.refresh_token).status_code == 200  # not revoked


def test_logout_is_idempotent_and_ignores_unknown_tokens(api, make_account):
    account = make_account()

    assert api.logout(account.access_token, account.refresh_token).status_code == 200
    assert api.logout(account.access_token, account.refresh_token).status_code == 200
    assert api.logout(account.access_token, "never-issued").status_code == 200


def test_nobody_can_log_out_someone_elses_session(api, make_account):
    victim, other = make_account(), make_account()

    response = api.logout(other.access_token, victim.refresh_token)

    assert response.status_code == 403
    assert api.refresh(victim.refresh_token).status_code == 200


def test_unknown_refresh_token_is_401(api):
    response = api.refresh("made-up-token")

    assert response.status_code == 401
    assert response.json["code"] == "refresh_token_invalid"


def test_an_expired_refresh_token_is_401(make_app, keys_dir_with, account_in, api_for):
    app = make_app(
        keys_dir_with(("k.pem", 0)), refresh_token_ttl_seconds=1, refresh_session_max_age_seconds=1
    )
    account = account_in(app)

    time.sleep(1.1)
    response = api_for(app).refresh(account.refresh_token)

    assert response.status_code == 401
    assert response.json["code"] == "refresh_token_expired"


def test_a_deactivated_user_can_neither_refresh_nor_see_itself(app, api, make_account):
    account = make_account()
    with app.app_context():
        db.session.get(User, uuid.UUID(account.id)).active = False
        db.session.commit()

    assert api.me(account.access_token).status_code == 401
    refused = api.refresh(account.refresh_token)
    assert refused.status_code == 401
    assert refused.json["code"] == "user_inactive"
    login = api.login(account.email, account.password)
    assert login.status_code == 401
    assert login.json["code"] == "user_inactive"


def test_wrong_password_and_unknown_email_get_the_same_answer(api, make_account, email):
    account = make_account(login=False)

    wrong_password = api.login(account.email, "Errada#2026")
    unknown_email = api.login(email("nobody"), "Errada#2026")

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json["message"] == unknown_email.json["message"]
    assert wrong_password.json["code"] == unknown_email.json["code"] == "invalid_credentials"


def test_messages_are_in_english_when_asked(api, email):
    response = api.login(email(), "whatever1", headers={"Accept-Language": "en"})

    assert response.json["message"] == "Invalid email or password."


def test_factory_builds_an_app_with_health_and_ready(make_app, keys_dir_with):
    client = make_app(keys_dir_with(("k.pem", 0))).test_client()

    assert client.get("/health").json["data"] == {"alive": True}
    assert client.get("/ready").json["data"]["checks"] == {"database": "ok"}
