"""Encrypted databases (SQLCipher): nothing readable in the file, the right passphrase only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from canvass.cli.main import run
from canvass.crypto import db_key
from canvass.domain.errors import DatabaseError, ValidationError
from canvass.paths import Paths
from canvass.services import audit_log
from canvass.services.databases import encrypt_database, is_encrypted, open_db
from canvass.services.search import search_electors
from canvass.storage import database as database_module
from canvass.storage import encryption
from canvass.storage.errors import PassphraseNeededError, WrongPassphraseError
from tests.helpers import demo_db, file_sha, shared_table_digests

PASSPHRASE = "exampleton-testwell-sampleton"
WRONG = "exampleton-testwell-wrongton"


def _surname(db) -> str:
    """A synthetic surname the demo really holds (read back, so the test can fail)."""
    from sqlalchemy import text

    with db.read() as session:
        return session.execute(
            text("SELECT surname FROM electors ORDER BY surname LIMIT 1")
        ).scalar_one()


def _bytes(path: Path) -> bytes:
    """The file and, when there is one, its write-ahead log."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory) -> tuple[Path, str, dict]:
    """A demo campaign created encrypted, closed; with one surname it holds and its digests."""
    path = tmp_path_factory.mktemp("enc") / "campaign.db"
    db = open_db(str(path), create=True, passphrase=PASSPHRASE)
    try:
        from canvass.domain.progress import run_to_end
        from canvass.services.demo import create_demo

        run_to_end(create_demo(db, 300, 3))
        surname = _surname(db)
        digests = shared_table_digests(db)
        # While it is open the newest pages are in the WAL: that must be ciphertext too.
        assert Path(f"{path}-wal").exists()
        assert surname.encode() not in _bytes(path)
        assert b"Exampleton" not in _bytes(path)
    finally:
        db.close()
    return path, surname, digests


# -- the key ------------------------------------------------------------------


def test_the_key_is_argon2id_of_the_passphrase_and_salt():
    salt = bytes(range(16))
    first = db_key.derive_key("correct horse battery", salt)
    assert first == db_key.derive_key("correct horse battery", salt)
    assert len(first.key) == db_key.KEY_BYTES
    assert first.key != db_key.derive_key("correct horse batterz", salt).key
    assert first.key != db_key.derive_key("correct horse battery", bytes(16)).key
    # The same passphrase typed as composed or decomposed characters unlocks the same file.
    assert db_key.derive_key("Zo\u00eb caf\u00e9s", salt) == db_key.derive_key(
        "Zoe\u0308 cafe\u0301s", salt
    )


def test_the_key_is_handed_to_sqlcipher_as_raw_key_material_with_our_salt():
    key = db_key.DatabaseKey(b"\x01" * 32, b"\x02" * 16)
    assert key.literal == "x'" + "01" * 32 + "02" * 16 + "'"
    assert key.pragma == f'PRAGMA key = "{key.literal}"'
    assert "01" * 32 not in repr(key)


def test_the_kdf_cost_is_not_below_the_rfc_9106_recommendation():
    assert db_key.ARGON2_MEMORY_KIB >= 64 * 1024
    assert db_key.ARGON2_ITERATIONS >= 3


@pytest.mark.parametrize("bad", ["", "short"])
def test_new_passphrases_must_be_long_enough(bad):
    with pytest.raises(ValidationError):
        db_key.new_key(bad)


def test_empty_passphrase_never_derives_a_key():
    with pytest.raises(ValidationError, match="empty"):
        db_key.derive_key("", bytes(16))


# -- the file -------------------------------------------------------------------


def test_an_encrypted_demo_holds_no_readable_names(encrypted_demo, tmp_path):
    path, surname, _ = encrypted_demo
    data = _bytes(path)
    assert surname.encode() not in data and b"Exampleton" not in data
    assert not data.startswith(encryption.SQLITE_MAGIC)
    assert is_encrypted(str(path))
    # The control: the same demo unencrypted does show the name.
    plain = demo_db(str(tmp_path / "plain.db"))
    plain.close()
    assert surname.encode() in _bytes(tmp_path / "plain.db")
    assert not is_encrypted(str(tmp_path / "plain.db"))


def test_the_passphrase_opens_it_with_everything_in_it(encrypted_demo):
    path, surname, digests = encrypted_demo
    db = open_db(str(path), passphrase=PASSPHRASE)
    try:
        assert db.encrypted
        assert shared_table_digests(db) == digests
        # Full-text search (an FTS5 table) works in the bundled SQLCipher.
        hits = search_electors(db, surname)
        assert hits and all(surname in h.name for h in hits)
    finally:
        db.close()


