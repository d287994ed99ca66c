"""The frontend in a real browser (Debian's chromium), against the running system."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from scripts.processes import ROOT
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.api_client import ApiClient
from tests.support.e2e_builders import (
    CLIENT_PASSWORD,
    new_client,
    new_product,
    ok,
    register_client_user,
    stock_of,
)
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def frontend_url(stack, tmp_path_factory) -> Iterator[str]:
    """The production build, pointed at this run's gateway, served as static files."""
    out_dir = tmp_path_factory.mktemp("frontend-dist")
    subprocess.run(
        ["npm", "run", "build", "--", "--outDir", str(out_dir), "--emptyOutDir"],
        cwd=ROOT / "frontend",
        env={**os.environ, "VITE_API_URL": stack.gateway_url},
        check=True,
        capture_output=True,
        timeout=180,
    )
    handler = functools.partial(_QuietHandler, directory=str(out_dir))
    server = ThreadingHTTPServer(("127.0.0.1", stack.ports.frontend), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{stack.ports.frontend}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium não encontrado: rode `make test` (instala o pacote do Debian).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


def test_login_shows_the_user_and_staff_every_service_ready(browser: Browser, frontend_url: str):
    page = browser.new_page(locale="pt-BR")
    page.goto(frontend_url)
    # Before signing in (and for customers) the services' state is not shown.
    expect(page.get_by_role("button", name="Entrar")).to_be_visible()
    expect(page.get_by_role("list", name="Serviços")).to_have_count(0)

    page.get_by_label("E-mail").fill(ADMIN_EMAIL)
    page.get_by_label("Senha").fill("senha-errada-123")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_test_id("login-error")).to_contain_text("inválid")

    page.get_by_label("Senha").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", name="Olá")).to_be_visible()
    expect(page.get_by_test_id("user-role")).to_have_attribute("data-role", "admin")
    expect(page.get_by_test_id("user-role")).to_have_text("Administrador")
    services = page.get_by_role("list", name="Serviços")
    for name in ("auth_service", "order_service", "stock_service"):
        expect(services.get_by_test_id(f"service-{name}")).to_have_attribute(
            "data-state", "ready", timeout=10_000
        )

    page.get_by_test_id("logout-button").click()
    expect(page.get_by_role("button", name="Entrar")).to_be_visible()
    expect(page.get_by_role("list", name="Serviços")).to_have_count(0)
    page.close()


SHOTS = ROOT / "frontend" / "test-results"  # git-ignored; read them after a change to a page


