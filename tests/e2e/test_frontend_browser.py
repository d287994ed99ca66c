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
from tests.support.documents import random_cnpj as new_cnpj
from tests.support.e2e_builders import (
    CLIENT_PASSWORD,
    new_client,
    new_product,
    ok,
    stock_of,
)
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files, and index.html for any other path (deep links), as nginx.conf does."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):  # noqa: ANN201 - SimpleHTTPRequestHandler's own signature
        path = Path(self.translate_path(self.path))
        if not path.exists():
            self.path = "/index.html"
        return super().send_head()


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
    expect(page).to_have_url(f"{frontend_url}/painel")
    expect(page.get_by_test_id("user-role")).to_have_attribute("data-role", "admin")
    expect(page.get_by_test_id("user-role")).to_have_text("Administrador")
    services = page.get_by_role("list", name="Serviços")
    for name in ("auth_service", "order_service", "stock_service"):
        expect(services.get_by_test_id(f"service-{name}")).to_have_attribute(
            "data-state", "ready", timeout=10_000
        )
    # The admin's menu holds every staff page and the users.
    menu = page.get_by_role("navigation", name="Páginas")
    for label in ("Painel", "Pedidos", "Produtos", "Clientes", "Relatórios", "Usuários"):
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    screenshots(page, "painel")

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
    page: Page,
    frontend_url: str,
    email: str = ADMIN_EMAIL,
    password: str = ADMIN_PASSWORD,
    path: str = "/",
) -> None:
    """Open `path` signed out, sign in there: the same page then opens (URL remembered)."""
    page.goto(f"{frontend_url}{path}")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Senha").fill(password)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_test_id("logout-button")).to_be_visible()


def menu(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Páginas").get_by_role(
        "link", name=label, exact=True
    ).click()


def test_staff_places_an_order_and_follows_it_through_its_allowed_steps(
    browser: Browser, frontend_url: str, admin: ApiClient
):
    client = new_client(admin)
    product = new_product(admin, on_hand=5)  # R$ 27,90 a pacote
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url, path="/pedidos/novo")
    form = page.get_by_test_id("new-order")

    form.get_by_label("Cliente do pedido").fill(client["name"])
    form.get_by_role("button", name=client["name"]).click()
    form.get_by_label("Buscar produto").fill(product["name"])
    form.get_by_role("button", name=f"Adicionar {product['name']} ao pedido").click()
    form.get_by_test_id("cart-quantity").fill("2")
    expect(form.get_by_test_id("cart-total")).to_contain_text("R$\u00a055,80")
    screenshots(page, "novo-pedido")
    form.get_by_test_id("order-submit").click()

    (order,) = wait_until(
        lambda: ok(admin.get("/orders", params={"client_id": client["id"]})) or None, timeout=15
    )
    expect(page).to_have_url(f"{frontend_url}/pedidos/{order['id']}")
    detail = page.get_by_test_id("order-page")
    # The saga answers while the page is open: it follows without a reload.
    expect(detail.get_by_test_id("order-stock-status")).to_have_attribute(
        "data-stock-status", "reserved", timeout=15_000
    )
    assert stock_of(admin, product["id"]) == {"on_hand": 5, "reserved": 2, "available": 3}
    actions = detail.get_by_test_id("status-actions")
    expect(actions.get_by_role("button")).to_have_text(["Aprovar", "Cancelar pedido"])
    screenshots(page, "pedido")

    actions.get_by_test_id("action-approved").click()
    expect(actions.get_by_role("button")).to_have_text(["Iniciar preparação", "Cancelar pedido"])
    assert ok(admin.get(f"/orders/{order['id']}"))["status"] == "approved"
    actions.get_by_test_id("action-cancelled").click()
    detail.get_by_test_id("status-confirm-yes").click()  # asked first: it cannot be undone
    expect(detail.get_by_test_id("no-actions")).to_be_visible()
    expect(detail.get_by_test_id("history-entry")).to_have_count(3)
    wait_until(lambda: stock_of(admin, product["id"])["reserved"] == 0, timeout=15)

    # The list, filtered in the URL: the cancelled order is there.
    page.goto(f"{frontend_url}/pedidos?status=cancelled&client_id={client['id']}")
    row = page.get_by_test_id("order-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(str(order["number"]))
    screenshots(page, "pedidos")
    page.close()


def test_staff_approves_orders_in_bulk_from_the_list(
    browser: Browser, frontend_url: str, admin: ApiClient
):
    school = new_client(admin)
    product = new_product(admin, on_hand=20)
    line = {"product_id": product["id"], "quantity": 1}
    orders = [
        ok(admin.post("/orders", json={"client_id": school["id"], "items": [line]}), 201)
        for _ in range(3)
    ]
    wait_until(lambda: stock_of(admin, product["id"])["reserved"] == 3, timeout=15)
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url, path=f"/pedidos?client_id={school['id']}")

    expect(page.get_by_test_id("order-row")).to_have_count(3)
    page.get_by_test_id("select-page").check()
    bulk = page.get_by_test_id("bulk-bar")
    bulk.get_by_label("Novo status").select_option("approved")
    bulk.get_by_test_id("bulk-apply").click()

    expect(page.get_by_test_id("bulk-result")).to_contain_text("3 de 3 pedidos alterados")
    for order in orders:
        assert ok(admin.get(f"/orders/{order['id']}"))["status"] == "approved"
    page.close()


