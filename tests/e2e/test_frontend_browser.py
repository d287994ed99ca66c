"""The frontend in a real browser (Debian's chromium), against the running system."""

from __future__ import annotations

import functools
import os
import re
import shutil
import struct
import subprocess
import threading
import uuid
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

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
    register_client_user,
    stock_of,
)
from tests.support.waiting import wait_until

SAO_PAULO = ZoneInfo("America/Sao_Paulo")  # frontend/src/i18n/format.ts BUSINESS_TIMEZONE

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


def test_login_shows_the_user_and_staff_every_service_ready(
    open_page: Callable[[], Page], frontend_url: str
):
    page = open_page()
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


# Refusals the flows provoke on purpose (a wrong password, a shortage, a reversed window)
# are 4xx, which chromium also logs as "Failed to load resource": those are expected.
EXPECTED_REFUSAL = re.compile(
    r"Failed to load resource: the server responded with a status of 4\d\d"
)


def watch(page: Page, problems: list[str]) -> Page:
    """Record what a user would suffer without seeing a message for it: a script error, a
    console error, a request that never got an answer (not one the app cancelled), a 5xx."""
    page.on("pageerror", lambda error: problems.append(f"{page.url}: script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: console: {message.text}")
            if message.type == "error" and not EXPECTED_REFUSAL.search(message.text)
            else None
        ),
    )
    page.on(
        "requestfailed",
        lambda request: (
            problems.append(f"failed: {request.method} {request.url} {request.failure}")
            if "ERR_ABORTED" not in (request.failure or "")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status}: {response.url}")
            if response.status >= 500
            else None
        ),
    )
    return page


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """New pages (pt-BR) watched for errors; the test fails if any page had one."""
    problems: list[str] = []
    pages: list[Page] = []

    def open_() -> Page:
        page = watch(browser.new_page(locale="pt-BR"), problems)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        if not page.is_closed():
            page.close()
    assert problems == []


