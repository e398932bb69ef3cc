"""The one palette and style sheet of the desktop app.

Colours are declared once here so that every page, card and icon agrees; the
style sheet only uses object names, so dialogs keep the platform's own look.
"""

from __future__ import annotations

#: The brand colour, as in ``resources/icons/canvass.svg``.
BRAND = "#0E7C86"
BRAND_DARK = "#0B5F67"
BRAND_TINT = "#E3F1F2"
INK = "#1F2933"
MUTED = "#5F6B76"
LINE = "#DDE3E8"
SURFACE = "#FFFFFF"
BACKGROUND = "#F4F6F8"
SIDEBAR = "#EAEEF1"

STYLE_SHEET = f"""
QProgressBar {{
    border: 1px solid {LINE};
    border-radius: 4px;
    background: {SURFACE};
    text-align: center;
    min-height: 18px;
}}
QProgressBar::chunk {{ background: {BRAND}; border-radius: 3px; }}
QWidget#pageArea, QScrollArea#pageScroll, QWidget#pageBody {{
    background: {BACKGROUND};
}}
QScrollArea#pageScroll {{ border: none; }}

QFrame#sidebar {{
    background: {SIDEBAR};
    border: none;
    border-right: 1px solid {LINE};
}}
QLabel#wordmark {{ color: {BRAND_DARK}; font-size: 15pt; font-weight: 700; }}
QListWidget#navigation {{
    background: transparent;
    border: none;
    padding: 6px 10px;
    outline: 0;
    font-size: 11pt;
    color: {INK};
}}
QListWidget#navigation::item {{
    padding: 8px 10px;
    margin: 2px 0;
    border-radius: 8px;
}}
QListWidget#navigation::item:hover {{ background: #DCE3E8; }}
QListWidget#navigation::item:selected {{
    background: {BRAND_TINT};
    color: {BRAND_DARK};
    font-weight: 600;
}}

QLabel#pageTitle {{ color: {INK}; font-size: 20pt; font-weight: 600; }}
QLabel#pageTitle[empty="true"] {{ color: {MUTED}; }}
QLabel#pageSubtitle {{ color: {MUTED}; font-size: 11pt; }}
QLabel#sectionTitle {{ color: {INK}; font-size: 12pt; font-weight: 600; }}
QLabel#hint {{ color: {INK}; font-size: 11pt; }}
QLabel#footnote {{ color: {MUTED}; font-size: 9pt; }}

QFrame#card, QFrame#panel {{
    background: {SURFACE};
    border: 1px solid {LINE};
    border-radius: 10px;
}}
QFrame#card QLabel, QFrame#panel QLabel {{ background: transparent; border: none; }}
QLabel#cardTitle {{ color: {MUTED}; font-size: 10pt; font-weight: 600; }}
QLabel#cardNumber {{ color: {BRAND_DARK}; font-size: 24pt; font-weight: 600; }}
QLabel#cardCaption {{ color: {MUTED}; font-size: 9pt; }}
QLabel#detailName {{ color: {MUTED}; font-size: 10pt; }}
QLabel#detailValue {{ color: {INK}; font-size: 10pt; }}
QLabel#bullet {{ color: {INK}; font-size: 11pt; }}
QLabel#badge {{
    background: {BRAND_TINT};
    color: {BRAND_DARK};
    border-radius: 10px;
    padding: 3px 10px;
    font-size: 9pt;
    font-weight: 600;
}}

QPushButton#primary {{
    background: {BRAND};
    color: white;
    border: 1px solid {BRAND_DARK};
    border-radius: 6px;
    padding: 7px 16px;
    font-weight: 600;
}}
QPushButton#primary:hover {{ background: {BRAND_DARK}; }}
QPushButton#primary:disabled {{ background: #9CC7CB; border-color: #9CC7CB; }}
QPushButton#secondary {{
    background: {SURFACE};
    color: {INK};
    border: 1px solid #C5CED6;
    border-radius: 6px;
    padding: 7px 16px;
}}
QPushButton#secondary:hover {{ background: #EEF2F5; }}
QPushButton#secondary:disabled {{ color: #9AA5AF; }}

QStatusBar QLabel {{ color: {MUTED}; padding: 0 8px; }}
"""
