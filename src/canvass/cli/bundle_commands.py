"""`canvass petition bundle|keys`, `canvass print petition-sheets`, `canvass verify`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from canvass.cli.progress import run_with_progress
from canvass.domain.errors import CanvassError, ValidationError
from canvass.services import bundle_checks, bundle_keys, bundles

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj
_OUT = click.Path(path_type=Path, dir_okay=False)


@click.command("petition-sheets")
@click.argument("petition")
@click.option("--out", type=_OUT, required=True, help="The PDF file to write.")
@click.option("--rows", default=20, show_default=True, type=int, help="Rows on each sheet.")
@click.option("--sheets", default=1, show_default=True, type=int, help="Sheets, numbered 1..N.")
@pass_state
def petition_sheets_cmd(state: State, petition: str, out: Path, rows: int, sheets: int) -> None:
    """Blank collection sheets for PETITION: text, numbered rows, sheet numbers."""
    db = state.open()
    try:
        pages = bundles.print_petition_sheets(db, petition, out, rows=rows, sheets=sheets)
    finally:
        db.close()
    state.out.print(
        f"Wrote {out} ({pages:,} sheet{'s' if pages != 1 else ''} of {rows} rows, numbered "
        f"1 to {pages:,}).",
        markup=False,
    )


@click.command("keys")
@click.option("--export-cert", type=_OUT, help="Write the campaign certificate (PEM) here.")
@pass_state
def petition_keys_cmd(state: State, export_cert: Path | None) -> None:
    """The campaign's keys for signing bundles (made on first use): fingerprints, certificate."""
    db = state.open()
    try:
        keys, created = bundle_keys.ensure_keys(db)
        if export_cert is not None:
            bundle_keys.export_certificate(db, export_cert)
    finally:
        db.close()
    say = state.out.print
    if created:
        say("Made the campaign's bundle-signing keys.")
    say(f"Certificate: {keys.common_name} (valid until {keys.not_after:%d %b %Y})", markup=False)
    say(f"SHA-256 fingerprint: {keys.fingerprint}", markup=False)
    say(
        f"minisign public key: {keys.minisign_public_key} (key id {keys.minisign_key_id})",
        markup=False,
    )
    if export_cert is not None:
        say(
            f"Wrote the certificate to {export_cert}: send it to the councillor, who compares "
            "the fingerprint above and adds it to their PDF reader's trusted certificates.",
            markup=False,
        )


@click.command("bundle")
@click.argument("petition")
@click.option("--out", type=_OUT, required=True, help="The PDF file to write.")
@click.option("--redacted", is_flag=True, help="Public copy: hide street and house number.")
@click.option("--no-sign", is_flag=True, help="A draft: no PDF signature, no .minisig.")
@pass_state
def petition_bundle_cmd(
    state: State, petition: str, out: Path, redacted: bool, no_sign: bool
) -> None:
    """The signed bundle of PETITION for the councillor, with OUT.sha256 and OUT.minisig."""
    db = state.open()
    try:
        report = run_with_progress(
            bundles.make_bundle(db, petition, out, redacted=redacted, sign=not no_sign),
            state.err,
        )
    finally:
        db.close()
    say = state.out.print
    if report.keys_created:
        say("Made the campaign's bundle-signing keys (see `canvass petition keys`).")
    copy = "public copy" if report.redacted else "council copy"
    signed = "signed" if report.signed else "NOT signed"
    say(
        f"Wrote {out} ({report.pages:,} pages, {copy}, {signed}): {report.counted:,} signatures "
        f"counted, {report.excluded:,} not counted.",
        markup=False,
    )
    say(f"Beside it: {', '.join(report.sidecars)}.", markup=False)
    say(f"Certificate fingerprint (SHA-256): {report.fingerprint}", markup=False)
    say(f"Check it with: canvass verify {out}", markup=False)


@click.command("verify")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--cert",
    "certs",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A certificate to trust (the campaign's, PEM or DER). Default: this database's.",
)
@pass_state
def verify_cmd(state: State, file: Path, certs: tuple[Path, ...]) -> None:
    """Check a petition bundle: its signature, manifest, pages, .sha256 and .minisig."""
    trusted = [p.read_bytes() for p in certs]
    minisign_key = None
    if not certs:
        try:
            db = state.open()
        except CanvassError:
            db = None  # checking someone else's bundle without a database is fine
        if db is not None:
            try:
                keys = bundle_keys.stored_keys(db)
            finally:
                db.close()
            if keys is not None:
                trusted, minisign_key = [keys.cert_pem.encode()], keys.minisign_public_key
    report = bundle_checks.verify_bundle(file, trusted=trusted, minisign_key=minisign_key)
    marks = {bundle_checks.OK: "ok  ", bundle_checks.WARN: "warn", bundle_checks.FAIL: "FAIL"}
    for check in report.checks:
        state.out.print(f"[{marks[check.status]}] {check.what}: {check.detail}", markup=False)
    if report.ok:
        state.out.print(f"{file.name}: everything checked holds.", markup=False)
        return
    failed = sum(c.status == bundle_checks.FAIL for c in report.checks)
    raise ValidationError(
        f"{file.name}: {failed} check{'s' if failed != 1 else ''} failed; do not rely on this copy."
    )


COMMANDS = (verify_cmd,)
PETITION_COMMANDS = (petition_bundle_cmd, petition_keys_cmd)
PRINT_COMMANDS = (petition_sheets_cmd,)