def tiny_png() -> bytes:
    """A real 1×1 PNG (the stock service checks an image's content, not its name)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


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
    open_page: Callable[[], Page], frontend_url: str, admin: ApiClient
):
    client = new_client(admin)
    product = new_product(admin, on_hand=5)  # R$ 27,90 a pacote
    page = open_page()
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
    open_page: Callable[[], Page], frontend_url: str, admin: ApiClient
):
    school = new_client(admin)
    product = new_product(admin, on_hand=20)
    line = {"product_id": product["id"], "quantity": 1}
    orders = [
        ok(admin.post("/orders", json={"client_id": school["id"], "items": [line]}), 201)
        for _ in range(3)
    ]
    wait_until(lambda: stock_of(admin, product["id"])["reserved"] == 3, timeout=15)
    page = open_page()
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


def test_a_client_signs_up_shops_changes_a_quantity_and_cancels_another_order(
    open_page: Callable[[], Page], frontend_url: str, admin: ApiClient
):
    rice, beans = new_product(admin, on_hand=10), new_product(admin, on_hand=10)  # R$ 27,90
    email = f"escola-{uuid.uuid4().hex[:8]}@example.com"
    page = open_page()
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
    for product, quantity in ((rice, "3"), (beans, "1")):
        # Searched for (Enter submits), not hoped to be on the first page: the suite makes
        # many "Arroz e2e …" products, and the list pages by name.
        catalogue.get_by_test_id("shop-search").fill(product["name"])
        catalogue.get_by_test_id("shop-search").press("Enter")
        card = catalogue.get_by_test_id("shop-product").filter(has_text=product["name"])
        card.get_by_test_id("shop-add-quantity").fill(quantity)
        card.get_by_test_id("shop-add").click()
        expect(card.get_by_test_id("shop-product-in-cart")).to_be_visible()
    screenshots(page, "loja")
    menu(page, "Carrinho")
    cart = page.get_by_test_id("shop-cart")
    expect(cart.get_by_test_id("shop-cart-total")).to_contain_text("R$\u00a0111,60")
    screenshots(page, "carrinho")
    cart.get_by_test_id("shop-place-order").click()

    order_page = page.get_by_test_id("shop-order")
    expect(order_page).to_be_visible(timeout=15_000)
    (mine,) = ok(admin.get("/orders", params={"product_id": rice["id"]}))
    assert mine["total"] == 111.6
    assert ok(admin.get(f"/orders/{mine['id']}"))["client"]["name"] == "Escola Estadual do Teste"
    # Reserved while the page is open: no reload.
    expect(order_page.get_by_text("Estoque reservado").first).to_be_visible(timeout=15_000)
    beans_line = order_page.get_by_test_id("shop-order-line").filter(has_text=beans["name"])
    beans_line.get_by_test_id("shop-order-quantity").fill("2")
    beans_line.get_by_test_id("shop-order-change").click()
    wait_until(lambda: ok(admin.get(f"/orders/{mine['id']}"))["total"] == 139.5, timeout=10)
    wait_until(lambda: stock_of(admin, beans["id"])["reserved"] == 2, timeout=15)
    screenshots(page, "meu-pedido")

    # A second order, given up while pending.
    menu(page, "Loja")
    catalogue.get_by_test_id("shop-search").fill(rice["name"])
    catalogue.get_by_test_id("shop-search").press("Enter")
    card = catalogue.get_by_test_id("shop-product").filter(has_text=rice["name"])
    card.get_by_test_id("shop-add-quantity").fill("1")
    card.get_by_test_id("shop-add").click()
    menu(page, "Carrinho")
    cart.get_by_test_id("shop-place-order").click()
    expect(order_page).to_be_visible(timeout=15_000)
    second = wait_until(
        lambda: next(
            (o for o in ok(admin.get("/orders", params={"product_id": rice["id"]}))
             if o["id"] != mine["id"]), None),
        timeout=10,
    )  # fmt: skip
    expect(order_page.get_by_text("Estoque reservado").first).to_be_visible(timeout=15_000)
    order_page.get_by_role("button", name="Cancelar pedido").click()
    order_page.get_by_test_id("shop-order-confirm").click()
    wait_until(
        lambda: ok(admin.get(f"/orders/{second['id']}"))["status"] == "cancelled", timeout=10
    )
    menu(page, "Meus pedidos")
    expect(page.get_by_test_id("shop-order-row")).to_have_count(2)
    screenshots(page, "meus-pedidos")
    # A customer sees neither the services' state nor the staff's pages.
    expect(page.get_by_role("list", name="Serviços")).to_have_count(0)
    page.goto(f"{frontend_url}/pedidos")
    expect(page.get_by_test_id("not-allowed")).to_be_visible()

    # Staff approve the first order from its page.
    staff = open_page()
    log_in(staff, frontend_url, path=f"/pedidos/{mine['id']}")
    staff.get_by_test_id("action-approved").click()
    wait_until(lambda: ok(admin.get(f"/orders/{mine['id']}"))["status"] == "approved", timeout=10)
    wait_until(lambda: stock_of(admin, rice["id"])["reserved"] == 3, timeout=15)


def test_staff_creates_a_product_with_a_photo(
    open_page: Callable[[], Page], frontend_url: str, admin: ApiClient
):
    name = f"Feijão e2e {uuid.uuid4().hex[:8]}"
    page = open_page()
    log_in(page, frontend_url, path="/produtos/novo")
    form = page.get_by_test_id("product-form")
    form.get_by_label("Nome").fill(name)
    form.get_by_label("Preço").fill("8,49")
    form.get_by_label("Seção").fill("Mercearia")
    form.get_by_label("Estoque inicial").fill("7")
    form.get_by_test_id("product-save").click()
    expect(page.get_by_test_id("product-created")).to_be_visible()

    page.get_by_test_id("image-file").set_input_files(
        {"name": "feijao.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    expect(page.get_by_test_id("image-preview")).to_be_visible()
    page.get_by_test_id("image-send").click()
    expect(page.get_by_test_id("product-image")).to_have_count(1)
    (product,) = ok(admin.get("/products", params={"q": name}))
    assert (product["price"], product["stock"]["on_hand"], len(product["images"])) == (8.49, 7, 1)
    screenshots(page, "produto-novo")
    page.goto(f"{frontend_url}/produtos?q={name}")
    expect(page.get_by_test_id("product-row")).to_have_count(1)
    screenshots(page, "produtos")


def test_admin_creates_a_staff_user_who_then_signs_in(
    open_page: Callable[[], Page], frontend_url: str, admin: ApiClient
):
    email = f"equipe-{uuid.uuid4().hex[:8]}@example.com"
    page = open_page()
    log_in(page, frontend_url, path="/usuarios")
    users = page.get_by_test_id("users-page")
    users.get_by_test_id("user-new").click()
    form = users.get_by_test_id("user-form")
    form.get_by_label("Nome").fill("Maria da Equipe")
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Senha").fill(CLIENT_PASSWORD)
    form.get_by_test_id("user-role").select_option("staff")
    form.get_by_test_id("user-save").click()
    expect(users.get_by_test_id("user-row").filter(has_text=email)).to_be_visible()
    screenshots(page, "usuarios")

    staff = open_page()
    log_in(staff, frontend_url, email, CLIENT_PASSWORD)
    expect(staff).to_have_url(f"{frontend_url}/painel")
    nav = staff.get_by_role("navigation", name="Páginas")
    expect(nav.get_by_role("link", name="Pedidos", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Usuários", exact=True)).to_have_count(0)  # admin only
    page.goto(f"{frontend_url}/clientes")
    screenshots(page, "clientes")


def test_staff_records_a_receipt_and_cannot_take_out_reserved_units(
    open_page: Callable[[], Page], frontend_url: str, admin: ApiClient
):
    product = new_product(admin, on_hand=5)
    school = new_client(admin)
    line = {"product_id": product["id"], "quantity": 4}
    order = ok(admin.post("/orders", json={"client_id": school["id"], "items": [line]}), 201)
    wait_until(lambda: stock_of(admin, product["id"])["reserved"] == 4, timeout=15)
    page = open_page()
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
    open_page: Callable[[], Page], frontend_url: str, api: ApiClient, admin: ApiClient
):
    section = f"Seção e2e {uuid.uuid4().hex[:6]}"
    supplier = ok(admin.post("/suppliers", json={
        "name": f"Fornecedor e2e {uuid.uuid4().hex[:6]}", "cnpj": new_cnpj(), "active": True,
    }), 201)  # fmt: skip
    new_product(admin, on_hand=2, section=section, ideal_quantity=50, supplier_id=supplier["id"])
    page = open_page()
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
    desk = open_page()
    log_in(desk, frontend_url, user["email"], CLIENT_PASSWORD)
    expect(desk).to_have_url(f"{frontend_url}/fornecedor")
    desk.get_by_test_id("supplier-order-row").filter(
        has_text=str(replenishment["number"])
    ).get_by_role("link").first.click()
    moves = desk.get_by_test_id("supplier-moves")
    for status in ("processing", "shipped"):  # the buttons the order offers, one after another
        moves.get_by_role("button").first.click()
        wait_until(
            lambda status=status: (
                ok(admin.get(f"/orders/{replenishment['id']}"))["status"] == status
            ),
            timeout=10,
        )
    screenshots(desk, "fornecedor")
    desk.close()


AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def pages_of_every_role(api: ApiClient, admin: ApiClient) -> tuple[dict, list[str]]:
    """Every page of the app by who signs in to see it (with data on each), and the ids in
    their paths (a screenshot's name says `id` instead)."""
    supplier = ok(admin.post("/suppliers", json={
        "name": f"Fornecedor e2e {uuid.uuid4().hex[:6]}", "cnpj": new_cnpj(), "active": True,
    }), 201)  # fmt: skip
    section = f"Seção e2e {uuid.uuid4().hex[:6]}"
    product = new_product(
        admin, on_hand=50, supplier_id=supplier["id"], ideal_quantity=1000, section=section
    )
    school = register_client_user(api)
    line = {"product_id": product["id"], "quantity": 1}
    own = ok(school.post("/orders", json={"items": [line]}), 201)
    supplier_user = ok(admin.post("/auth/users", json={
        "name": "Fornecedor do teste", "email": f"forn-{uuid.uuid4().hex[:8]}@example.com",
        "password": CLIENT_PASSWORD, "role": "supplier", "supplier_id": supplier["id"],
    }), 201)  # fmt: skip
    run = ok(admin.post("/orders/auto/low-stock", json={"section": section}), 201)
    (planned,) = run["details"]
    pages = {
        (ADMIN_EMAIL, ADMIN_PASSWORD): [
            "/painel", "/pedidos", "/pedidos/novo", f"/pedidos/{own['id']}", "/produtos",
            "/produtos/novo", f"/produtos/{product['id']}", "/fornecedores",
            f"/fornecedores/{supplier['id']}", "/reposicao", "/clientes",
            f"/clientes/{school.user['client_id']}", "/usuarios", "/relatorios", "/importacoes",
            "/notificacoes",
        ],
        (school.user["email"], CLIENT_PASSWORD): [
            "/loja", "/loja/carrinho", "/meus-pedidos", f"/meus-pedidos/{own['id']}",
        ],
        (supplier_user["email"], CLIENT_PASSWORD): [
            "/fornecedor", f"/fornecedor/pedidos/{planned['order_id']}",
        ],
    }  # fmt: skip
    ids = [own["id"], product["id"], supplier["id"], school.user["client_id"], planned["order_id"]]
    return pages, ids


def settled(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    expect(page.locator("[aria-busy=true]")).to_have_count(0, timeout=10_000)


def test_every_page_of_every_role_passes_axe_and_is_photographed(
    open_page: Callable[[], Page], frontend_url: str, api: ApiClient, admin: ApiClient
):
    """Each page once, as the role it is for: no serious or critical accessibility finding,
    no script or console error, no failed request; a screenshot at 1280 and 375 px each."""
    pages, ids = pages_of_every_role(api, admin)
    found: dict[str, list[str]] = {}

    anonymous = open_page()
    anonymous.goto(f"{frontend_url}/cadastro")
    expect(anonymous.get_by_test_id("shop-sign-up")).to_be_visible()
    found["/cadastro"] = serious_violations(anonymous)
    screenshots(anonymous, "cadastro")
    for (email, password), paths in pages.items():
        page = open_page()
        log_in(page, frontend_url, email, password, path=paths[0])
        for path in paths:
            settled(page, f"{frontend_url}{path}")
            found[path] = serious_violations(page)
            name = path.strip("/").replace("/", "-")
            for identifier in ids:
                name = name.replace(identifier, "id")
            screenshots(page, name)
    assert {path: problems for path, problems in found.items() if problems} == {}


# Words of the app's own Portuguese (not of the data, where names and notes stay as typed,
# nor the brand, "Pedidos"; a notification's template, "Novo pedido", is data too).
PORTUGUESE_WORDS = re.compile(
    r"\b(Carregando|Próxima|Anterior|Buscar|Filtrar|Salvar|Sair|Painel|Produtos|"
    r"Clientes|Relatórios|Fornecedores|Usuários|Reposição de estoque|Status dos serviços|"
    r"Nenhuma?|Página|Loja|Carrinho|Meus pedidos|Quantidade|Adicionar|Situação|Disponível|"
    r"Indisponível|Observações|Voltar|Cancelar|Remover|Itens|Histórico|Pendente|Reservado|"
    r"Aprovado|Enviado|Entregue|Ações|Telefone|Cadastrar|Criar conta|Entrar|Senha|Idioma)\b"
)


def test_the_app_speaks_english_when_asked_and_the_api_answers_in_it(
    open_page: Callable[[], Page], frontend_url: str, api: ApiClient, admin: ApiClient
):
    """Every page of every role, and the sign-up page, in English: none of the app's own
    Portuguese words is left (the data stays as typed)."""
    pages, ids = pages_of_every_role(api, admin)
    left_in_portuguese = {}

    def scan(page: Page, path: str) -> None:
        settled(page, f"{frontend_url}{path}")
        words = sorted(set(PORTUGUESE_WORDS.findall(page.locator("body").inner_text())))
        if words:
            left_in_portuguese[path] = words
        name = path.strip("/").replace("/", "-")
        for identifier in ids:
            name = name.replace(identifier, "id")
        SHOTS.mkdir(exist_ok=True)  # the English pages, on a desktop
        page.screenshot(path=str(SHOTS / f"en-{name}.png"), full_page=True)

    anonymous = open_page()
    anonymous.goto(f"{frontend_url}/cadastro")
    anonymous.get_by_label("Idioma").select_option("en")
    scan(anonymous, "/cadastro")
    for (email, password), paths in pages.items():
        page = open_page()
        log_in(page, frontend_url, email, password, path=paths[0])
        page.get_by_label("Idioma").select_option("en")
        expect(page.get_by_test_id("logout-button")).to_have_text("Sign out")
        for path in paths:
            scan(page, path)
    assert left_in_portuguese == {}

    page = open_page()
    log_in(page, frontend_url, path="/relatorios?date_from=2026-02-01&date_to=2026-01-01")
    page.get_by_label("Idioma").select_option("en")  # while the report is still on its way
    # The API's refusal, in English too (Accept-Language follows the switch).
    refusal = page.get_by_test_id("period-report-error")
    expect(refusal).to_contain_text("date_from")
    expect(refusal).to_contain_text("date_from cannot be after date_to.")
    expect(refusal).to_contain_text("Request id")
    page.get_by_label("Language").select_option("pt-BR")
    page.close()


def test_staff_imports_a_csv_and_reads_the_bad_lines_error_then_the_notifications(
    open_page: Callable[[], Page], frontend_url: str, admin: ApiClient
):
    school = new_client(admin)
    product = new_product(admin, on_hand=50)
    csv = (
        "order_ref,client_id,product_id,quantity,desired_delivery_date,notes\n"
        f"A,{school['id']},{product['id']},2,,\n"
        f"B,{school['id']},{product['id']},dois,,\n"
    )
    page = open_page()
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

    # An approved order: without WhatsApp configured (as here), a `skipped` notification.
    line = {"product_id": product["id"], "quantity": 1}
    order = ok(admin.post("/orders", json={"client_id": school["id"], "items": [line]}), 201)
    wait_until(
        lambda: ok(admin.get(f"/orders/{order['id']}"))["stock_status"] == "reserved", timeout=15
    )
    ok(admin.put(f"/orders/{order['id']}", json={"status": "approved"}))
    [recorded] = wait_until(
        lambda: ok(admin.get("/notifications", params={"order_id": order["id"]})), timeout=15
    )

    menu(page, "Notificações")
    notifications = page.get_by_test_id("notifications-page")
    expect(notifications.get_by_role("heading", name="Notificações")).to_be_visible()
    # Newest first: the order's row is on the first page; "nº 12 (" is not "nº 123 (".
    row = notifications.get_by_test_id("notification-row").filter(
        has_text=f"nº {order['number']} ("
    )
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "skipped")
    cells = row.get_by_role("cell")
    # When it was recorded, as a Brasília clock reads it (the app's BUSINESS_TIMEZONE).
    recorded_at = datetime.fromisoformat(recorded["created_at"]).astimezone(SAO_PAULO)
    expect(cells.nth(0)).to_contain_text(recorded_at.strftime("%d/%m/%Y"))
    expect(cells.nth(0)).to_contain_text(recorded_at.strftime("%H:%M"))
    expect(cells.nth(1)).to_have_text("+5511987654321")  # new_client's phone, in E.164
    expect(cells.nth(2)).to_contain_text(school["name"])
    expect(cells.nth(3)).to_contain_text("Não enviada")  # notifications:statuses.skipped
    expect(cells.nth(3)).to_contain_text("WhatsApp não configurado")
    screenshots(page, "notificacoes")

    # A period before any of them: nothing; cleared again, the row is back.
    notifications.get_by_test_id("notifications-date-from").fill("2020-01-01")
    notifications.get_by_test_id("notifications-date-to").fill("2020-01-31")
    expect(notifications.get_by_text("Nenhuma notificação.")).to_be_visible()
    notifications.get_by_test_id("notifications-date-from").fill("")
    notifications.get_by_test_id("notifications-date-to").fill("")
    expect(row).to_have_count(1)
    # From the row to its order.
    row.get_by_role("link", name="Ver o pedido").click()
    expect(page.get_by_test_id("order-page")).to_have_attribute("data-status", "approved")
    expect(page).to_have_url(re.compile(f"/pedidos/{order['id']}$"))
    page.close()


def test_staff_reads_the_reports_with_charts_and_the_apis_refusal_of_a_reversed_window(
    open_page: Callable[[], Page], frontend_url: str, admin: ApiClient
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
    page = open_page()
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
