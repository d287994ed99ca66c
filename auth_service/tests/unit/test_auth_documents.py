import pytest

from auth_service.domain.documents import (
    is_valid_cnpj,
    is_valid_cpf,
    normalise_document,
    normalise_phone,
)
from auth_service.domain.errors import InvalidDocument, InvalidPhone


@pytest.mark.parametrize("cpf", ["52998224725", "11144477735", "00000000191"])
def test_valid_cpfs_pass(cpf):
    assert is_valid_cpf(cpf)


@pytest.mark.parametrize(
    "cpf", ["52998224724", "52998224715", "11111111111", "5299822472", "5299822472a"]
)
def test_cpfs_with_wrong_check_digits_or_shape_fail(cpf):
    assert not is_valid_cpf(cpf)


@pytest.mark.parametrize("cnpj", ["11222333000181", "11444777000161"])
def test_valid_cnpjs_pass(cnpj):
    assert is_valid_cnpj(cnpj)


@pytest.mark.parametrize("cnpj", ["11222333000182", "11222333000191", "00000000000000"])
def test_cnpjs_with_wrong_check_digits_fail(cnpj):
    assert not is_valid_cnpj(cnpj)


def test_documents_are_stored_as_digits_whatever_the_punctuation():
    assert normalise_document("529.982.247-25") == "52998224725"
    assert normalise_document("11.222.333/0001-81") == "11222333000181"


@pytest.mark.parametrize(
    ("raw", "english"),
    [
        ("529.982.247-24", "Invalid CPF: wrong check digit."),
        ("11.222.333/0001-82", "Invalid CNPJ: wrong check digit."),
        ("123", "Enter a CPF (11 digits) or a CNPJ (14 digits)."),
        ("529x982x247x25", "Enter a CPF (11 digits) or a CNPJ (14 digits)."),
    ],
)
def test_bad_documents_are_refused_with_a_reason(raw, english):
    with pytest.raises(InvalidDocument) as refused:
        normalise_document(raw)

    assert refused.value.en == english


def test_phones_keep_only_their_digits():
    assert normalise_phone("(11) 91234-5678") == "11912345678"
    assert normalise_phone("+55 11 91234-5678") == "5511912345678"


@pytest.mark.parametrize("raw", ["1234", "(11) 9123-abcd", "+55 11 91234-5678-99999"])
def test_implausible_phones_are_refused(raw):
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)