def screenshots(page: Page, name: str) -> None:
    """The page as a person sees it, on a desktop and on a 375 px phone (then back)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=str(SHOTS / f"{name}-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})


def log_in(
    page: Page, frontend_url: str, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD
) -> None:
    page.goto(frontend_url)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Senha").fill(password)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", name="Olá")).to_be_visible()


def test_staff_places_an_order_and_sees_the_stock_reserved(
    browser: Browser, frontend_url: str, admin: ApiClient
):
    client = new_client(admin)
    product = new_product(admin, on_hand=5)  # R$ 27,90 a pacote
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url)
    form = page.get_by_test_id("new-order")

    form.get_by_label("Buscar cliente").fill(client["name"])
    form.get_by_label("Cliente", exact=True).select_option(label=client["name"])
    form.get_by_label("Buscar produto").fill(product["name"])
    form.get_by_label(f"Quantidade de {product['name']}").fill("2")
    expect(form.get_by_test_id("cart-total")).to_have_text("R$\u00a055,80")
    form.get_by_role("button", name="Enviar pedido").click()

    tracker = page.get_by_test_id("order-tracker")
    expect(tracker.get_by_test_id("tracked-stock-status")).to_have_attribute(
        "data-stock-status", "reserved", timeout=15_000
    )
    expect(tracker.get_by_test_id("tracked-stock-status")).to_have_text("Estoque reservado")
    (order,) = ok(admin.get("/orders", params={"client_id": client["id"]}))
    expect(tracker.get_by_role("heading")).to_have_text(f"Pedido nº {order['number']}")
    assert (order["total"], order["stock_status"]) == (55.8, "reserved")
    assert stock_of(admin, product["id"]) == {"on_hand": 5, "reserved": 2, "available": 3}
    recent = page.get_by_test_id("order-row").filter(has_text=client["name"])
    expect(recent).to_have_attribute("data-number", str(order["number"]))

    # More than is free: the order service refuses it with the stock's numbers; nothing is written.
    form.get_by_label(f"Quantidade de {product['name']}").fill("4")
    form.get_by_role("button", name="Enviar pedido").click()
    expect(form.get_by_test_id("order-error")).to_contain_text("Estoque insuficiente")
    expect(form.get_by_test_id("order-error")).to_contain_text("disponível 3")
    assert len(ok(admin.get("/orders", params={"client_id": client["id"]}))) == 1
    assert stock_of(admin, product["id"]) == {"on_hand": 5, "reserved": 2, "available": 3}

    # The next steps from the list: approve, then cancel, which gives the 2 units back.
    recent.get_by_role("button", name="Aprovar").click()
    expect(recent).to_have_attribute("data-status", "approved")
    assert ok(admin.get(f"/orders/{order['id']}"))["status"] == "approved"
    recent.get_by_role("button", name="Cancelar").click()
    expect(recent).to_have_attribute("data-status", "cancelled")
    expect(recent.get_by_role("button")).to_have_count(1)  # only the number, to open it
    recent.get_by_role("button", name=str(order["number"])).click()
    detail = page.get_by_test_id("order-detail")
    expect(detail.get_by_test_id("order-item")).to_have_text(
        [f"{product['name']}2 pctR$\u00a027,90R$\u00a055,80"]
    )
    expect(detail.get_by_test_id("history-entry")).to_have_count(3)
    expect(detail.get_by_test_id("history-entry").last).to_contain_text("Aprovado → Cancelado")
    orders = page.get_by_test_id("order-list")
    orders.get_by_label("Status", exact=True).select_option("cancelled")
    # Auto-waits for the filtered page: no row left with another status, ours first.
    others = orders.locator('[data-testid=order-row]:not([data-status="cancelled"])')
    expect(others).to_have_count(0)
    expect(orders.get_by_test_id("order-row").first).to_have_attribute(
        "data-number", str(order["number"])
    )
    wait_until(lambda: stock_of(admin, product["id"])["reserved"] == 0, timeout=15)
    assert stock_of(admin, product["id"]) == {"on_hand": 5, "reserved": 0, "available": 5}
    page.close()


def test_a_client_orders_for_itself_and_sees_only_its_orders(
    browser: Browser, frontend_url: str, api: ApiClient, admin: ApiClient
):
    someone_else = new_client(admin)
    product = new_product(admin, on_hand=10)
    line = {"product_id": product["id"], "quantity": 1}
    ok(admin.post("/orders", json={"client_id": someone_else["id"], "items": [line]}), 201)
    school = register_client_user(api)
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url, school.user["email"], CLIENT_PASSWORD)
    form = page.get_by_test_id("new-order")

    expect(form.get_by_label("Buscar produto")).to_be_visible()
    expect(form.get_by_label("Cliente", exact=True)).to_have_count(0)  # it orders for itself
    form.get_by_label("Buscar produto").fill(product["name"])
    form.get_by_label(f"Quantidade de {product['name']}").fill("3")
    form.get_by_role("button", name="Enviar pedido").click()

    expect(page.get_by_test_id("tracked-stock-status")).to_have_attribute(
        "data-stock-status", "reserved", timeout=15_000
    )
    (mine,) = ok(school.get("/orders"))
    assert (mine["client_id"], mine["total"]) == (school.user["client_id"], 83.7)
    expect(page.get_by_test_id("order-row")).to_have_count(1)  # not the other school's
    expect(page.get_by_test_id("order-row")).to_have_attribute("data-number", str(mine["number"]))
    assert stock_of(admin, product["id"]) == {"on_hand": 10, "reserved": 4, "available": 6}
    # A customer sees neither the services' state nor the staff's pages.
    expect(page.get_by_role("list", name="Serviços")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Páginas")).to_have_count(0)
    page.close()


def test_staff_records_a_receipt_and_cannot_take_out_reserved_units(
    browser: Browser, frontend_url: str, admin: ApiClient
):
    section = f"Seção e2e {uuid.uuid4().hex[:6]}"
    product = new_product(admin, on_hand=5, section=section)
    school = new_client(admin)
    line = {"product_id": product["id"], "quantity": 4}
    order = ok(admin.post("/orders", json={"client_id": school["id"], "items": [line]}), 201)
    wait_until(lambda: stock_of(admin, product["id"])["reserved"] == 4, timeout=15)
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url)
    stock = page.get_by_test_id("stock-levels")

    stock.get_by_label("Seção").fill(section)
    row = stock.get_by_test_id("stock-row")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-available", "1")
    row.get_by_role("button", name="Ajustar").click()
    adjustment = stock.get_by_test_id("adjustment")
    adjustment.get_by_label("Quantidade").fill("10")
    adjustment.get_by_label("Nota").fill("NF 1234")
    adjustment.get_by_role("button", name="Registrar ajuste").click()
    expect(row).to_have_attribute("data-available", "11")
    assert stock_of(admin, product["id"]) == {"on_hand": 15, "reserved": 4, "available": 11}
    (receipt,) = ok(admin.get(f"/stock/{product['id']}/movements", params={"cause": "receipt"}))
    assert (receipt["delta_on_hand"], receipt["note"]) == (10, "NF 1234")

    # A loss of 12 would eat into the 4 units reserved for the order: refused, nothing moves.
    row.get_by_role("button", name="Ajustar").click()
    adjustment.get_by_label("Motivo").select_option("loss")
    adjustment.get_by_label("Quantidade").fill("-12")
    adjustment.get_by_role("button", name="Registrar ajuste").click()
    expect(adjustment.get_by_test_id("adjustment-error")).to_contain_text(
        "Estoque livre insuficiente: disponível 11, saída pedida 12."
    )
    assert stock_of(admin, product["id"]) == {"on_hand": 15, "reserved": 4, "available": 11}
    assert ok(admin.get(f"/orders/{order['id']}"))["stock_status"] == "reserved"
    page.close()


def test_staff_imports_a_csv_and_reads_the_bad_lines_error_then_the_notifications(
    browser: Browser, frontend_url: str, admin: ApiClient
):
    school = new_client(admin)
    product = new_product(admin, on_hand=50)
    csv = (
        "order_ref,client_id,product_id,quantity,desired_delivery_date,notes\n"
        f"A,{school['id']},{product['id']},2,,\n"
        f"B,{school['id']},{product['id']},dois,,\n"
    )
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url)

    page.get_by_role("navigation", name="Páginas").get_by_role(
        "link", name="Importar pedidos"
    ).click()
    importer = page.get_by_test_id("import-page")
    importer.get_by_test_id("import-file").set_input_files(
        {"name": "pedidos.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    importer.get_by_role("button", name="Importar").click()

    result = importer.get_by_test_id("import-result")
    expect(result).to_have_attribute("data-state", "done")
    expect(result).to_contain_text("Concluída: 1 de 2 linhas viraram pedidos")
    expect(importer.get_by_test_id("import-line-3")).to_contain_text("quantity")
    expect(importer.get_by_test_id("import-line-3")).to_contain_text("dois")
    screenshots(page, "importar-pedidos")

    page.get_by_role("navigation", name="Páginas").get_by_role("link", name="Notificações").click()
    notifications = page.get_by_test_id("notifications-page")
    expect(notifications.get_by_role("heading", name="Notificações")).to_be_visible()
    expect(
        notifications.get_by_test_id("notifications-table").or_(
            notifications.get_by_text("Nenhuma notificação.")
        )
    ).to_be_visible()
    screenshots(page, "notificacoes")
    page.close()


def test_staff_reads_the_reports_with_charts_and_the_apis_refusal_of_a_reversed_window(
    browser: Browser, frontend_url: str, admin: ApiClient
):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    school = new_client(admin)
    product = new_product(admin, on_hand=20)
    body = {"client_id": school["id"], "items": [{"product_id": product["id"], "quantity": 2}]}
    ok(admin.post("/orders", json=body), 201)
    today = datetime.now(ZoneInfo("America/Sao_Paulo")).date()
    window = {"date_from": str(today - timedelta(days=9)), "date_to": str(today)}
    expected = ok(admin.get("/orders/reports/period", params={**window, "group_by": "client"}))
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url)

    page.get_by_role("navigation", name="Páginas").get_by_role("link", name="Relatórios").click()
    period = page.get_by_test_id("period-report")
    period.get_by_test_id("period-date-from").fill(window["date_from"])
    period.get_by_test_id("period-date-to").fill(window["date_to"])
    period.get_by_role("button", name="Gerar").click()

    figures = period.get_by_test_id("period-figures")
    orders = f"{expected['overall']['total_orders']:,}".replace(",", ".")
    expect(figures.locator("div.figure", has_text="Pedidos").locator("dd")).to_have_text(orders)
    expect(period.get_by_test_id("period-status-chart").locator("svg").first).to_be_visible()
    expect(period.get_by_test_id("period-top-clients")).to_be_visible()
    expect(page).to_have_url(f"{frontend_url}/relatorios?date_from={window['date_from']}"
                             f"&date_to={window['date_to']}")  # fmt: skip
    performance = page.get_by_test_id("performance-monthly-chart")
    expect(performance.locator("svg").first).to_be_visible()
    screenshots(page, "relatorios")

    # The API decides what a valid window is; the page shows its words.
    period.get_by_test_id("period-date-from").fill(window["date_to"])
    period.get_by_test_id("period-date-to").fill(window["date_from"])
    period.get_by_role("button", name="Gerar").click()
    refusal = admin.get("/orders/reports/period", params={
        "date_from": window["date_to"], "date_to": window["date_from"]})  # fmt: skip
    assert refusal.status_code == 400
    reason = refusal.json()["errors"][0]["message"]
    expect(period.get_by_test_id("period-report-error")).to_contain_text(reason)
    page.close()
