import pytest

from shared.documents import is_valid_cnpj, is_valid_cpf, is_valid_gtin, only_digits


@pytest.mark.parametrize("cpf", ["529.982.247-25", "52998224725", "111.444.777-35"])
def test_valid_cpfs(cpf):
    assert is_valid_cpf(cpf)


@pytest.mark.parametrize("cpf", ["529.982.247-24", "111.111.111-11", "123", ""])
def test_invalid_cpfs(cpf):
    assert not is_valid_cpf(cpf)


@pytest.mark.parametrize("cnpj", ["11.222.333/0001-81", "11222333000181", "45.723.174/0001-10"])
def test_valid_cnpjs(cnpj):
    assert is_valid_cnpj(cnpj)


@pytest.mark.parametrize("cnpj", ["11.222.333/0001-80", "00.000.000/0000-00", "1122233300018"])
def test_invalid_cnpjs(cnpj):
    assert not is_valid_cnpj(cnpj)


@pytest.mark.parametrize("code", ["7891000315507", "96385074", "036000291452", "17891000315504"])
def test_valid_gtins(code):
    assert is_valid_gtin(code)


@pytest.mark.parametrize("code", ["7891000315508", "96385075", "12345", "abcdefgh", ""])
def test_invalid_gtins(code):
    assert not is_valid_gtin(code)


def test_only_digits_strips_punctuation():
    assert only_digits("11.222.333/0001-81") == "11222333000181"
