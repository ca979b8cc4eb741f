"""`python -m casework.democode alice` stands in for a demo login's phone on the local run: the code it
prints is one the set-up and sign-in pages accept, and it refuses with DEBUG off or for anyone who is not
an untouched demo login."""

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from casework import democode
from casework.security.models import Authenticator
from tests.pages import body, signed_in
from tests.security.flows import SETUP, VERIFY, landed, password_step, recovery_codes_shown

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = yaml.safe_load((ROOT / "fixtures" / "demo.yaml").read_text(encoding="utf-8"))["password"]
CODE = re.compile(r"\d{6}")


@pytest.fixture
def local_run(settings):
    settings.DEBUG = True


@pytest.fixture
def demo_alice(alice):
    """alice as seed_demo makes her: a demo login with the demo password."""
    alice.set_password(DEMO_PASSWORD)
    alice.save()
    return alice


def democode_says(capsys, username="alice"):
    status = democode.run([username])
    said = capsys.readouterr()
    return status, said.out, said.err


def printed_code(out: str) -> str:
    code = out.splitlines()[0]
    assert CODE.fullmatch(code), out
    return code


def test_its_code_finishes_the_first_sign_in(raw_client, demo_alice, local_run, capsys):
    setup = password_step(raw_client, "alice", DEMO_PASSWORD)
    assert landed(setup).startswith(SETUP)
    status, out, _ = democode_says(capsys)
    assert status == 0
    assert re.search(r"valid for another \d+ s", out)
    response = raw_client.post(landed(setup), {"token": printed_code(out)})
    assert len(recovery_codes_shown(response)) == 10, body(response)
    assert Authenticator.objects.get(user=demo_alice).confirmed


def test_before_the_first_sign_in_it_makes_the_key_the_set_up_page_shows(raw_client, demo_alice, local_run, capsys):
    status, out, _ = democode_says(capsys)
    assert status == 0 and "set-up page" in out
    device = Authenticator.objects.get(user=demo_alice, confirmed=False)
    setup = password_step(raw_client, "alice", DEMO_PASSWORD)
    assert base64.b32encode(device.bin_key).decode().rstrip("=") in body(setup)
    response = raw_client.post(landed(setup), {"token": printed_code(out)})
    assert len(recovery_codes_shown(response)) == 10, body(response)


def test_its_code_signs_in_again_right_after_enrolment(raw_client, demo_alice, local_run, capsys):
    """The code that confirmed the authenticator cannot sign in twice: it gives the next one."""
    setup = password_step(raw_client, "alice", DEMO_PASSWORD)
    raw_client.post(landed(setup), {"token": printed_code(democode_says(capsys)[1])})
    raw_client.post("/accounts/logout/")
    verify = password_step(raw_client, "alice", DEMO_PASSWORD)
    assert landed(verify).startswith(VERIFY)
    status, out, _ = democode_says(capsys)
    assert status == 0
    response = raw_client.post(landed(verify), {"token": printed_code(out)}, follow=True)
    assert signed_in(raw_client) and not landed(response).startswith(VERIFY), body(response)
    assert raw_client.get("/cases/").status_code == 200


def test_refuses_with_debug_off(demo_alice, settings, capsys):
    settings.DEBUG = False
    status, out, err = democode_says(capsys)
    assert status == democode.REFUSED == 2
    assert "DEBUG is off" in err and not CODE.search(out)
    assert not Authenticator.objects.filter(user=demo_alice).exists()


def test_refuses_with_debug_off_from_the_command_line():
    """As run from a shell: settings loaded from the environment, no database touched."""
    result = subprocess.run(
        [sys.executable, "-m", "casework.democode", "alice"],
        cwd=ROOT, env={**os.environ, "DEBUG": "0"}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "refused" in result.stderr and not CODE.search(result.stdout)


def test_refuses_a_login_that_is_not_a_demo_one(carol, local_run, capsys):
    carol.set_password(DEMO_PASSWORD)
    carol.save()
    status, out, err = democode_says(capsys, "carol")
    assert status == 2 and "not a demo login" in err and not out
    assert not Authenticator.objects.filter(user=carol).exists()


def test_refuses_a_demo_name_without_the_demo_password(alice, local_run, capsys):
    """A real account that happens to be called alice (factories give their own password)."""
    status, out, err = democode_says(capsys)
    assert status == 2 and "demo password" in err and not out
    assert not Authenticator.objects.filter(user=alice).exists()


def test_says_when_the_demo_data_is_not_loaded(db, local_run, capsys):
    status, out, err = democode_says(capsys, "bob")
    assert status == 1 and "make run" in err and not out