def test_a_client_signs_up_shops_and_cancels_its_own_order(
    browser: Browser, frontend_url: str, admin: ApiClient
):
    product = new_product(admin, on_hand=10)  # R$ 27,90
    email = f"escola-{uuid.uuid4().hex[:8]}@example.com"
    page = browser.new_page(locale="pt-BR")
    page.goto(f"{frontend_url}/cadastro")
    signup = page.get_by_test_id("shop-sign-up")
    signup.get_by_label("Nome completo ou razão social").fill("Escola Estadual do Teste")
    signup.get_by_label("E-mail").fill(email)
    signup.get_by_label("Senha", exact=True).fill(CLIENT_PASSWORD)
    signup.get_by_label("Confirme a senha").fill(CLIENT_PASSWORD)
    signup.get_by_label("CPF ou CNPJ").fill("11.222.333/0001-00")  # wrong check digits
    signup.get_by_label("Telefone (WhatsApp)").fill("11987654321")
    signup.get_by_test_id("shop-sign-up-submit").click()
    expect(signup.get_by_text("CNPJ inválido: confira os dígitos.")).to_be_visible()
    signup.get_by_label("CPF ou CNPJ").fill("11.222.333/0001-81")
    signup.get_by_test_id("shop-sign-up-submit").click()

    expect(page).to_have_url(f"{frontend_url}/loja")
    catalogue = page.get_by_test_id("shop-catalogue")
    catalogue.get_by_test_id("shop-search").fill(product["name"])
    card = catalogue.get_by_test_id("shop-product").filter(has_text=product["name"])
    card.get_by_test_id("shop-add-quantity").fill("3")
    card.get_by_test_id("shop-add").click()
    screenshots(page, "loja")
    menu(page, "Carrinho")
    cart = page.get_by_test_id("shop-cart")
    expect(cart.get_by_test_id("shop-cart-total")).to_contain_text("R$\u00a083,70")
    cart.get_by_test_id("shop-place-order").click()

    order_page = page.get_by_test_id("shop-order")
    expect(order_page).to_be_visible(timeout=15_000)
    (mine,) = ok(admin.get("/orders", params={"product_id": product["id"]}))
    assert mine["total"] == 83.7
    assert ok(admin.get(f"/orders/{mine['id']}"))["client"]["name"] == "Escola Estadual do Teste"
    expect(page.get_by_text("Estoque reservado").first).to_be_visible(timeout=15_000)
    screenshots(page, "meu-pedido")
    order_page.get_by_role("button", name="Cancelar pedido").click()
    order_page.get_by_test_id("shop-order-confirm").click()
    wait_until(lambda: ok(admin.get(f"/orders/{mine['id']}"))["status"] == "cancelled", timeout=10)
    wait_until(lambda: stock_of(admin, product["id"])["reserved"] == 0, timeout=15)
    # A customer sees neither the services' state nor the staff's pages.
    expect(page.get_by_role("list", name="Serviços")).to_have_count(0)
    page.goto(f"{frontend_url}/pedidos")
    expect(page.get_by_test_id("not-allowed")).to_be_visible()
    page.close()


def test_staff_records_a_receipt_and_cannot_take_out_reserved_units(
    browser: Browser, frontend_url: str, admin: ApiClient
):
    product = new_product(admin, on_hand=5)
    school = new_client(admin)
    line = {"product_id": product["id"], "quantity": 4}
    order = ok(admin.post("/orders", json={"client_id": school["id"], "items": [line]}), 201)
    wait_until(lambda: stock_of(admin, product["id"])["reserved"] == 4, timeout=15)
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url, path=f"/produtos/{product['id']}")

    figures = page.get_by_test_id("stock-figures")
    expect(figures).to_have_attribute("data-available", "1")
    page.get_by_test_id("adjust-open").click()
    adjustment = page.get_by_test_id("adjustment")
    adjustment.get_by_label("Quantidade").fill("10")
    adjustment.get_by_label("Nota").fill("NF 1234")
    adjustment.get_by_role("button", name="Registrar ajuste").click()
    expect(figures).to_have_attribute("data-available", "11")
    assert stock_of(admin, product["id"]) == {"on_hand": 15, "reserved": 4, "available": 11}
    (receipt,) = ok(admin.get(f"/stock/{product['id']}/movements", params={"cause": "receipt"}))
    assert (receipt["delta_on_hand"], receipt["note"]) == (10, "NF 1234")

    # A loss of 12 would eat into the 4 units reserved for the order: refused, nothing moves.
    page.get_by_test_id("adjust-open").click()
    adjustment.get_by_label("Motivo").select_option("loss")
    adjustment.get_by_label("Quantidade").fill("-12")
    adjustment.get_by_role("button", name="Registrar ajuste").click()
    expect(adjustment.get_by_test_id("adjustment-error")).to_contain_text(
        "Estoque livre insuficiente: disponível 11, saída pedida 12."
    )
    assert stock_of(admin, product["id"]) == {"on_hand": 15, "reserved": 4, "available": 11}
    assert ok(admin.get(f"/orders/{order['id']}"))["stock_status"] == "reserved"
    screenshots(page, "produto")
    page.close()


