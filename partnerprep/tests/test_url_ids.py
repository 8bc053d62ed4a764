import pytest

BEYOND_64_BITS = "9223372036854775808"


@pytest.mark.parametrize(
    "path",
    [
        f"/partnerships/{BEYOND_64_BITS}/",
        f"/partnerships/{BEYOND_64_BITS}/rounds/1/",
        f"/partnerships/1/rounds/{BEYOND_64_BITS}/report.pdf",
        f"/partnerships/1/rounds/1/answer/{BEYOND_64_BITS}/autosave/",
        f"/partnerships/1/members/{BEYOND_64_BITS}/",
        f"/partnerships/1/rounds/1/responses/{BEYOND_64_BITS}/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_id_beyond_64_bits_is_404(client_for, alice, path, method):
    response = getattr(client_for(alice), method)(path)

    assert response.status_code == 404


def test_largest_accepted_id_is_404_when_missing(client_for, alice):
    response = client_for(alice).get("/partnerships/999999999999999999/")

    assert response.status_code == 404