def test_a_wrong_passphrase_is_refused_and_changes_nothing(encrypted_demo):
    path, _, _ = encrypted_demo
    before, listing = file_sha(path), _listing(path.parent)
    with pytest.raises(WrongPassphraseError, match="The passphrase does not unlock"):
        open_db(str(path), passphrase=WRONG)
    assert file_sha(path) == before
    assert _listing(path.parent) == listing  # no -wal or -shm left behind


def test_without_a_passphrase_it_says_it_is_encrypted_and_how_to_give_it(encrypted_demo):
    path, _, _ = encrypted_demo
    before = file_sha(path)
    with pytest.raises(PassphraseNeededError, match="is encrypted.*--passphrase-file"):
        open_db(str(path))
    assert file_sha(path) == before


def test_a_passphrase_for_a_plain_database_is_refused(tmp_path):
    path = tmp_path / "plain.db"
    open_db(str(path), create=True).close()
    before = file_sha(path)
    with pytest.raises(DatabaseError, match="not encrypted.*db encrypt"):
        open_db(str(path), passphrase=PASSPHRASE)
    assert file_sha(path) == before


def test_postgresql_refuses_the_option_before_connecting():
    with pytest.raises(DatabaseError, match="server's job"):
        open_db("postgresql+psycopg://nobody@127.0.0.1:9/none", passphrase=PASSPHRASE)


def test_random_bytes_are_taken_for_an_encrypted_file_text_is_not(tmp_path):
    noise = tmp_path / "noise.db"
    noise.write_bytes(bytes(range(256)) * 32)
    assert encryption.looks_encrypted(noise)
    text = tmp_path / "notes.db"
    text.write_text("shopping list\n" * 300)
    assert not encryption.looks_encrypted(text)


def test_the_backup_before_an_upgrade_stays_encrypted(tmp_path, monkeypatch, encrypted_demo):
    import shutil

    path = tmp_path / "campaign.db"
    shutil.copy(encrypted_demo[0], path)
    monkeypatch.setattr(database_module.migrate, "head_revision", lambda: "9999")
    db = open_db(str(path), passphrase=PASSPHRASE)
    db.close()
    (backup,) = tmp_path.glob("campaign.db.backup-*")
    assert not backup.read_bytes().startswith(encryption.SQLITE_MAGIC)
    assert encrypted_demo[1].encode() not in backup.read_bytes()
    monkeypatch.undo()
    copy = open_db(str(backup), passphrase=PASSPHRASE)
    try:
        assert shared_table_digests(copy) == encrypted_demo[2]
    finally:
        copy.close()


# -- encrypting a plain database ------------------------------------------------------


def test_encrypting_keeps_every_row_and_hides_the_names(tmp_path):
    path = tmp_path / "campaign.db"
    db = demo_db(str(path))
    surname, before = _surname(db), shared_table_digests(db)
    assert surname.encode() in _bytes(path)
    encrypted, report = encrypt_database(db, PASSPHRASE)
    try:
        assert encrypted.encrypted and report.tables > 20 and report.rows > 1000
        assert shared_table_digests(encrypted) == before
        assert [e.action for e in audit_log.entries(encrypted)][0] == "encrypt-database"
    finally:
        encrypted.close()
    assert surname.encode() not in _bytes(path)
    assert _listing(tmp_path) == ["campaign.db"]