def test_replenishment_is_simulated_confirmed_and_moved_by_its_supplier(
    browser: Browser, frontend_url: str, api: ApiClient, admin: ApiClient
):
    section = f"Seção e2e {uuid.uuid4().hex[:6]}"
    supplier = ok(admin.post("/suppliers", json={
        "name": f"Fornecedor e2e {uuid.uuid4().hex[:6]}", "cnpj": new_cnpj(), "active": True,
    }), 201)  # fmt: skip
    new_product(admin, on_hand=2, section=section, ideal_quantity=50, supplier_id=supplier["id"])
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url, path="/reposicao")

    form = page.get_by_test_id("replenishment-form")
    form.get_by_label("Seção").fill(section)
    page.get_by_test_id("replenishment-simulate").click()
    planned = page.get_by_test_id("planned-line")
    expect(planned).to_have_count(1)
    expect(planned).to_contain_text("48")  # ideal 50 − available 2
    assert ok(admin.get("/orders", params={"supplier_id": supplier["id"]})) == []  # a simulation
    screenshots(page, "reposicao")
    page.get_by_test_id("replenishment-confirm").click()
    expect(page.get_by_test_id("replenishment-created")).to_be_visible()
    (replenishment,) = ok(admin.get("/orders", params={"supplier_id": supplier["id"]}))
    assert replenishment["type"] == "replenishment"
    page.close()

    # The supplier's desk: the order addressed to it, moved along by its own buttons.
    user = ok(admin.post("/auth/users", json={
        "name": "Fornecedor do teste", "email": f"forn-{uuid.uuid4().hex[:8]}@example.com",
        "password": CLIENT_PASSWORD, "role": "supplier", "supplier_id": supplier["id"],
    }), 201)  # fmt: skip
    ok(admin.put(f"/orders/{replenishment['id']}", json={"status": "approved"}))
    desk = browser.new_page(locale="pt-BR")
    log_in(desk, frontend_url, user["email"], CLIENT_PASSWORD)
    expect(desk).to_have_url(f"{frontend_url}/fornecedor")
    desk.get_by_test_id("supplier-order-row").filter(
        has_text=str(replenishment["number"])
    ).get_by_role("link").first.click()
    moves = desk.get_by_test_id("supplier-moves")
    moves.get_by_role("button").first.click()
    wait_until(
        lambda: ok(admin.get(f"/orders/{replenishment['id']}"))["status"] == "processing",
        timeout=10,
    )
    screenshots(desk, "fornecedor")
    desk.close()


def test_the_main_pages_have_no_serious_accessibility_violations(
    browser: Browser, frontend_url: str
):
    """axe-core, the rules a screen reader user would trip on first (serious and critical)."""
    axe = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url, path="/painel")
    found = {}
    for path in ("/painel", "/pedidos", "/pedidos/novo", "/produtos", "/clientes", "/relatorios",
                 "/reposicao", "/usuarios"):  # fmt: skip
        page.goto(f"{frontend_url}{path}")
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(axe))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])})"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[path] = serious
    page.close()
    assert found == {}


def test_the_app_speaks_english_when_asked_and_the_api_answers_in_it(
    browser: Browser, frontend_url: str
):
    page = browser.new_page(locale="pt-BR")
    log_in(page, frontend_url, path="/painel")

    page.get_by_label("Idioma").select_option("en")

    menu_nav = page.get_by_role("navigation", name="Pages")
    expect(menu_nav.get_by_role("link", name="Orders", exact=True)).to_be_visible()
    page.goto(f"{frontend_url}/relatorios?date_from=2026-02-01&date_to=2026-01-01")
    # The API's refusal, in English too (Accept-Language follows the switch).
    expect(page.get_by_test_id("period-report-error")).to_contain_text("date_from")
    page.get_by_label("Language").select_option("pt-BR")
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

    menu(page, "Importar pedidos")
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

    menu(page, "Notificações")
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

    menu(page, "Relatórios")
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
