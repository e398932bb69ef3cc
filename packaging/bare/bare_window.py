"""The bench's baseline: a bare PySide6 window, frozen with the same options as canvass.

It shows an empty main window and quits as soon as the window is shown, so
timing the process measures the start of a frozen Qt app and nothing else
(bench/bench_frozen.py).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def main() -> int:
    """Show a window, quit once it is shown."""
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare window")
    window.setCentralWidget(QLabel("A bare PySide6 window"))
    window.resize(1200, 800)
    window.show()
    QTimer.singleShot(0, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