def test_a_failed_encryption_leaves_the_original_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "campaign.db"
    db = demo_db(str(path))
    before = shared_table_digests(db)

    def broken(*_args):
        raise DatabaseError("The encrypted copy does not match the original (test).")

    monkeypatch.setattr(encryption, "_verify_copy", broken)
    with pytest.raises(DatabaseError, match="does not match"):
        encrypt_database(db, PASSPHRASE)
    # The database object still works, on the same plain file, in WAL mode again.
    assert not db.encrypted and shared_table_digests(db) == before
    db.close()
    assert _listing(tmp_path) == ["campaign.db"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_a_database_written_to_during_encryption_is_not_replaced(tmp_path, monkeypatch):
    path = tmp_path / "campaign.db"
    db = demo_db(str(path))
    real_verify = encryption._verify_copy

    def verify_then_someone_writes(*args):
        real_verify(*args)
        other = sqlite3.connect(path)
        other.execute("UPDATE electors SET surname = 'Changedton' WHERE rowid = 1")
        other.commit()
        other.close()

    monkeypatch.setattr(encryption, "_verify_copy", verify_then_someone_writes)
    with pytest.raises(DatabaseError, match="changed while it was being encrypted"):
        encrypt_database(db, PASSPHRASE)
    db.close()
    assert b"Changedton" in _bytes(path)  # the other program's write is kept
    assert _listing(tmp_path) == ["campaign.db"]


def test_an_encrypted_database_is_not_encrypted_again(encrypted_demo):
    db = open_db(str(encrypted_demo[0]), passphrase=PASSPHRASE)
    try:
        with pytest.raises(DatabaseError, match="already encrypted"):
            encrypt_database(db, PASSPHRASE)
    finally:
        db.close()


# -- the command line ---------------------------------------------------------------


@pytest.fixture
def cli(tmp_path, capfd):
    paths = Paths.under(tmp_path / "home")
    good = tmp_path / "pass.txt"
    good.write_text(PASSPHRASE + "\n", encoding="utf-8")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(WRONG + "\n", encoding="utf-8")

    def canvass(*args: str) -> tuple[int, str, str]:
        # capfd: SQLCipher would log straight to file descriptor 2, past sys.stderr.
        capfd.readouterr()
        code = run(list(args), paths=paths, launch_gui=lambda *_a, **_k: 0)
        out = capfd.readouterr()
        return code, out.out, out.err

    canvass.good = str(good)  # type: ignore[attr-defined]
    canvass.wrong = str(wrong)  # type: ignore[attr-defined]
    return canvass


def test_cli_creates_and_uses_an_encrypted_database(tmp_path, cli):
    db = str(tmp_path / "c.db")
    code, _, err = cli("--db", db, "--passphrase-file", cli.good, "demo", "--electors", "60",
                       "--encrypted")  # fmt: skip
    assert code == 0, err
    assert not Path(db).read_bytes().startswith(encryption.SQLITE_MAGIC)
    code, out, err = cli("--db", db, "--passphrase-file", cli.good, "info")
    assert code == 0 and "encrypted" in out and "60" in out
    code, _, err = cli("--db", db, "info")
    assert code == 1 and "is encrypted" in err and "--passphrase-file" in err
    before = file_sha(Path(db))
    code, _, err = cli("--db", db, "--passphrase-file", cli.wrong, "info")
    assert code == 1 and "The passphrase does not unlock" in err
    assert "hmac" not in err.lower()  # SQLCipher's own log lines are kept quiet
    assert file_sha(Path(db)) == before


def test_cli_reads_the_passphrase_file_from_the_environment(tmp_path, cli, monkeypatch):
    db = str(tmp_path / "c.db")
    monkeypatch.setenv("CANVASS_DB_PASSPHRASE_FILE", cli.good)
    assert cli("--db", db, "init", "--campaign", "Save Exampleton Library", "--encrypted")[0] == 0
    code, out, _ = cli("--db", db, "info")
    assert code == 0 and "Save Exampleton Library" in out
    assert b"Exampleton" not in _bytes(Path(db))


def test_cli_encrypted_needs_a_passphrase_and_creates_nothing(tmp_path, cli):
    db = tmp_path / "c.db"
    code, _, err = cli("--db", str(db), "init", "--campaign", "X", "--encrypted")
    assert code == 1 and "--passphrase-file" in err
    assert not db.exists()


def test_cli_short_passphrase_for_a_new_database_creates_nothing(tmp_path, cli):
    short = tmp_path / "short.txt"
    short.write_text("tiny\n")
    db = tmp_path / "c.db"
    code, _, err = cli("--db", str(db), "--passphrase-file", str(short), "init", "--campaign", "X")
    assert code == 1 and "too short" in err
    assert _listing(tmp_path) == sorted(["pass.txt", "wrong.txt", "short.txt"])


def test_cli_db_encrypt_converts_a_plain_database(tmp_path, cli):
    db = tmp_path / "c.db"
    assert cli("--db", str(db), "demo", "--electors", "80")[0] == 0
    code, plain_info, _ = cli("--db", str(db), "info", "--json")
    assert code == 0 and b"Exampleton" in _bytes(db)
    code, out, err = cli("--db", str(db), "db", "encrypt", "--passphrase-file", cli.good)
    assert code == 0, err
    assert "copied and checked" in out
    assert b"Exampleton" not in _bytes(db)
    code, enc_info, _ = cli("--db", str(db), "--passphrase-file", cli.good, "info", "--json")
    assert code == 0
    import json

    plain, enc = json.loads(plain_info), json.loads(enc_info)
    assert plain["state_digest"] == enc["state_digest"]
    assert {k: v for k, v in plain["counts"].items() if k != "operations"} == {
        k: v for k, v in enc["counts"].items() if k != "operations"
    }
    code, _, err = cli("--db", str(db), "--passphrase-file", cli.good, "db", "encrypt")
    assert code == 1 and "already encrypted" in err


def test_cli_db_encrypt_without_a_passphrase_is_a_usage_error(tmp_path, cli):
    db = tmp_path / "c.db"
    assert cli("--db", str(db), "init", "--campaign", "X")[0] == 0
    before = file_sha(db)
    code, _, err = cli("--db", str(db), "db", "encrypt")
    assert code == 2 and "--passphrase-file" in err
    assert file_sha(db) == before


def test_cli_gui_with_an_encrypted_database_leaves_asking_to_the_app(tmp_path, capsys):
    db = tmp_path / "c.db"
    open_db(str(db), create=True, passphrase=PASSPHRASE).close()
    calls = []

    def launcher(*args, **kwargs):
        calls.append((args, kwargs))
        return 0

    paths = Paths.under(tmp_path / "home")
    assert run(["--db", str(db), "gui"], paths=paths, launch_gui=launcher) == 0
    assert calls == [((str(db), paths), {})]


def test_a_database_open_in_another_program_is_not_encrypted(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "campaign.db"
    db = demo_db(str(path))
    before = shared_table_digests(db)
    holder = subprocess.Popen(  # another canvass, idle, with the database open
        [sys.executable, "-c", "import sqlite3, sys\n"
         f"c = sqlite3.connect({str(path)!r}); c.execute('SELECT 1 FROM electors').fetchall()\n"
         "print('open', flush=True); sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseError, match="in use by another program"):
            encrypt_database(db, PASSPHRASE)
    finally:
        holder.communicate("\n")
    assert not db.encrypted and shared_table_digests(db) == before
    db.close()
    assert path.read_bytes().startswith(encryption.SQLITE_MAGIC)


# -- the desktop app ------------------------------------------------------------------


@pytest.fixture
def encrypted_copy(encrypted_demo, tmp_path) -> Path:
    import shutil

    path = tmp_path / "campaign.db"
    shutil.copy(encrypted_demo[0], path)
    return path


def test_unlock_dialog_refuses_a_wrong_passphrase_then_unlocks(qtbot, encrypted_copy):
    from PySide6.QtCore import Qt

    from canvass.ui.unlock_dialog import UnlockDialog

    dialog = UnlockDialog(str(encrypted_copy))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    before, listing = file_sha(encrypted_copy), _listing(encrypted_copy.parent)
    assert not dialog.unlock_button.isEnabled()  # nothing typed yet
    dialog.passphrase.setText(WRONG)
    with qtbot.waitSignal(dialog.runner.ended, timeout=20_000):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.database is None
    assert "The passphrase does not unlock" in dialog.message.text()
    assert dialog.passphrase.isEnabled() and dialog.cancel_button.isEnabled()
    # Enter still means Unlock (Qt moves the default to Quit while Unlock is disabled).
    assert dialog.unlock_button.isDefault() and not dialog.cancel_button.isDefault()
    assert file_sha(encrypted_copy) == before and _listing(encrypted_copy.parent) == listing

    # Typed again and Enter, as people do: Enter must try it, not quit.
    dialog.passphrase.selectAll()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.database is not None and dialog.database.encrypted
    dialog.database.close()


def test_quitting_the_unlock_dialog_at_start_up_quits_cleanly(qtbot, encrypted_copy, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from canvass.ui import application as application_module
    from canvass.ui.unlock_dialog import UnlockDialog

    shown: list[str] = []

    def press_quit() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, UnlockDialog)]
        visible = [d for d in dialogs if d.isVisible()]
        if not visible:
            QTimer.singleShot(10, press_quit)
            return
        shown.append(visible[0].cancel_button.text())
        visible[0].cancel_button.click()

    monkeypatch.setattr(
        application_module, "build_main_window", lambda *_a: pytest.fail("opened a window")
    )
    before = file_sha(encrypted_copy)
    QTimer.singleShot(0, press_quit)
    paths = Paths.under(encrypted_copy.parent / "home")
    assert application_module.run_gui(str(encrypted_copy), paths) == 0
    assert shown == ["Quit"]
    assert file_sha(encrypted_copy) == before


def test_new_passphrase_dialog_wants_the_same_long_passphrase_twice(qtbot):
    from canvass.ui.unlock_dialog import NewPassphraseDialog

    dialog = NewPassphraseDialog(optional=True, title="New database")
    qtbot.addWidget(dialog)
    assert not dialog.encrypt.isChecked() and dialog.ok_button.isEnabled()
    assert dialog.chosen_passphrase() is None
    dialog.encrypt.setChecked(True)
    assert not dialog.ok_button.isEnabled()
    dialog.first.setText("short")
    assert "Too short" in dialog.hint.text() and not dialog.ok_button.isEnabled()
    dialog.first.setText(PASSPHRASE)
    dialog.second.setText(WRONG)
    assert "differ" in dialog.hint.text() and not dialog.ok_button.isEnabled()
    dialog.second.setText(PASSPHRASE)
    assert dialog.ok_button.isEnabled() and dialog.chosen_passphrase() == PASSPHRASE
    assert "Strong" in dialog.hint.text()
    dialog.suggest()
    words = dialog.first.text()
    assert len(words.split("-")) == 6 and dialog.second.text() == words
    assert dialog.ok_button.isEnabled() and dialog.chosen_passphrase() == words


@pytest.mark.parametrize(
    "passphrase",
    [
        "password123",
        "Password123!",
        "P@ssw0rd2024!",
        "Summer2024!!",
        "iloveyou2024",
        "qwertyuiop12",
        "abcdefghijklm",
        "aaaaaaaaaaaaaaaa",
        "canvass-2026",
        "tr0ub4dor&3",  # under 12 characters and one word
        "cat dog hen",
    ],
)
def test_common_short_and_patterned_passphrases_are_weak(passphrase):
    from canvass.crypto.passphrase_rating import rate

    verdict = rate(passphrase)
    assert verdict.label == "weak", (passphrase, verdict)
    assert not verdict.acceptable
    assert "Suggest a passphrase" in verdict.hint


@pytest.mark.parametrize(
    ("passphrase", "label"),
    [
        ("purple monkey dishwasher", "fair"),
        ("correct horse battery staple", "good"),
        (PASSPHRASE, "strong"),
    ],
)
def test_longer_passphrases_of_several_words_pass(passphrase, label):
    from canvass.crypto.passphrase_rating import rate

    verdict = rate(passphrase)
    assert verdict.label == label and verdict.acceptable


def test_a_suggested_passphrase_is_strong():
    from canvass.crypto.passphrase_rating import rate
    from canvass.crypto.passphrases import generate_passphrase

    for _ in range(20):
        assert rate(generate_passphrase()).label == "strong"


def test_new_passphrase_dialog_refuses_password123_and_points_to_suggest(qtbot, tmp_path):
    from PySide6.QtWidgets import QDialog

    from canvass.ui.unlock_dialog import NewPassphraseDialog

    path = tmp_path / "branch-office.db"
    dialog = NewPassphraseDialog(
        optional=True, title="New database", accept_text="Create encrypted", database=path
    )
    qtbot.addWidget(dialog)
    # The file is named where it cannot be missed (a sheet on macOS shows no title).
    assert "branch-office.db" in dialog.heading.text()
    assert "branch-office.db" in dialog.windowTitle()
    assert dialog.encrypt.text() == "Encrypt branch-office.db with a passphrase"
    dialog.encrypt.setChecked(True)
    dialog.first.setText("password123")
    dialog.second.setText("password123")
    assert dialog.hint.text().startswith("Weak")
    assert "Suggest a passphrase" in dialog.hint.text()
    assert not dialog.ok_button.isEnabled()
    dialog.accept()  # Enter, or a test, cannot get round the disabled button
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.chosen_passphrase()
    dialog.suggest()
    assert dialog.hint.text().startswith("Strong") and dialog.ok_button.isEnabled()


def test_the_unlock_dialog_names_its_file(qtbot, encrypted_copy):
    from PySide6.QtWidgets import QLabel

    from canvass.ui.unlock_dialog import UnlockDialog

    dialog = UnlockDialog(str(encrypted_copy))
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == f"Unlock {encrypted_copy.name}"
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(encrypted_copy.name in t and "is encrypted" in t for t in texts)
    assert str(encrypted_copy) in texts


def _window(qtbot, db, tmp_path):
    from canvass.ui.application import build_main_window
    from tests.helpers import close_when_idle

    window = build_main_window(db, Paths.under(tmp_path / "home"))
    close_when_idle(qtbot, window)
    with qtbot.waitSignal(window.live.updated, timeout=20_000):
        window.show()
    return window


def test_the_window_encrypts_its_plain_database(qtbot, tmp_path):
    path = tmp_path / "campaign.db"
    db = demo_db(str(path))
    surname, before = _surname(db), shared_table_digests(db)
    window = _window(qtbot, db, tmp_path)
    actions = window.db_actions
    file_menu = window.menuBar().actions()[0].menu()
    assert actions.encrypt_action in file_menu.actions()
    assert actions.encrypt_action.isEnabled()

    dialog = actions.ask_encrypt()
    assert f"Encrypt <b>{path.name}</b>" in dialog.heading.text()  # the window's own file
    assert dialog.windowTitle() == f"Encrypt this database: {path.name}"
    dialog.first.setText(PASSPHRASE)
    dialog.second.setText(PASSPHRASE)
    with qtbot.waitSignal(window.tasks.finished, timeout=20_000):
        dialog.accept()
    assert window.db.encrypted and window.db.target.path == path
    assert shared_table_digests(window.db) == before
    assert surname.encode() not in _bytes(path)
    actions.update_actions()
    assert not actions.encrypt_action.isEnabled()
    assert "Encrypted" in window.statusBar().currentMessage()


def test_the_window_creates_an_encrypted_database_and_asks_to_unlock_one(qtbot, tmp_path):
    from canvass.ui.unlock_dialog import UnlockDialog

    window = _window(qtbot, open_db(str(tmp_path / "first.db"), create=True), tmp_path)
    new = tmp_path / "secret"
    dialog = window.db_actions.ask_new_database(new)
    dialog.encrypt.setChecked(True)
    dialog.first.setText(PASSPHRASE)
    dialog.second.setText(PASSPHRASE)
    with qtbot.waitSignal(window.tasks.finished, timeout=20_000):
        dialog.accept()
    assert window.db.encrypted and window.db.target.path == new.with_suffix(".db")
    assert is_encrypted(str(new.with_suffix(".db")))

    plain = tmp_path / "first.db"
    with qtbot.waitSignal(window.tasks.finished, timeout=20_000):
        window.db_actions.open_database_text(str(plain))
    assert window.db.target.path == plain
    with qtbot.waitSignal(window.tasks.finished, timeout=20_000):
        window.db_actions.open_database_text(str(new.with_suffix(".db")))
    assert window.db.target.path == plain  # not yet: the passphrase is asked for
    (unlock,) = [d for d in window.findChildren(UnlockDialog) if d.isVisible()]
    unlock.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(unlock.accepted, timeout=20_000):
        unlock.unlock_button.click()
    assert window.db.encrypted and window.db.target.path == new.with_suffix(".db")


def test_cli_gui_hands_a_given_passphrase_to_the_app(tmp_path, cli):
    db = tmp_path / "c.db"
    open_db(str(db), create=True, passphrase=PASSPHRASE).close()
    calls = []
    paths = Paths.under(tmp_path / "home")

    def launcher(*args, **kwargs):
        calls.append((args, kwargs))
        return 0

    argv = ["--db", str(db), "--passphrase-file", cli.good, "gui"]
    assert run(argv, paths=paths, launch_gui=launcher) == 0
    assert calls == [((str(db), paths), {"passphrase": PASSPHRASE})]


def test_cli_reads_the_passphrase_from_standard_input(tmp_path, cli, monkeypatch):
    import io

    db = tmp_path / "c.db"
    open_db(str(db), create=True, passphrase=PASSPHRASE).close()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    code, out, err = cli("--db", str(db), "--passphrase-file", "-", "info")
    assert code == 0, err
    assert "encrypted" in out


def test_release_waits_for_a_reading_and_refuses_while_one_holds_on(tmp_path):
    from sqlalchemy import text

    db = open_db(str(tmp_path / "a.db"), create=True)
    try:
        with db.read() as session:
            session.execute(text("SELECT 1")).all()  # a connection is in use
            with pytest.raises(DatabaseError, match="still being read"):
                db.release(timeout_s=0.01)
        db.release(timeout_s=0.01)  # given back: nothing is left open
        assert db.engine.pool.checkedin() == 0 and db.engine.pool.checkedout() == 0
        with db.read() as session:  # and it still works afterwards
            assert session.execute(text("SELECT 1")).scalar() == 1
    finally:
        db.close()
