"""The app's look: calm, dense enough for all-day work, readable in Chinese."""

STYLE = """
QWidget { font-size: 13px; }
QListWidget#navigation { background: #1f3550; color: #e8eef5; border: none; padding-top: 12px; }
QListWidget#navigation::item { padding: 10px 14px; }
QListWidget#navigation::item:selected { background: #2f5785; color: white; border-left: 4px solid #7cc4a4; }
QLabel#pageTitle { font-size: 22px; font-weight: 600; color: #1f3550; padding-bottom: 4px; }
QLabel#groupHeading { font-size: 15px; font-weight: 600; color: #1f3550; }
QLabel#provenance { color: #555; }
QPushButton { padding: 6px 14px; }
QPushButton#primary { background: #2f5785; color: white; border-radius: 4px; }
QPushButton#primary:disabled { background: #b8c4d3; color: #eef2f7; }
QPushButton#bigButton { font-size: 15px; padding: 12px 24px; }
QPushButton#card { font-size: 20px; text-align: left; padding-left: 18px; background: #f6f8fb;
                   border: 1px solid #dfe5ee; border-radius: 6px; }
QPushButton#card:hover { background: #edf2f8; }
QPushButton#statusCard { font-size: 14px; text-align: left; padding: 4px 12px; background: #f6f8fb;
                         border: 1px solid #dfe5ee; border-radius: 6px; }
QPushButton#statusCard:hover { background: #edf2f8; }
QPushButton#statusCard:checked { background: #dce8f6; border-color: #2f5785; }
QPushButton#statusCard:disabled { color: #9aa5b1; }
QLabel#sectionTitle { font-weight: 600; color: #1f3550; }
QPushButton#chainCount { color: #1f5fa8; font-weight: 600; border: none; padding: 2px 8px; }
QPushButton#chainCount:hover { background: #edf2f8; }
QPushButton#chainCount:disabled { color: #9aa5b1; font-weight: normal; }
QPushButton#link { color: #1f5fa8; border: none; padding: 2px 8px; text-decoration: underline; }
QPushButton#link:hover { background: #edf2f8; }
QTableView { gridline-color: #e3e7ee; selection-background-color: #cfe0f5; selection-color: black; }
QHeaderView::section { background: #eef2f7; padding: 4px; border: none; border-right: 1px solid #dfe5ee; }
"""
